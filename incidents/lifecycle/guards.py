"""The conditions of the incident lifecycle's transitions.

Each is a function of the incident alone (django-fsm conditions) and carries, as ``refusal``,
the sentence a user reads when it does not hold, and as ``field`` the input or fact it names: the
pages put the sentence beside that field, the API lists it under that field's name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from incidents.choices import (
    OPEN_OBLIGATION_STATUSES,
    Art34Exception,
    ReasonNeeded,
    RiskDecision,
    reason_needed,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from incidents.models import Incident

Guard = Callable[["Incident"], bool]


def conditions(*guards: Guard) -> list[Any]:
    """The guards as django-fsm's ``conditions`` (typed there for any model)."""
    return list(guards)


def refusal(message: StrOrPromise, *, field: str | None) -> Callable[[Guard], Guard]:
    def mark(guard: Guard) -> Guard:
        guard.refusal = message  # type: ignore[attr-defined]
        guard.field = field  # type: ignore[attr-defined]
        return guard

    return mark


@refusal(_("Reason for dismissal: say why this is not a personal-data breach."), field="reason")
def has_dismissal_reason(incident: Incident) -> bool:
    return bool(incident.dismissed_reason.strip())


@refusal(
    _("Affected registers: name at least one register whose personal data was involved."), field="registers"
)
def has_affected_register(incident: Incident) -> bool:
    return incident.pk is not None and incident.affected.exists()


def awareness_problem(incident: Incident, *, now: datetime) -> str | None:
    """What is wrong with aware_at, if anything (the awareness rules of the design)."""
    aware_at = incident.aware_at
    if aware_at is None:
        return None
    if aware_at > now:
        return str(_("Aware at: cannot be in the future."))
    if aware_at < incident.detected_at:
        return str(_("Aware at: cannot be before the incident was detected."))
    if incident.confirmed_at is not None and aware_at > incident.confirmed_at:
        return str(_("Aware at: cannot be later than the confirmation."))
    return None


@refusal(_("Aware at: must lie between detection and confirmation."), field="aware_at")
def awareness_is_valid(incident: Incident) -> bool:
    # The future is checked by the service, which knows "now"; here the order of the facts.
    if incident.aware_at is None:
        return True
    if incident.aware_at < incident.detected_at:
        return False
    return incident.confirmed_at is None or incident.aware_at <= incident.confirmed_at


@refusal(_("Breach types: choose confidentiality, integrity and/or availability."), field="breach_types")
def has_breach_type(incident: Incident) -> bool:
    return incident.breach_confidentiality or incident.breach_integrity or incident.breach_availability


@refusal(
    _("Likely consequences: describe what could follow for the people concerned."),
    field="likely_consequences",
)
def has_likely_consequences(incident: Incident) -> bool:
    return bool(incident.likely_consequences.strip())


@refusal(_("Risk assessment: record it by the ENISA method first."), field="assessment")
def has_assessment(incident: Incident) -> bool:
    return incident.pk is not None and incident.assessments.exists()


@refusal(
    _("Notify the supervisory authority: answer yes or no, and for the data subjects too."),
    field="notify_authority",
)
def has_risk_decision(incident: Incident) -> bool:
    return bool(incident.risk_decision)


REASON_NEEDED: dict[ReasonNeeded, StrOrPromise] = {
    ReasonNeeded.AGAINST_PROPOSAL: _(
        "Reasons for the decision: write why the decision departs from the assessment's proposal."
    ),
    ReasonNeeded.NOT_NOTIFIED: _(
        "Reasons for the decision: write why the supervisory authority is not notified (Art. 33(5))."
    ),
    ReasonNeeded.EXCEPTION: _("Reasons for the decision: write why the Art. 34(3) exception applies."),
}


def latest_proposal(incident: Incident) -> str | None:
    if incident.pk is None:
        return None
    return incident.assessments.order_by("-version").values_list("proposal", flat=True).first()


@refusal(
    _(
        "Reasons for the decision: write why, when the decision departs from the proposal, notifies no one "
        "or rests on an Art. 34(3) exception."
    ),
    field="reason",
)
def has_decision_reason_when_needed(incident: Incident) -> bool:
    if incident.decision_reason.strip():
        return True
    return reason_needed(incident.risk_decision, incident.art34_exception, latest_proposal(incident)) is None


@refusal(
    _(
        "Data subjects informed by: set the target time when the data subjects are told, one by one "
        "or by a public communication (exception (c))."
    ),
    field="subjects_target_at",
)
def subjects_target_when_needed(incident: Incident) -> bool:
    # Told one by one, or by the public communication that exception (c) puts in their place.
    told = incident.art34_exception in (Art34Exception.NONE, Art34Exception.DISPROPORTIONATE)
    if incident.risk_decision != RiskDecision.HIGH or not told:
        return True
    return incident.subjects_target_at is not None


def _has_open_obligations(incident: Incident) -> bool:
    return incident.obligations.filter(status__in=OPEN_OBLIGATION_STATUSES).exists()


@refusal(_("No notification is due: record the incident as documented (Art. 33(5)) instead."), field=None)
def notification_required(incident: Incident) -> bool:
    return _has_open_obligations(incident)


@refusal(_("Obligations: every deadline must be met, or waived with a reason, first."), field="obligations")
def no_open_obligations(incident: Incident) -> bool:
    return not _has_open_obligations(incident)


@refusal(_("Measures: record the remediation done before closing."), field="measures")
def has_measures(incident: Incident) -> bool:
    return bool(incident.measures.strip())


@refusal(_("Reason for revising: say why the decision is taken again."), field="reason")
def has_revision_reason(incident: Incident) -> bool:
    return bool(incident.decision_review_reason.strip())


@refusal(_("Reason for reopening: say why the incident is reopened."), field="reason")
def has_reopen_reason(incident: Incident) -> bool:
    return bool(incident.reopen_reason.strip())
