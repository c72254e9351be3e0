"""Which clocks an incident has, when each started and when it is due.

The regimes are rows (ObligationTemplate, seeded by a migration); this module only knows the
vocabulary of facts they are made of: when a regime applies (APPLIES) and what starts its clock
(the start event). ``obligations_refresh`` is called by every service that changes such a fact,
inside its transaction, and is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from incidents.clocks import deadline_after
from incidents.models import (
    AppliesWhen,
    Incident,
    IncidentState,
    Obligation,
    ObligationStatus,
    ObligationTemplate,
    Organisation,
    Reminder,
    RiskDecision,
    StartEvent,
)
from incidents.models.incident import UNCONFIRMED_STATES
from incidents.models.obligation import OPEN_OBLIGATION_STATUSES

PROVISIONAL_HOURS = 72
# Reminders at these shares of the period, at the deadline, then every 12 hours while overdue.
REMINDER_SHARES = (("p50", 0.50), ("p75", 0.75), ("p90", 0.90))
OVERDUE_EVERY = timedelta(hours=12)


def _confirmed(incident: Incident) -> bool:
    return incident.is_confirmed


def _role(incident: Incident) -> str:
    # Without a known organisation, the GDPR's default: whoever handles the breach controls the data.
    return incident.organisation.role if incident.organisation else Organisation.Role.CONTROLLER


def _gdpr_33_1(incident: Incident) -> bool:
    return (
        _confirmed(incident)
        and _role(incident) in (Organisation.Role.CONTROLLER, Organisation.Role.BOTH)
        and incident.risk_decision != RiskDecision.UNLIKELY
    )


def _preliminary_incomplete(incident: Incident) -> bool:
    return incident.obligations.filter(
        template__code="gdpr-33-1", status=ObligationStatus.MET, complete=False
    ).exists()


def _high_risk(incident: Incident) -> bool:
    return (
        _confirmed(incident) and incident.risk_decision == RiskDecision.HIGH and not incident.art34_exception
    )


def _processor(incident: Incident) -> bool:
    return _confirmed(incident) and _role(incident) in (Organisation.Role.PROCESSOR, Organisation.Role.BOTH)


def _nis2(incident: Incident) -> bool:
    return (
        incident.organisation is not None and incident.organisation.nis2_scope and incident.nis2_significant
    )


def _dora(incident: Incident) -> bool:
    organisation = incident.organisation
    return organisation is not None and organisation.dora_scope and incident.dora_major_at is not None


APPLIES: dict[str, Callable[[Incident], bool]] = {
    AppliesWhen.CONTROLLER_UNLESS_UNLIKELY: _gdpr_33_1,
    AppliesWhen.PRELIMINARY_INCOMPLETE: _preliminary_incomplete,
    AppliesWhen.HIGH_RISK_NO_EXCEPTION: _high_risk,
    AppliesWhen.PROCESSOR: _processor,
    AppliesWhen.NIS2_SIGNIFICANT: _nis2,
    AppliesWhen.DORA_MAJOR: _dora,
}


def _recipients(template: ObligationTemplate, incident: Incident) -> dict[str, int | None]:
    """Who is owed the notice, each with the hours its contract gives, if it gives any.

    A processor owes one notice per affected controller customer (Art. 33(2)), due within the
    hours agreed with that customer (Organisation.processor_notice_hours); every other regime owes
    one notice, due on its template's period.
    """
    if template.applies_when != AppliesWhen.PROCESSOR:
        return {"": None}
    own = incident.organisation_id
    hours: dict[str, int | None] = {}
    for affected in incident.affected.select_related("register__controller").prefetch_related(
        "register__joint_controllers"
    ):
        register = affected.register
        for controller in [register.controller, *register.joint_controllers.all()]:
            if controller is None or controller.pk == own:
                continue
            # Two customers of one name (told apart by business ID) share a notice, so the
            # stricter of their contracts sets its deadline.
            agreed = [h for h in (hours.get(controller.name), controller.processor_notice_hours) if h]
            hours[controller.name] = min(agreed) if agreed else None
    # No controller is known yet: one notice, owed to the template's recipient, "the controller".
    return dict(sorted(hours.items())) or {"": None}


def _start(obligation: Obligation, incident: Incident) -> datetime | None:
    event = obligation.template.start_event
    if event == StartEvent.DETECTED:
        return incident.detected_at
    if event == StartEvent.AWARE:
        return incident.aware_at
    if event == StartEvent.DECIDED:
        return incident.decided_at
    if event == StartEvent.CLASSIFIED_MAJOR:
        return incident.dora_major_at
    earlier = (
        Obligation.objects.filter(incident=incident, template=obligation.template.start_after, status="met")
        .order_by("met_at")
        .values_list("met_at", flat=True)
        .first()
    )
    return earlier


def _due(
    obligation: Obligation,
    incident: Incident,
    start: datetime | None,
    zone: ZoneInfo,
    *,
    contract_hours: int | None = None,
) -> datetime | None:
    """The deadline: the template's period from the start, or the hours the recipient's contract
    gives instead, when it gives them."""
    template = obligation.template
    if template.target_by_dpo:
        if template.applies_when == AppliesWhen.HIGH_RISK_NO_EXCEPTION:
            return incident.subjects_target_at
        return obligation.due_at  # set by the DPO on the obligation itself
    if start is None:
        return None
    hours = contract_hours if contract_hours is not None else template.period_hours
    due = deadline_after(start, hours=hours or 0, months=template.period_months or 0, zone=zone)
    if template.cap_hours_after_aware is not None:
        due = min(due, incident.clock_start + timedelta(hours=template.cap_hours_after_aware))
    return due


def reminders_plan(obligation: Obligation, *, now: datetime) -> None:
    """(Re)plan the reminders of an open obligation from its start and deadline.

    Unsent reminders are replaced; a threshold already sent keeps its row, so a deadline that
    moves never makes a reminder go out twice.
    """
    Reminder.objects.filter(obligation=obligation, sent_at__isnull=True).delete()
    if not obligation.is_open or obligation.due_at is None:
        return
    sent = set(obligation.reminders.values_list("threshold", flat=True))
    planned = []
    if obligation.start_at is not None and obligation.due_at > obligation.start_at:
        period = obligation.due_at - obligation.start_at
        planned += [(code, obligation.start_at + period * share) for code, share in REMINDER_SHARES]
    planned.append(("due", obligation.due_at))
    # After the last overdue reminder sent, not always the first: once overdue-1 has gone out, a
    # moved deadline must still leave the next 12-hour reminder planned.
    overdue = 1 + max(
        (int(code.removeprefix("overdue-")) for code in sent if code.startswith("overdue-")), default=0
    )
    planned.append((f"overdue-{overdue}", obligation.due_at + OVERDUE_EVERY * overdue))
    Reminder.objects.bulk_create(
        [
            Reminder(obligation=obligation, threshold=code, fire_at=at)
            for code, at in planned
            if code not in sent
        ]
    )


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def obligations_refresh(incident: Incident, *, now: datetime) -> list[Obligation]:
    """Bring the incident's obligations in line with its facts; return those that changed."""
    zone = _zone()
    changed: list[Obligation] = []
    existing = {
        (o.template_id, o.recipient_detail): o for o in incident.obligations.select_related("template")
    }
    dismissed = incident.state == IncidentState.DISMISSED
    for template in ObligationTemplate.objects.filter(active=True).select_related("start_after"):
        applies = not dismissed and APPLIES[template.applies_when](incident)
        recipients = _recipients(template, incident) if applies else {}
        for recipient in recipients:
            if (template.pk, recipient) not in existing:
                obligation = Obligation(incident=incident, template=template, recipient_detail=recipient)
                obligation.save()
                existing[(template.pk, recipient)] = obligation
        for (template_id, recipient), obligation in existing.items():
            if template_id != template.pk:
                continue
            # A processor's notice to a customer whose registers are no longer affected lapses too.
            owed = recipient in recipients
            lapsed = None
            if not owed:
                lapsed = (
                    _("No longer applies: no affected register of %(recipient)s.") % {"recipient": recipient}
                    if applies and recipient
                    else _("No longer applies: %(condition)s.")
                    % {"condition": AppliesWhen(template.applies_when).label}
                )
            hours = recipients.get(recipient)
            if _refresh_one(obligation, incident, lapsed=lapsed, hours=hours, zone=zone, now=now):
                changed.append(obligation)
    _next_due_refresh(incident)
    return changed


