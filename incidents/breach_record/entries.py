"""What the breach record shows of one incident: the fields of Art. 33(5) ("the facts relating to
the personal data breach, its effects and the remedial action taken"), then the decisions and their
reasons, which the controller must be able to show the supervisory authority.

Every field is text in the reader's language, dates on the organisation's clock (local_moment), so
that the page, the Word table and the CSV say the same thing in the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from incidents.clocks.display import local_moment
from incidents.models import Incident, IncidentRegister, Obligation, ObligationStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The breach types of an incident: its flag and the word for it.
BREACH_TYPES: tuple[tuple[str, str, StrOrPromise], ...] = (
    ("confidentiality", "breach_confidentiality", gettext_lazy("confidentiality")),
    ("integrity", "breach_integrity", gettext_lazy("integrity")),
    ("availability", "breach_availability", gettext_lazy("availability")),
)


def breach_types(incident: Incident) -> list[str]:
    """The codes of the incident's breach types ("confidentiality", ...), in the table's order."""
    return [code for code, flag, _label in BREACH_TYPES if getattr(incident, flag)]


def _occurred(incident: Incident) -> str:
    if incident.occurred_from is None and incident.occurred_to is None:
        return _("not known yet")
    return f"{local_moment(incident.occurred_from) or '?'} – {local_moment(incident.occurred_to) or '?'}"


def _breach_types(incident: Incident) -> str:
    words = {code: label for code, _flag, label in BREACH_TYPES}
    return ", ".join(str(words[code]) for code in breach_types(incident)) or _("not chosen yet")


def _affected_line(row: IncidentRegister) -> str:
    parts = [row.register.name]
    if row.approx_subjects is not None:
        parts.append(
            ngettext("about %(counter)s data subject", "about %(counter)s data subjects", row.approx_subjects)
            % {"counter": row.approx_subjects}
        )
    if row.approx_records is not None:
        parts.append(
            ngettext("about %(counter)s record", "about %(counter)s records", row.approx_records)
            % {"counter": row.approx_records}
        )
    line = " · ".join(parts)
    if row.data_items:
        line += f" ({_('Data items involved')}: {', '.join(str(item) for item in row.data_items)})"
    return line


def _affected(incident: Incident) -> str:
    return "\n".join(_affected_line(row) for row in incident.affected.all())


def _obligation_line(obligation: Obligation) -> str:
    """One clock: what it is, its status and deadline, and how and when it was met or why it does
    not apply."""
    template = obligation.template
    recipient = obligation.recipient_detail or template.recipient_label
    status = obligation.get_status_display()
    parts = [f"{template.label} ({template.law_reference_label}), {recipient}: {status}"]
    if obligation.due_at is not None:
        parts.append(f"{_('Deadline')} {local_moment(obligation.due_at)}")
    if obligation.met_at is not None:
        sent = f"{_('Sent at')} {local_moment(obligation.met_at)}"
        if not obligation.complete:
            sent += f" ({_('preliminary')})"
        parts.append(f"{sent}: {obligation.met_note}" if obligation.met_note else sent)
    if obligation.delay_reason:
        parts.append(f"{_('Reasons for the delay')}: {obligation.delay_reason}")
    if obligation.status == ObligationStatus.WAIVED and obligation.waived_reason:
        parts.append(f"{_('Reason for waiving')}: {obligation.waived_reason}")
    return "; ".join(parts)


def _obligations(incident: Incident) -> str:
    return "\n".join(_obligation_line(obligation) for obligation in incident.obligations.all())


def _organisation(incident: Incident) -> str:
    return incident.organisation.name if incident.organisation is not None else ""


@dataclass(frozen=True)
class RecordField:
    key: str
    label: StrOrPromise
    text: Callable[[Incident], str]
    # Within a cell of the Word table and of the page, whether the text carries its label.
    labelled: bool = True


# The record's fields, in the order of Art. 33(5): facts, effects, remedial action, decisions.
FIELDS: tuple[RecordField, ...] = (
    RecordField("reference", gettext_lazy("Reference"), lambda i: i.reference, labelled=False),
    RecordField("title", gettext_lazy("Title"), lambda i: i.title, labelled=False),
    RecordField("state", gettext_lazy("State"), lambda i: str(i.get_state_display()), labelled=False),
    RecordField("organisation", gettext_lazy("Organisation handling this breach"), _organisation),
    RecordField("description", gettext_lazy("What happened"), lambda i: i.description),
    RecordField("detected_at", gettext_lazy("Detected at"), lambda i: local_moment(i.detected_at)),
    RecordField("aware_at", gettext_lazy("Aware at"), lambda i: local_moment(i.aware_at)),
    RecordField("occurred", gettext_lazy("Occurred"), _occurred),
    RecordField("breach_types", gettext_lazy("Breach types"), _breach_types),
    RecordField("affected_registers", gettext_lazy("Affected registers"), _affected),
    RecordField("likely_consequences", gettext_lazy("Likely consequences"), lambda i: i.likely_consequences),
    RecordField("measures", gettext_lazy("Measures"), lambda i: i.measures, labelled=False),
    RecordField(
        "risk_decision",
        gettext_lazy("Risk decision"),
        lambda i: str(i.get_risk_decision_display()) if i.risk_decision else "",
    ),
    RecordField("decision_reason", gettext_lazy("Reasons for the decision"), lambda i: i.decision_reason),
    RecordField(
        "art34_exception",
        gettext_lazy("Art. 34(3) exception"),
        lambda i: str(i.get_art34_exception_display()) if i.art34_exception else "",
    ),
    RecordField(
        "decision_review_reason",
        gettext_lazy("Reasons given on review"),
        lambda i: i.decision_review_reason,
    ),
    RecordField("dismissed_reason", gettext_lazy("Reason for dismissal"), lambda i: i.dismissed_reason),
    RecordField("obligations", gettext_lazy("Obligations"), _obligations, labelled=False),
)
FIELDS_BY_KEY = {field.key: field for field in FIELDS}

# The columns of the Word table and of the page: the fields grouped as Art. 33(5) names them, so
# that a landscape page holds them legibly. The CSV has one column per field instead.
COLUMNS: tuple[tuple[StrOrPromise, tuple[str, ...]], ...] = (
    (gettext_lazy("Incident"), ("reference", "title", "state", "organisation")),
    (gettext_lazy("Facts"), ("description", "detected_at", "aware_at", "occurred")),
    (gettext_lazy("Effects"), ("breach_types", "affected_registers", "likely_consequences")),
    (gettext_lazy("Remedial action"), ("measures",)),
    (
        gettext_lazy("Decisions and reasons"),
        ("risk_decision", "decision_reason", "art34_exception", "decision_review_reason", "dismissed_reason"),
    ),
    (gettext_lazy("Obligations"), ("obligations",)),
)


@dataclass(frozen=True)
class CellLine:
    """One field in a cell: its label (None when the column says what it is) and its text."""

    key: str
    label: str | None
    text: str


@dataclass(frozen=True)
class RecordEntry:
    incident: Incident
    cells: list[list[CellLine]]


def field_texts(incident: Incident) -> list[str]:
    """The incident's text for every field, in the order of FIELDS (a CSV row)."""
    return [field.text(incident) for field in FIELDS]


def record_entries(incidents: Iterable[Incident]) -> list[RecordEntry]:
    """Each incident as the cells of COLUMNS, empty fields left out; in the active language."""
    entries = []
    for incident in incidents:
        cells = []
        for _heading, keys in COLUMNS:
            lines = []
            for key in keys:
                field = FIELDS_BY_KEY[key]
                text = field.text(incident)
                if text:
                    lines.append(CellLine(key, str(field.label) if field.labelled else None, text))
            cells.append(lines)
        entries.append(RecordEntry(incident, cells))
    return entries


def column_headings() -> list[str]:
    return [str(heading) for heading, _keys in COLUMNS]
