"""The DPO's decision on notification, and its review when a later assessment proposes more.

The decision answers two questions, with nothing preselected: is the supervisory authority
notified (Art. 33), and are the data subjects told (Art. 34), or, the risk being high, which
exception of Art. 34(3) applies. The answers amount to a risk decision (unlikely, risk, high) and
an exception, which the clocks read. The reasons are required where the decision departs from the
assessment's proposal, notifies no one, or rests on an exception.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from incidents.audit import audit_record
from incidents.choices import (
    DECIDED_STATES,
    AuthorityNotice,
    RiskDecision,
    SubjectsNotice,
    decision_of,
    reason_needed,
    stricter,
)
from incidents.clocks.obligations import targets_seed
from incidents.clocks.reminder_mail import incident_link, mail_queue, mail_render
from incidents.errors import DomainError
from incidents.lifecycle.guards import REASON_NEEDED
from incidents.lifecycle.steps import incident_for_update, incident_write_end, step_run
from incidents.models import Assessment, Incident, IncidentState
from incidents.numbers import decimal_text
from incidents.roles import Permission, dpos_to_tell, require


def _answers(notify_authority: str, notify_subjects: str) -> tuple[RiskDecision, str]:
    if notify_authority not in AuthorityNotice.values:
        raise DomainError(_("Notify the supervisory authority: answer yes or no."), field="notify_authority")
    if notify_subjects not in SubjectsNotice.values:
        raise DomainError(
            _("Tell the data subjects: answer yes or no, or choose an exception of Art. 34(3)."),
            field="notify_subjects",
        )
    if notify_authority == AuthorityNotice.NO and notify_subjects != SubjectsNotice.NO:
        raise DomainError(
            _(
                "Tell the data subjects: a risk high enough to tell them, or to rest on an exception of "
                "Art. 34(3), is notified to the supervisory authority too (Art. 33). Answer yes for the "
                "authority, or no here."
            ),
            field="notify_subjects",
        )
    return decision_of(notify_authority, notify_subjects)


def incident_decide(
    *,
    incident_id: int,
    actor: AbstractBaseUser,
    expected_version: int | None,
    notify_authority: str,
    notify_subjects: str,
    now: datetime,
    reason: str = "",
    subjects_target_at: datetime | None = None,
    unlikely_confirmed: bool = False,
) -> Incident:
    """The DPO's decision on Art. 33 and 34, with reasons; it starts or waives their clocks.

    "Not notified" for registers that hold special categories of data or personal identity codes
    takes an explicit confirmation, so that it is never one hurried click.
    """
    risk_decision, art34_exception = _answers(notify_authority, notify_subjects)
    if subjects_target_at is not None and subjects_target_at < now:
        raise DomainError(_("Data subjects informed by: cannot be in the past."), field="subjects_target_at")
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        latest = incident.assessments.order_by("-version").first()
        needed = reason_needed(risk_decision, art34_exception, latest.proposal if latest else None)
        if needed is not None and not reason.strip() and incident.state == IncidentState.ASSESSED:
            raise DomainError(str(REASON_NEEDED[needed]), field="reason")
        sensitive = _sensitive_registers(incident)
        unconfirmed = risk_decision == RiskDecision.UNLIKELY and not unlikely_confirmed
        if unconfirmed and sensitive and incident.state == IncidentState.ASSESSED:
            raise DomainError(
                _(
                    "Confirm risk unlikely: %(registers)s hold special categories of personal data or "
                    "personal identity codes. Tick the confirmation if the risk is still unlikely."
                )
                % {"registers": ", ".join(sensitive)},
                field="unlikely_confirmed",
            )
        incident.risk_decision = risk_decision
        incident.decision_reason = reason.strip()
        incident.art34_exception = art34_exception
        incident.subjects_target_at = subjects_target_at
        data: dict[str, Any] = {
            "notify_authority": notify_authority,
            "notify_subjects": notify_subjects,
            "risk_decision": risk_decision,
            "reason": incident.decision_reason,
            "art34_exception": art34_exception or None,
            "subjects_target_at": subjects_target_at,
        }
        if risk_decision == RiskDecision.UNLIKELY and sensitive:
            data["unlikely_confirmed_for"] = sensitive
        # The proposal the decision answered, so the trail shows where the DPO departed from it.
        if latest is not None:
            data["proposal"] = {"assessment": latest.version, "proposal": latest.proposal}
            data["against_proposal"] = latest.proposal != risk_decision
        incident = step_run(incident, "decide", actor=actor, now=now, data=data, at=now, by=actor)
        targets_seed(incident, now=now)
    return incident


def _sensitive_registers(incident: Incident) -> list[str]:
    """The affected registers holding special-category data (Art. 9-10) or henkilötunnus."""
    return sorted(
        {
            row.register.name
            for row in incident.affected.select_related("register").prefetch_related("register__data_items")
            if row.register.has_special_categories or row.register.has_henkilotunnus
        }
    )


def incident_revise_decision(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, reason: str, now: datetime
) -> Incident:
    """Take the decision back to decide again, with the latest assessment before the DPO. The
    earlier decision's clocks run on until the new decision replaces them."""
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        review = incident.decision_review_of
        incident.decision_review_reason = reason.strip()
        data: dict[str, Any] = {
            "reason": incident.decision_review_reason,
            "risk_decision": incident.risk_decision,
        }
        if review is not None:
            data["review_of"] = {"assessment": review.version, "proposal": review.proposal}
        return step_run(incident, "revise_decision", actor=actor, now=now, data=data)