def _refresh_one(
    obligation: Obligation,
    incident: Incident,
    *,
    lapsed: str | None,
    hours: int | None,
    zone: ZoneInfo,
    now: datetime,
) -> bool:
    """``lapsed``: why the obligation no longer applies, or None while it does."""
    before = (obligation.status, obligation.start_at, obligation.due_at, obligation.waived_reason)
    if lapsed is not None and obligation.is_open:
        obligation.status = ObligationStatus.WAIVED
        obligation.waived_reason = lapsed
    elif lapsed is None and obligation.status == ObligationStatus.WAIVED and obligation.closed_by_id is None:
        # Waived by the rules, not by a person: it applies again (e.g. a reopened incident).
        obligation.status = ObligationStatus.PENDING
        obligation.waived_reason = ""
    if obligation.is_open:
        obligation.start_at = _start(obligation, incident)
        obligation.due_at = _due(obligation, incident, obligation.start_at, zone, contract_hours=hours)
        overdue = obligation.due_at is not None and obligation.due_at <= now
        obligation.status = ObligationStatus.MISSED if overdue else ObligationStatus.PENDING
    after = (obligation.status, obligation.start_at, obligation.due_at, obligation.waived_reason)
    if after == before:
        return False
    obligation.save(update_fields=["status", "start_at", "due_at", "waived_reason"])
    reminders_plan(obligation, now=now)
    return True


def _next_due_refresh(incident: Incident) -> None:
    """Keep the incident's nearest deadline for the dashboard (provisional before confirmation)."""
    next_due: datetime | None = (
        incident.obligations.filter(status__in=OPEN_OBLIGATION_STATUSES, due_at__isnull=False)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    provisional = False
    if incident.state in UNCONFIRMED_STATES:
        # Clocks that start at detection (NIS2) run before confirmation; the nearer one is shown.
        worst_case = incident.detected_at + timedelta(hours=PROVISIONAL_HOURS)
        if next_due is None or worst_case < next_due:
            next_due, provisional = worst_case, True
    elif not incident.is_open:
        next_due = None
    if (incident.next_due_at, incident.next_due_provisional) != (next_due, provisional):
        incident.next_due_at, incident.next_due_provisional = next_due, provisional
        Incident.objects.filter(pk=incident.pk).update(next_due_at=next_due, next_due_provisional=provisional)
