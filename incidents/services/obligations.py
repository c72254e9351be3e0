"""The acts on one clock: record it met, waive it (DPO), or set its target (DPO)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from incidents.audit import audit_record
from incidents.clocks.obligations import obligation_audit, obligations_refresh, reminders_plan
from incidents.errors import DomainError, NotFound
from incidents.lifecycle.steps import incident_for_update
from incidents.models import Incident, Obligation, ObligationStatus
from incidents.roles import Permission, require


def _obligation_locked(obligation_id: int) -> Obligation:
    obligation = (
        # Lock this obligation only, not the shared template row it is joined with.
        Obligation.objects.select_for_update(of=("self",))
        .select_related("template", "incident")
        .filter(pk=obligation_id)
        .first()
    )
    if obligation is None:
        raise NotFound(_("No such obligation."), field="obligation")
    return obligation


def _open_obligation(obligation_id: int) -> Obligation:
    obligation = _obligation_locked(obligation_id)
    if not obligation.is_open:
        raise DomainError(
            _("This obligation is already %(status)s.")
            % {"status": ObligationStatus(obligation.status).label.lower()}
        )
    return obligation


def obligation_mark_met(
    *,
    obligation_id: int,
    actor: AbstractBaseUser,
    met_at: datetime,
    note: str,
    now: datetime,
    complete: bool = True,
    delay_reason: str = "",
) -> Obligation:
    """Record that the notice was sent. A preliminary (incomplete) Art. 33 notice starts the
    Art. 33(4) supplementary clock; the next stage of NIS2 and DORA starts from this one.

    Sent after the deadline, it is recorded as sent late, and the reasons for the delay
    (Art. 33(1)) are asked for until given, here or later (obligation_explain_delay)."""
    require(actor, Permission.HANDLE_INCIDENT)
    if met_at > now:
        raise DomainError(_("Sent at: cannot be in the future."), field="met_at")
    if not note.strip():
        raise DomainError(
            _("How it was sent: name the channel and, if given, the case number."), field="note"
        )
    with transaction.atomic():
        obligation = _open_obligation(obligation_id)
        incident = incident_for_update(incident_id=obligation.incident_id, expected_version=None)
        if obligation.start_at is not None and met_at < obligation.start_at:
            # A form gives the minute only: sent in the minute the clock started is sent then.
            if met_at < obligation.start_at.replace(second=0, microsecond=0):
                raise DomainError(_("Sent at: cannot be before the clock started."), field="met_at")
            met_at = obligation.start_at
        late = obligation.due_at is not None and met_at > obligation.due_at
        facts = {
            "met_at": met_at,
            "met_note": note.strip(),
            "complete": complete,
            "delay_reason": delay_reason.strip() if late else "",
        }
        _obligation_close(
            obligation,
            incident,
            status=ObligationStatus.LATE if late else ObligationStatus.MET,
            facts=facts,
            actor=actor,
            now=now,
            action="obligation.met",
            data={
                "obligation": obligation.template.code,
                "recipient": obligation.recipient_detail or None,
                "met_at": met_at,
                "late": late,
                "complete": complete,
                "note": facts["met_note"],
                "delay_reason": facts["delay_reason"] or None,
            },
        )
    return obligation


def _obligation_close(
    obligation: Obligation,
    incident: Incident,
    *,
    status: ObligationStatus,
    facts: dict[str, Any],
    actor: AbstractBaseUser,
    now: datetime,
    action: str,
    data: dict[str, Any],
) -> None:
    """The end of recording a clock met or waived, inside the act's transaction: its status and
    facts with who closed it, its unsent reminders withdrawn, the audit event, and the incident's
    other clocks brought in line (a notice sent starts the next stage's clock)."""
    obligation.status = status
    for name, value in facts.items():
        setattr(obligation, name, value)
    obligation.closed_by = actor  # type: ignore[assignment]
    obligation.save(update_fields=["status", *facts, "closed_by"])
    reminders_plan(obligation, now=now)
    audit_record(action=action, actor=actor, obj=obligation, incident_id=incident.pk, data=data, now=now)
    obligations_refresh(incident, now=now, actor=actor)


def obligation_explain_delay(
    *, obligation_id: int, actor: AbstractBaseUser, reason: str, now: datetime
) -> Obligation:
    """Give the reasons for the delay of a notice sent late (Art. 33(1)); they can be completed
    later, and each version stays in the trail."""
    require(actor, Permission.HANDLE_INCIDENT)
    if not reason.strip():
        raise DomainError(_("Reasons for the delay: say why the notice was sent late."), field="reason")
    with transaction.atomic():
        obligation = _obligation_locked(obligation_id)
        if obligation.status != ObligationStatus.LATE:
            raise DomainError(
                _("Reasons for the delay: only a notice sent after its deadline needs them."), field="reason"
            )
        incident_for_update(incident_id=obligation.incident_id, expected_version=None)  # as every act does
        before = obligation.delay_reason
        obligation.delay_reason = reason.strip()
        obligation.save(update_fields=["delay_reason"])
        obligation_audit(
            obligation,
            "obligation.delay_explained",
            actor=actor,
            now=now,
            changes={"delay_reason": [before or None, obligation.delay_reason]},
        )
    return obligation


def obligation_waive(
    *, obligation_id: int, actor: AbstractBaseUser, reason: str, now: datetime
) -> Obligation:
    """The DPO decides a clock does not apply here, with a written reason."""
    require(actor, Permission.DECIDE_NOTIFICATION)
    if not reason.strip():
        raise DomainError(_("Reason: say why this obligation is waived."), field="reason")
    with transaction.atomic():
        obligation = _open_obligation(obligation_id)
        incident = incident_for_update(incident_id=obligation.incident_id, expected_version=None)
        _obligation_close(
            obligation,
            incident,
            status=ObligationStatus.WAIVED,
            facts={"waived_reason": reason.strip()},
            actor=actor,
            now=now,
            action="obligation.waived",
            data={"obligation": obligation.template.code, "reason": reason.strip()},
        )
    return obligation


def obligation_set_target(
    *, obligation_id: int, actor: AbstractBaseUser, due_at: datetime, now: datetime
) -> Obligation:
    """For clocks that run 'without undue delay', the DPO sets the target time."""
    require(actor, Permission.DECIDE_NOTIFICATION)
    if due_at < now:
        raise DomainError(_("Target: cannot be in the past."), field="due_at")
    with transaction.atomic():
        obligation = _open_obligation(obligation_id)
        if not obligation.template.target_by_dpo:
            raise DomainError(
                _("Target: this clock's deadline is set by law, not by the DPO."), field="due_at"
            )
        before = obligation.due_at
        obligation.due_at = due_at
        obligation.save(update_fields=["due_at"])
        # obligations_refresh sees this deadline as already in place and would not plan them.
        reminders_plan(obligation, now=now)
        audit_record(
            action="obligation.target_set",
            actor=actor,
            obj=obligation,
            incident_id=obligation.incident_id,
            data={"obligation": obligation.template.code, "changes": {"due_at": [before, due_at]}},
            now=now,
        )
        obligations_refresh(obligation.incident, now=now, actor=actor)
    return obligation
