"""Which clocks an incident has, when each started and when it is due.

The regimes are rows (ObligationTemplate, seeded by a migration); this module only knows the
vocabulary of facts they are made of: when a regime applies (APPLIES) and what starts its clock
(the start event). ``obligations_refresh`` is called by every service that changes such a fact,
inside its transaction, and is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from incidents.audit import audit_record
from incidents.choices import (
    OPEN_OBLIGATION_STATUSES,
    SENT_OBLIGATION_STATUSES,
    UNCONFIRMED_STATES,
    Art34Exception,
)
from incidents.clocks.deadlines import deadline_after
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
    return _confirmed(incident) and (
        incident.obligations.filter(
            template__code="gdpr-33-1", status__in=SENT_OBLIGATION_STATUSES, complete=False
        ).exists()
    )


def _high_risk(incident: Incident) -> bool:
    return (
        _confirmed(incident) and incident.risk_decision == RiskDecision.HIGH and not incident.art34_exception
    )


def _public_communication(incident: Incident) -> bool:
    # Art. 34(3)(c): telling each person would take disproportionate effort, so the data subjects
    # are told by a public communication or a like measure, as effective, in their place.
    return (
        _confirmed(incident)
        and incident.risk_decision == RiskDecision.HIGH
        and incident.art34_exception == Art34Exception.DISPROPORTIONATE
    )


def _processor(incident: Incident) -> bool:
    return _confirmed(incident) and _role(incident) in (Organisation.Role.PROCESSOR, Organisation.Role.BOTH)


def _nis2(incident: Incident) -> bool:
    # The security incident, not personal data, starts these: a dismissal does not lapse them.
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
    AppliesWhen.PUBLIC_COMMUNICATION: _public_communication,
    AppliesWhen.PROCESSOR: _processor,
    AppliesWhen.NIS2_SIGNIFICANT: _nis2,
    AppliesWhen.DORA_MAJOR: _dora,
}
# The GDPR's clocks, which need a personal-data breach: "not a personal-data breach" lapses these
# only; NIS2 and DORA duties come from the security incident and stay until met or waived.
PERSONAL_DATA_CONDITIONS = frozenset(
    {
        AppliesWhen.CONTROLLER_UNLESS_UNLIKELY,
        AppliesWhen.PRELIMINARY_INCOMPLETE,
        AppliesWhen.HIGH_RISK_NO_EXCEPTION,
        AppliesWhen.PUBLIC_COMMUNICATION,
        AppliesWhen.PROCESSOR,
    }
)


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
    # The latest sending of the earlier stage: DORA's final report counts from the latest
    # intermediate report (Delegated Regulation (EU) 2025/301 Art. 5(3)).
    return (
        Obligation.objects.filter(
            incident=incident, template=obligation.template.start_after, status__in=SENT_OBLIGATION_STATUSES
        )
        .order_by("-met_at")
        .values_list("met_at", flat=True)
        .first()
    )


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
        # One source of truth: the obligation holds the target (the decision seeds it, a later
        # target replaces it), so the clock and the trail's obligation.target_set agree.
        return obligation.due_at
    if start is None:
        return None
    hours = contract_hours if contract_hours is not None else template.period_hours
    due = deadline_after(start, hours=hours or 0, months=template.period_months or 0, zone=zone)
    if template.cap_hours_after_detected is not None:
        # DORA: 4 h after classification, and never later than 24 h after the entity became aware
        # of the ICT incident, its detection (Delegated Regulation (EU) 2025/301 Art. 5(1)). The
        # GDPR's awareness of a personal-data breach is another fact and never moves this.
        due = min(due, incident.detected_at + timedelta(hours=template.cap_hours_after_detected))
    return due


def _seeded_target(template: ObligationTemplate, incident: Incident) -> datetime | None:
    """The DPO's decision names when the data subjects will have been told (Art. 34)."""
    if template.target_by_dpo and template.start_event == StartEvent.DECIDED:
        return incident.subjects_target_at
    return None


def targets_seed(incident: Incident, *, now: datetime) -> None:
    """A new decision's target becomes the deadline of the clocks it starts (called by the
    decision, after which a target the DPO sets on the obligation replaces it)."""
    for obligation in incident.obligations.select_related("template").filter(
        status__in=OPEN_OBLIGATION_STATUSES
    ):
        target = _seeded_target(obligation.template, incident)
        if target is None or target == obligation.due_at:
            continue
        obligation.due_at = target
        obligation.status = ObligationStatus.MISSED if target <= now else ObligationStatus.PENDING
        obligation.save(update_fields=["due_at", "status"])
        reminders_plan(obligation, now=now)
    _next_due_refresh(incident)


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


