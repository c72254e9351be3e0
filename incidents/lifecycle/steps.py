"""The lifecycle's steps in one table, and taking a step with its checks: role, state,
conditions, and no lost update.

Each row of STEPS says everything a step is: its label ("Cannot confirm: ..."), its audit action,
the words the timeline and the success message use, and its inputs. The inputs are the keyword
arguments of its service, ``incidents.services.incidents.incident_<step>``, and the same names are
the fields of its web form (forms.incidents.step_form) and of its API input (api.inputs.step_input),
so the web and the API call a step the same way. Each refusal names its field (lifecycle.guards).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition

from incidents.audit import audit_record
from incidents.choices import AuthorityNotice, RiskDecision, SubjectsNotice
from incidents.clocks.obligations import obligations_refresh
from incidents.errors import ChangedMeanwhile, NotFound, Refusal, TransitionRefused
from incidents.models import Incident, IncidentState
from incidents.roles import Permission, role_needed_message

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class InputKind(StrEnum):
    TEXT = "text"  # a person's words
    MOMENT = "moment"  # a time, on the organisation's clock in a form, ISO-8601 in the API
    CHOICE = "choice"  # one of a TextChoices
    FLAG = "flag"  # a yes / no


@dataclass(frozen=True)
class StepInput:
    """One input of a step: the service's keyword argument, the form's and the API's field."""

    name: str
    kind: InputKind
    label: StrOrPromise
    required: bool = True
    help_text: StrOrPromise = ""
    choices: type[models.TextChoices] | None = None
    radio: bool = False  # shown as radio buttons with none chosen: never a default answer
    rows: int = 3


@dataclass(frozen=True)
class Step:
    label: StrOrPromise  # what a user reads: "Cannot confirm: ..."
    action: str  # the audit trail's action code
    done: StrOrPromise  # the timeline's words, and the message once it is done
    inputs: tuple[StepInput, ...] = ()
    # The incident's facts its inputs fill in: the page leaves their refusals out beside the form
    # that asks for them, so "Reason for dismissal: ..." does not disable the very form that asks.
    fills: Mapping[str, Any] = field(default_factory=dict)


def _reason(label: StrOrPromise) -> StepInput:
    return StepInput("reason", InputKind.TEXT, label)


