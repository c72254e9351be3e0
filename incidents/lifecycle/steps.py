"""Running a lifecycle step with its checks: role, state, conditions, and no lost update."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition

from incidents.audit import audit_record
from incidents.clocks.obligations import obligations_refresh
from incidents.errors import ChangedMeanwhile, NotFound, TransitionRefused
from incidents.models import Incident, IncidentState
from incidents.roles import ROLE_PERMISSIONS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Each step: what a user reads ("Cannot confirm: ...") and the audit trail's action code.
STEPS: dict[str, tuple[StrOrPromise, str]] = {
    "start_triage": (gettext_lazy("start triage"), "incident.triage_started"),
    "dismiss": (gettext_lazy("dismiss"), "incident.dismissed"),
    "confirm": (gettext_lazy("confirm"), "incident.confirmed"),
    "assess": (gettext_lazy("record the assessment"), "incident.assessed"),
    "decide": (gettext_lazy("decide"), "incident.decided"),
    "start_notifying": (gettext_lazy("start notifying"), "incident.notifying_started"),
    "finish_notifying": (gettext_lazy("finish notifying"), "incident.notified"),
    "document": (gettext_lazy("record as documented"), "incident.documented"),
    "close": (gettext_lazy("close"), "incident.closed"),
    "reopen": (gettext_lazy("reopen"), "incident.reopened"),
}


def _roles_with(permission: str) -> str:
    codename = permission.split(".", 1)[1]
    names = [str(role.label) for role, codenames in ROLE_PERMISSIONS.items() if codename in codenames]
    return _(" or ").join(names)


def step_refusals(incident: Incident, step: str, user: AbstractBaseUser) -> list[str]:
    """Every reason the user cannot take this step now; empty when it can be taken."""
    method: Callable[..., Any] = getattr(incident, step)
    meta = method._django_fsm  # type: ignore[attr-defined]
    transition = meta.get_transition(incident.state)
    if transition is None:
        return [_("the incident is %(state)s.") % {"state": IncidentState(incident.state).label.lower()}]
    reasons = []
    # transition.has_perm, not django_fsm.has_transition_perm, which also fails on unmet
    # conditions and would then blame the user's role.
    if not transition.has_perm(incident, user):
        reasons.append(_("Role: this needs a %(roles)s.") % {"roles": _roles_with(transition.permission)})
    reasons += [str(condition.refusal) for condition in transition.conditions if not condition(incident)]
    return reasons


def incident_for_update(*, incident_id: int, expected_version: int | None) -> Incident:
    """Lock the incident row for this transaction and refuse if it changed since it was read."""
    try:
        incident = (
            Incident.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=incident_id)
        )
    except Incident.DoesNotExist:
        raise NotFound(_("No such incident."), field="incident") from None
    if expected_version is not None and incident.version != expected_version:
        raise ChangedMeanwhile(incident.reference)
    return incident


def step_run(
    incident: Incident,
    step: str,
    *,
    actor: AbstractBaseUser,
    now: datetime,
    data: dict[str, Any] | None = None,
    **arguments: Any,
) -> Incident:
    """Take a lifecycle step inside the caller's transaction: check, change, save, audit, refresh."""
    reasons = step_refusals(incident, step, actor)
    if reasons:
        raise TransitionRefused(str(STEPS[step][0]), reasons)
    before = incident.state
    getattr(incident, step)(**arguments)
    incident.version += 1
    try:
        incident.save()
    except ConcurrentTransition:
        raise ChangedMeanwhile(incident.reference) from None
    audit_record(
        action=STEPS[step][1],
        actor=actor,
        obj=incident,
        incident_id=incident.pk,
        data={"state": [before, incident.state], **(data or {})},
        now=now,
    )
    obligations_refresh(incident, now=now, actor=actor)
    return incident