def obligations_refresh(incident: Incident, *, now: datetime, actor: Any = None) -> list[Obligation]:
    """Bring the incident's obligations in line with its facts; return those that changed.

    ``actor``: who changed the facts, named on the trail when a sent notice is judged anew.
    """
    zone = _zone()
    changed: list[Obligation] = []
    existing = {
        (o.template_id, o.recipient_detail): o for o in incident.obligations.select_related("template")
    }
    for template in ObligationTemplate.objects.filter(active=True).select_related("start_after"):
        applies = APPLIES[template.applies_when](incident)
        recipients = _recipients(template, incident) if applies else {}
        for recipient in recipients:
            if (template.pk, recipient) not in existing:
                obligation = Obligation(
                    incident=incident,
                    template=template,
                    recipient_detail=recipient,
                    due_at=_seeded_target(template, incident),
                )
                obligation.save()
                existing[(template.pk, recipient)] = obligation
        for (template_id, recipient), obligation in existing.items():
            if template_id != template.pk:
                continue
            owed = recipient in recipients
            lapsed = None if owed else _lapse_reason(template, incident, recipient, applies=applies)
            hours = recipients.get(recipient)
            if _refresh_one(
                obligation, incident, lapsed=lapsed, hours=hours, zone=zone, now=now, actor=actor
            ):
                changed.append(obligation)
    _next_due_refresh(incident)
    return changed


def _lapse_reason(template: ObligationTemplate, incident: Incident, recipient: str, *, applies: bool) -> str:
    """Why a clock no longer applies, in words the DPO can stand behind on the record."""
    if applies and recipient:
        # A processor's notice to a customer whose registers are no longer affected.
        return _("No longer applies: no affected register of %(recipient)s.") % {"recipient": recipient}
    if incident.state == IncidentState.DISMISSED and template.applies_when in PERSONAL_DATA_CONDITIONS:
        return _("No longer applies: dismissed as not a personal-data breach (%(reason)s).") % {
            "reason": incident.dismissed_reason
        }
    if (
        template.applies_when == AppliesWhen.CONTROLLER_UNLESS_UNLIKELY
        and incident.is_confirmed
        and incident.risk_decision == RiskDecision.UNLIKELY
    ):
        return _("The DPO decided the breach is unlikely to result in a risk: %(reason)s") % {
            "reason": incident.decision_reason
        }
    return _("No longer applies: %(condition)s.") % {"condition": AppliesWhen(template.applies_when).label}


