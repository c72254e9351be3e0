"""Reading the breach record: every incident, narrowed by the filters a reader chose."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Prefetch, QuerySet

from incidents.models import Incident, IncidentRegister, Obligation


@dataclass(frozen=True)
class BreachRecordFilters:
    """What the reader narrowed the record to. The detection dates are days on the organisation's
    clock, both inclusive: "from 1.3. to 31.3." is the whole of March in Helsinki."""

    detected_from: date | None = None
    detected_to: date | None = None
    state: str | None = None
    risk_decision: str | None = None
    register_id: int | None = None
    organisation_id: int | None = None

    def as_record(self) -> dict[str, Any]:
        """The filters as plain JSON values, for the export's audit event."""
        return {
            "detected_from": None if self.detected_from is None else self.detected_from.isoformat(),
            "detected_to": None if self.detected_to is None else self.detected_to.isoformat(),
            "state": self.state,
            "risk_decision": self.risk_decision,
            "register_id": self.register_id,
            "organisation_id": self.organisation_id,
        }


def _start_of(day: date) -> datetime:
    # Midnight exists every day in Europe/Helsinki (the DST change is at 03:00/04:00).
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def breach_record_incidents(filters: BreachRecordFilters) -> QuerySet[Incident]:
    """The incidents of the record, the most recently detected first, each with its affected
    registers and its obligations prefetched: a page or an export costs the same few queries
    however many incidents it holds."""
    incidents = (
        Incident.objects.select_related("organisation")
        .prefetch_related(
            Prefetch(
                "affected",
                queryset=IncidentRegister.objects.select_related("register").order_by("register__name", "pk"),
            ),
            Prefetch(
                "obligations",
                queryset=Obligation.objects.select_related("template", "closed_by").order_by(
                    F("due_at").asc(nulls_last=True), "template__position", "pk"
                ),
            ),
        )
        .order_by("-detected_at", "-pk")
    )
    if filters.detected_from is not None:
        incidents = incidents.filter(detected_at__gte=_start_of(filters.detected_from))
    if filters.detected_to is not None and filters.detected_to < date.max:
        incidents = incidents.filter(detected_at__lt=_start_of(filters.detected_to + timedelta(days=1)))
    if filters.state:
        incidents = incidents.filter(state=filters.state)
    if filters.risk_decision:
        incidents = incidents.filter(risk_decision=filters.risk_decision)
    if filters.register_id is not None:
        # One row per (incident, register), so the join lists each incident once.
        incidents = incidents.filter(affected__register_id=filters.register_id)
    if filters.organisation_id is not None:
        incidents = incidents.filter(organisation_id=filters.organisation_id)
    return incidents
