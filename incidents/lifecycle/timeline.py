"""An incident's audit events told in words, for its timeline."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.choices import NoticeState
from incidents.lifecycle.steps import STEPS
from incidents.models import (
    AuditEvent,
    Incident,
    IncidentState,
    Obligation,
    ObligationStatus,
    ObligationTemplate,
    RiskDecision,
)
from incidents.numbers import decimal_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What each action of the trail means to the people handling the incident.
ACTION_WORDS: dict[str, StrOrPromise] = {
    **{step.action: step.done for step in STEPS.values()},
    "incident.created": gettext_lazy("Logged the incident"),
    "incident.updated": gettext_lazy("Changed the facts"),
    "incident.registers_changed": gettext_lazy("Changed the affected registers"),
    "incident.aware_at_changed": gettext_lazy("Moved the moment of awareness"),
    "assessment.recorded": gettext_lazy("Recorded a risk assessment"),
    "incident.decision_review_needed": gettext_lazy(
        "Marked the decision for review: a new assessment proposes more"
    ),
    "incident.decision_kept": gettext_lazy("Kept the decision after review"),
    "obligation.met": gettext_lazy("Recorded an obligation as met"),
    "obligation.waived": gettext_lazy("Waived an obligation"),
    "obligation.target_set": gettext_lazy("Set the target of an obligation"),
    "obligation.missed": gettext_lazy("A deadline passed without the notice"),
    "obligation.rejudged": gettext_lazy("Judged a sent notice against its moved deadline"),
    "obligation.delay_explained": gettext_lazy("Gave the reasons for the delay"),
    "reminder.sent": gettext_lazy("Sent a reminder"),
    "notice.created": gettext_lazy("Drafted a notice"),
    "notice.edited": gettext_lazy("Edited a notice's text"),
    "notice.generated": gettext_lazy("Generated a notice's document"),
    "notice.uploaded": gettext_lazy("Uploaded an edited file of a notice"),
    "notice.downloaded": gettext_lazy("Downloaded a notice's document"),
    "notice.submitted": gettext_lazy("Submitted a notice for review"),
    "notice.changes_requested": gettext_lazy("Asked for changes to a notice"),
    "notice.approved": gettext_lazy("Approved a notice"),
    "notice.withdrawn": gettext_lazy("Withdrew a notice"),
    "notice.sent": gettext_lazy("Recorded a notice as sent"),
    "merge.created": gettext_lazy("Started a mail merge of letters"),
    "merge.generated": gettext_lazy("Merged the letters"),
    "merge.failed": gettext_lazy("A mail merge failed"),
    "merge.downloaded": gettext_lazy("Downloaded the merged letters"),
    "merge.sent": gettext_lazy("Recorded the letters as sent"),
}

# Fields of an event's data that are a person's words, shown as they were written.
_TEXTS: dict[str, StrOrPromise] = {
    "reason": gettext_lazy("Reason"),
    "aware_reason": gettext_lazy("Reason for the earlier awareness"),
    "note": gettext_lazy("How"),
    "delay_reason": gettext_lazy("Reasons for the delay"),
    "comment": gettext_lazy("Changes asked for"),
    "case_number": gettext_lazy("Case number"),
}


@dataclass
class TimelineEntry:
    seq: int
    at: datetime
    actor: str
    words: str
    action: str
    details: list[str] = field(default_factory=list)


def _state(code: str) -> str:
    """An incident's or a notice's state in words (the two sets of codes do not overlap)."""
    for states in (IncidentState, NoticeState):
        try:
            return str(states(code).label)
        except ValueError:
            continue
    return code


# Fields whose model gives no translatable name of their own.
_FIELD_LABELS: dict[str, StrOrPromise] = {"registers": gettext_lazy("affected registers")}


def _field_label(name: str) -> str:
    if name in _FIELD_LABELS:
        return str(_FIELD_LABELS[name])
    for model in (Incident, Obligation):
        try:
            return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        except Exception:  # noqa: S112 - not this model's; a field that no longer exists keeps its name
            continue
    return name


def _status(code: str) -> str:
    return str(ObligationStatus(code).label) if code in ObligationStatus.values else code


_THRESHOLDS: dict[str, StrOrPromise] = {
    "p50": gettext_lazy("Half of the time was used"),
    "p75": gettext_lazy("Three quarters of the time was used"),
    "p90": gettext_lazy("Nine tenths of the time was used"),
    "due": gettext_lazy("The deadline was reached"),
}


def _threshold_words(threshold: str) -> str:
    if threshold in _THRESHOLDS:
        return str(_THRESHOLDS[threshold])
    number = threshold.removeprefix("overdue-")
    if number.isdigit():
        return _("Overdue by %(hours)d hours") % {"hours": 12 * int(number)}
    return threshold


def _answered(data: dict[str, Any]) -> tuple[int, str] | None:
    """The assessment a decision answered, or that a review is about: (version, proposal)."""
    for about in (data.get("proposal"), data.get("review_of"), data):
        if not isinstance(about, dict):
            continue
        version, proposal = about.get("assessment"), about.get("proposal")
        if isinstance(version, int) and isinstance(proposal, str) and proposal in RiskDecision.values:
            return version, proposal
    return None


def _details(data: dict[str, Any], clocks: dict[str, str]) -> list[str]:
    details = []
    if isinstance(data.get("state"), list) and len(data["state"]) == 2:
        before, after = data["state"]
        details.append(
            _("State: %(before)s → %(after)s") % {"before": _state(before), "after": _state(after)}
        )
    if isinstance(data.get("changes"), dict):
        names = ", ".join(_field_label(name) for name in data["changes"])
        details.append(_("Changed: %(fields)s") % {"fields": names})
        status = data["changes"].get("status")
        if isinstance(status, list) and len(status) == 2:
            details.append(
                _("Status: %(before)s → %(after)s")
                % {"before": _status(status[0]), "after": _status(status[1])}
            )
    if data.get("obligation"):
        details.append(clocks.get(data["obligation"], data["obligation"]))
    if data.get("risk_decision"):
        decision = data["risk_decision"]
        label = RiskDecision(decision).label if decision in RiskDecision.values else decision
        details.append(_("Risk decision: %(decision)s") % {"decision": label})
    proposal = data.get("proposal")
    if (
        isinstance(proposal, str)
        and proposal in RiskDecision.values
        and isinstance(data.get("score"), int | float)
    ):
        details.append(
            _("Proposal: %(proposal)s (SE %(score)s)")
            % {"proposal": RiskDecision(proposal).label, "score": decimal_text(data["score"])}
        )
    answered = _answered(data)
    if answered is not None:
        details.append(
            _("Proposal of assessment version %(version)d: %(proposal)s")
            % {"version": answered[0], "proposal": RiskDecision(answered[1]).label}
        )
    if data.get("threshold"):
        details.append(_threshold_words(str(data["threshold"])))
    if data.get("recipients"):
        details.append(_("To: %(addresses)s") % {"addresses": ", ".join(data["recipients"])})
    for key, label in _TEXTS.items():
        if data.get(key):
            details.append(f"{label}: {data[key]}")
    return details


def timeline_entries(events: Iterable[AuditEvent]) -> list[TimelineEntry]:
    clocks = {template.code: template.label for template in ObligationTemplate.objects.all()}
    entries = []
    for event in events:
        try:
            data = json.loads(event.data)
        except ValueError:
            data = {}  # only a tampered row holds this; the audit pages say so
        entries.append(
            TimelineEntry(
                seq=event.seq,
                at=event.at,
                actor=event.actor_username or _("system"),
                words=str(ACTION_WORDS.get(event.action, event.action)),
                action=event.action,
                details=_details(data if isinstance(data, dict) else {}, clocks),
            )
        )
    return entries