STEPS: dict[str, Step] = {
    "start_triage": Step(
        gettext_lazy("start triage"), "incident.triage_started", gettext_lazy("Started triage")
    ),
    "dismiss": Step(
        gettext_lazy("dismiss"),
        "incident.dismissed",
        gettext_lazy("Dismissed: not a personal-data breach"),
        inputs=(_reason(gettext_lazy("Reason for dismissal")),),
        fills={"dismissed_reason": "-"},
    ),
    "confirm": Step(
        gettext_lazy("confirm"),
        "incident.confirmed",
        gettext_lazy("Confirmed a personal-data breach"),
        inputs=(
            StepInput(
                "aware_at",
                InputKind.MOMENT,
                gettext_lazy("Aware at (if earlier than now)"),
                required=False,
                help_text=gettext_lazy("Leave empty to count the 72 hours from now."),
            ),
            StepInput(
                "aware_reason",
                InputKind.TEXT,
                gettext_lazy("Why the organisation was aware earlier"),
                required=False,
                rows=2,
            ),
        ),
    ),
    "assess": Step(
        gettext_lazy("record the assessment"),
        "incident.assessed",
        gettext_lazy("Recorded the risk assessment"),
    ),
    "decide": Step(
        gettext_lazy("decide"),
        "incident.decided",
        gettext_lazy("Decided on notification"),
        inputs=(
            StepInput(
                "notify_authority",
                InputKind.CHOICE,
                gettext_lazy("Notify the supervisory authority?"),
                choices=AuthorityNotice,
                radio=True,
            ),
            StepInput(
                "notify_subjects",
                InputKind.CHOICE,
                gettext_lazy("Tell the data subjects?"),
                choices=SubjectsNotice,
                radio=True,
                help_text=gettext_lazy(
                    "A high risk is communicated to them, unless an exception of Art. 34(3) applies."
                ),
            ),
            StepInput(
                "unlikely_confirmed",
                InputKind.FLAG,
                gettext_lazy(
                    "I confirm the risk is unlikely although the affected registers hold special categories "
                    "of personal data or personal identity codes"
                ),
                required=False,
            ),
            StepInput(
                "reason",
                InputKind.TEXT,
                gettext_lazy("Reasons for the decision"),
                required=False,
                help_text=gettext_lazy(
                    "Required when the decision departs from the proposal, notifies no one or rests on an "
                    "exception; kept in the breach record (Art. 33(5))."
                ),
            ),
            StepInput(
                "subjects_target_at",
                InputKind.MOMENT,
                gettext_lazy("Data subjects informed by"),
                required=False,
                help_text=gettext_lazy(
                    "Needed when the data subjects are told, one by one or by a public communication."
                ),
            ),
        ),
        fills={"risk_decision": RiskDecision.RISK, "decision_reason": "-"},
    ),
    "start_notifying": Step(
        gettext_lazy("start notifying"), "incident.notifying_started", gettext_lazy("Started notifying")
    ),
    "finish_notifying": Step(
        gettext_lazy("finish notifying"), "incident.notified", gettext_lazy("Finished notifying")
    ),
    "document": Step(
        gettext_lazy("record as documented"),
        "incident.documented",
        gettext_lazy("Recorded as documented (no notification)"),
    ),
    "close": Step(gettext_lazy("close"), "incident.closed", gettext_lazy("Closed the incident")),
    "revise_decision": Step(
        gettext_lazy("revise the decision"),
        "incident.decision_revised",
        gettext_lazy("Took the decision back to decide again"),
        inputs=(_reason(gettext_lazy("Reason for revising the decision")),),
        fills={"decision_review_reason": "-"},
    ),
    "reopen": Step(
        gettext_lazy("reopen"),
        "incident.reopened",
        gettext_lazy("Reopened the incident"),
        inputs=(_reason(gettext_lazy("Reason for reopening")),),
        fills={"reopen_reason": "-"},
    ),
}


def step_refusals(incident: Incident, step: str, user: AbstractBaseUser) -> list[Refusal]:
    """Every reason the user cannot take this step now, each with the field it names; empty when
    it can be taken."""
    method: Callable[..., Any] = getattr(incident, step)
    meta = method._django_fsm  # type: ignore[attr-defined]
    transition = meta.get_transition(incident.state)
    if transition is None:
        state = IncidentState(incident.state).label.lower()
        return [Refusal(_("the incident is %(state)s.") % {"state": state}, None)]
    refusals = []
    # transition.has_perm, not django_fsm.has_transition_perm, which also fails on unmet
    # conditions and would then blame the user's role.
    if not transition.has_perm(incident, user):
        refusals.append(Refusal(role_needed_message(Permission.of(transition.permission)), None))
    refusals += [
        Refusal(str(condition.refusal), condition.field)
        for condition in transition.conditions
        if not condition(incident)
    ]
    return refusals


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
    refusals = step_refusals(incident, step, actor)
    if refusals:
        raise TransitionRefused(str(STEPS[step].label), refusals)
    before = incident.state
    getattr(incident, step)(**arguments)
    # The whole row: it is locked and its version checked, and which fields a step sets varies.
    return incident_write_end(
        incident,
        action=STEPS[step].action,
        actor=actor,
        now=now,
        data={"state": [before, incident.state], **(data or {})},
    )


def incident_write_end(
    incident: Incident,
    *,
    action: str,
    actor: AbstractBaseUser,
    now: datetime,
    data: dict[str, Any],
    update_fields: list[str] | None = None,
) -> Incident:
    """The end of every write to an incident, inside its transaction: a new version (so a form or
    API call that read the old one is refused), the save, its audit event, and the clocks brought
    in line with the new facts. ``update_fields``: the fields changed, or None for the whole row."""
    incident.version += 1
    fields = None if update_fields is None else [*update_fields, "version", "updated_at"]
    try:
        incident.save(update_fields=fields)
    except ConcurrentTransition:
        raise ChangedMeanwhile(incident.reference) from None
    audit_record(action=action, actor=actor, obj=incident, incident_id=incident.pk, data=data, now=now)
    obligations_refresh(incident, now=now, actor=actor)
    return incident
