"""Exporting the breach record, as a Word table or as CSV, recorded in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, translation
from django.utils.translation import gettext as _

from incidents.audit.record import audit_record
from incidents.breach_record.csv_export import breach_record_csv
from incidents.breach_record.docx_export import breach_record_docx
from incidents.breach_record.entries import record_entries
from incidents.breach_record.selectors import BreachRecordFilters, breach_record_incidents
from incidents.choices import IncidentState, RiskDecision
from incidents.clocks.display import local_moment
from incidents.models import Organisation, Register

EXPORTED = "breach_record.exported"


class ExportFormat(StrEnum):
    DOCX = "docx"
    CSV = "csv"

    @property
    def content_type(self) -> str:
        if self is ExportFormat.DOCX:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return "text/csv; charset=utf-8"


@dataclass(frozen=True)
class BreachRecordExport:
    filename: str
    content: bytes
    content_type: str
    count: int


def filters_described(filters: BreachRecordFilters) -> list[str]:
    """The filters as the document names them ("State: Dismissed ..."), in the active language."""
    described = []
    if filters.detected_from is not None:
        described.append(f"{_('Detected from')}: {formats.date_format(filters.detected_from)}")
    if filters.detected_to is not None:
        described.append(f"{_('Detected to')}: {formats.date_format(filters.detected_to)}")
    if filters.state:
        described.append(f"{_('State')}: {IncidentState(filters.state).label}")
    if filters.risk_decision:
        described.append(f"{_('Risk decision')}: {RiskDecision(filters.risk_decision).label}")
    if filters.register_id is not None:
        name = Register.objects.filter(pk=filters.register_id).values_list("name", flat=True).first()
        described.append(f"{_('Affected register')}: {name or filters.register_id}")
    if filters.organisation_id is not None:
        name = Organisation.objects.filter(pk=filters.organisation_id).values_list("name", flat=True).first()
        described.append(f"{_('Organisation handling this breach')}: {name or filters.organisation_id}")
    return described


def breach_record_export(
    *,
    actor: AbstractBaseUser,
    request: HttpRequest | None,
    filters: BreachRecordFilters,
    fmt: ExportFormat,
    language: str,
    now: datetime,
) -> BreachRecordExport:
    """The filtered record as a file in the reader's ``language``, and its audit event.

    The incidents are read, the file is written and the event recorded in one transaction: the
    event's count is the file's, and a file that could not be written leaves no event. The chain's
    write lock is taken only by the event, at the end, so a long export does not hold it up.
    """
    with transaction.atomic(), translation.override(language):
        incidents = list(breach_record_incidents(filters))
        if fmt is ExportFormat.DOCX:
            content = breach_record_docx(
                record_entries(incidents),
                language=language,
                exported_at=now,
                exported_at_text=local_moment(now),
                exported_by=actor.get_username(),
                filters_text=filters_described(filters),
            )
        else:
            content = breach_record_csv(incidents)
        audit_record(
            action=EXPORTED,
            actor=actor,
            request=request,
            now=now,
            data={"format": fmt.value, "filters": filters.as_record(), "count": len(incidents)},
        )
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return BreachRecordExport(
        filename=f"breachclock-breach-record-{stamp}.{fmt.value}",
        content=content,
        content_type=fmt.content_type,
        count=len(incidents),
    )