def decision_keep(
    *, incident_id: int, actor: AbstractBaseUser, expected_version: int | None, reason: str, now: datetime
) -> Incident:
    """The DPO has reviewed the decision against the stricter assessment and keeps it, saying why."""
    require(actor, Permission.DECIDE_NOTIFICATION)
    with transaction.atomic():
        incident = incident_for_update(incident_id=incident_id, expected_version=expected_version)
        review = incident.decision_review_of
        if review is None:
            raise DomainError(
                _("Decision review: no assessment since the decision proposes more than it."),
                field="decision_review",
            )
        if not reason.strip():
            raise DomainError(
                _("Reason for keeping the decision: say why it stands against the new proposal."),
                field="reason",
            )
        incident.decision_review_of = None
        incident.decision_review_reason = reason.strip()
        return incident_write_end(
            incident,
            action="incident.decision_kept",
            actor=actor,
            now=now,
            data={
                "reason": incident.decision_review_reason,
                "risk_decision": incident.risk_decision,
                "review_of": {"assessment": review.version, "proposal": review.proposal},
            },
            update_fields=["decision_review_of", "decision_review_reason"],
        )


def decision_review_mark(incident: Incident, assessment: Assessment, *, now: datetime) -> bool:
    """Inside the assessment's transaction: if the incident is decided and the new proposal is
    stricter than the decision, mark the decision for review, record it, and e-mail every DPO
    once it commits. True if it was marked."""
    if incident.state not in DECIDED_STATES or not incident.risk_decision:
        return False
    if not stricter(assessment.proposal, incident.risk_decision):
        return False
    incident.decision_review_of = assessment
    incident.save(update_fields=["decision_review_of"])
    dpos = dpos_to_tell()
    audit_record(
        action="incident.decision_review_needed",
        obj=incident,
        incident_id=incident.pk,
        data={
            "assessment": assessment.version,
            "proposal": assessment.proposal,
            "risk_decision": incident.risk_decision,
            "recipients": [user.email for user in dpos],
        },
        now=now,
    )
    mail_queue(dpos, lambda language: review_mail(incident, assessment, language=language))
    return True


def review_mail(incident: Incident, assessment: Assessment, *, language: str) -> tuple[str, str]:
    """(subject, body) of the e-mail that asks the DPOs to review a decision, in ``language``."""
    return mail_render(
        "decision_review",
        lambda _language: {
            "reference": incident.reference,
            "title": incident.title,
            "version": assessment.version,
            "assessor": assessment.created_by.get_full_name() or assessment.created_by.get_username(),
            "proposal": RiskDecision(assessment.proposal).label,
            "decision": RiskDecision(incident.risk_decision).label,
            "score": decimal_text(assessment.score),
            "link": incident_link(incident.pk),
        },
        language=language,
    )