def _refresh_one(
    obligation: Obligation,
    incident: Incident,
    *,
    lapsed: str | None,
    hours: int | None,
    zone: ZoneInfo,
    now: datetime,
    actor: Any,
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
        obligation.status = (
            ObligationStatus.MISSED
            if overdue or _stays_missed(obligation, before[0])
            else (ObligationStatus.PENDING)
        )
    elif lapsed is None and obligation.is_sent:
        _rejudge(obligation, incident, hours=hours, zone=zone, now=now, actor=actor)
    after = (obligation.status, obligation.start_at, obligation.due_at, obligation.waived_reason)
    if after == before:
        return False
    obligation.save(update_fields=["status", "start_at", "due_at", "waived_reason"])
    reminders_plan(obligation, now=now)
    return True


def _stays_missed(obligation: Obligation, status_before: str) -> bool:
    """A deadline recorded as missed stays missed when a later fact moves it: a DORA or NIS2 notice
    that was late is late. Only the GDPR's awareness, which the design lets a security lead
    correct with a reason, and a target the DPO sets judge the clock anew."""
    template = obligation.template
    return (
        status_before == ObligationStatus.MISSED
        and not template.target_by_dpo
        and template.start_event != StartEvent.AWARE
    )


def _rejudge(
    obligation: Obligation,
    incident: Incident,
    *,
    hours: int | None,
    zone: ZoneInfo,
    now: datetime,
    actor: Any,
) -> None:
    """A sent notice is judged against the deadline as the facts now give it: moving awareness
    earlier can make a notice sent in time a late one, whose reasons for the delay are owed
    (Art. 33(1)). The trail records the new judgement beside the correction that caused it."""
    assert obligation.met_at is not None
    due_before, status_before = obligation.due_at, obligation.status
    obligation.start_at = _start(obligation, incident)
    obligation.due_at = _due(obligation, incident, obligation.start_at, zone, contract_hours=hours)
    late = obligation.due_at is not None and obligation.met_at > obligation.due_at
    obligation.status = ObligationStatus.LATE if late else ObligationStatus.MET
    if (obligation.due_at, obligation.status) == (due_before, status_before):
        return
    obligation_audit(
        obligation,
        "obligation.rejudged",
        actor=actor,
        now=now,
        met_at=obligation.met_at,
        changes={"due_at": [due_before, obligation.due_at], "status": [status_before, obligation.status]},
    )


def obligation_audit(obligation: Obligation, action: str, *, actor: Any, now: datetime, **data: Any) -> None:
    """An act on one clock, in the trail with the clock and the recipient it concerns."""
    audit_record(
        action=action,
        actor=actor,
        obj=obligation,
        incident_id=obligation.incident_id,
        data={
            "obligation": obligation.template.code,
            "recipient": obligation.recipient_detail or None,
            **data,
        },
        now=now,
    )


def provisional_clock(incident: Incident) -> tuple[datetime, ObligationTemplate] | None:
    """Before confirmation, the shortest deadline the incident could have, counted from detection
    (the worst case), and the clock it stands for: a customer's processor contract, the NIS2 early
    warning, DORA's 24 hours, otherwise the 72 hours of Art. 33(1)."""
    role = _role(incident)
    organisation = incident.organisation
    candidates: list[tuple[datetime, int, ObligationTemplate]] = []
    for template in ObligationTemplate.objects.filter(active=True):
        condition = template.applies_when
        hours: int | None = None
        if condition == AppliesWhen.CONTROLLER_UNLESS_UNLIKELY and role != Organisation.Role.PROCESSOR:
            hours = template.period_hours
        elif condition == AppliesWhen.PROCESSOR and role != Organisation.Role.CONTROLLER:
            contracts = [h for h in _recipients(template, incident).values() if h]
            hours = min(contracts, default=template.period_hours)
        elif (
            condition == AppliesWhen.NIS2_SIGNIFICANT and organisation is not None and organisation.nis2_scope
        ):
            hours = template.period_hours if template.start_event == StartEvent.DETECTED else None
        elif condition == AppliesWhen.DORA_MAJOR and organisation is not None and organisation.dora_scope:
            hours = template.cap_hours_after_detected
        if hours:
            candidates.append((incident.detected_at + timedelta(hours=hours), template.position, template))
    if not candidates:
        return None
    due, _position, template = min(candidates, key=lambda c: (c[0], c[1]))
    return due, template


def _next_due_refresh(incident: Incident) -> None:
    """Keep the incident's nearest deadline, and whose it is, for the dashboard: provisional before
    the first confirmation; a dismissed incident keeps the NIS2 and DORA clocks still open."""
    nearest = (
        incident.obligations.filter(status__in=OPEN_OBLIGATION_STATUSES, due_at__isnull=False)
        .order_by("due_at", "template__position")
        .values_list("due_at", "template_id")
        .first()
    )
    next_due, template_id = nearest if nearest else (None, None)
    provisional = False
    # A reopened incident was confirmed once: its clocks are history, not a worst case days overdue.
    if incident.state in UNCONFIRMED_STATES and incident.confirmed_at is None:
        worst = provisional_clock(incident)
        if worst is not None and (next_due is None or worst[0] < next_due):
            (next_due, template), provisional = worst, True
            template_id = template.pk
    elif incident.state == IncidentState.CLOSED:
        next_due, template_id = None, None
    on_dashboard = incident.is_open or next_due is not None
    fields = (next_due, provisional, template_id, on_dashboard)
    kept = (
        incident.next_due_at,
        incident.next_due_provisional,
        incident.next_due_template_id,
        incident.on_dashboard,
    )
    if kept != fields:
        incident.next_due_at, incident.next_due_provisional, incident.next_due_template_id = fields[:3]
        incident.on_dashboard = on_dashboard
        Incident.objects.filter(pk=incident.pk).update(
            next_due_at=next_due,
            next_due_provisional=provisional,
            next_due_template_id=template_id,
            on_dashboard=on_dashboard,
        )
