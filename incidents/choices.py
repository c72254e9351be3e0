"""The words of the domain that models, guards and forms share: choices and the sets of them.

A leaf: it imports nothing of the application, so that the lifecycle's guards and the models can
both use it without importing each other.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    TRIAGE = "triage", _("In triage")
    DISMISSED = "dismissed", _("Dismissed (not a personal-data breach)")
    CONFIRMED = "confirmed", _("Confirmed breach")
    ASSESSED = "assessed", _("Risk assessed")
    DECIDED = "decided", _("Notification decided")
    NOTIFYING = "notifying", _("Notifying")
    NOTIFIED = "notified", _("Notified")
    DOCUMENTED = "documented", _("Documented (no notification)")
    CLOSED = "closed", _("Closed")


# Once the DPO has decided: a later assessment that proposes more marks the decision for review.
DECIDED_STATES = (
    IncidentState.DECIDED,
    IncidentState.NOTIFYING,
    IncidentState.NOTIFIED,
    IncidentState.DOCUMENTED,
    IncidentState.CLOSED,
)
# Before confirmation the clock is provisional; dismissed and closed incidents have no clock.
UNCONFIRMED_STATES = (IncidentState.REPORTED, IncidentState.TRIAGE)
OPEN_STATES = tuple(
    state for state in IncidentState if state not in (IncidentState.DISMISSED, IncidentState.CLOSED)
)
# States whose clocks may still run: a dismissed incident keeps its NIS2 and DORA duties.
CLOCK_STATES = (*OPEN_STATES, IncidentState.DISMISSED)


class RiskDecision(models.TextChoices):
    UNLIKELY = "unlikely", _("Risk unlikely: document only (Art. 33(5))")
    RISK = "risk", _("Risk: notify the supervisory authority (Art. 33)")
    HIGH = "high", _("High risk: notify the authority and the data subjects (Art. 33 and 34)")


class Art34Exception(models.TextChoices):
    NONE = "", _("No exception")
    UNINTELLIGIBLE = "a", _("(a) Data unintelligible: state-of-the-art encryption, key not compromised")
    RISK_REMOVED = "b", _("(b) Later measures removed the high risk")
    DISPROPORTIONATE = "c", _("(c) Disproportionate effort: a public communication instead")


# From the least to the most that is notified: a proposal further along is stricter.
RISK_ORDER = (RiskDecision.UNLIKELY, RiskDecision.RISK, RiskDecision.HIGH)


def stricter(proposal: str, decision: str) -> bool:
    """Whether the method proposes more notification than the DPO decided."""
    return RISK_ORDER.index(RiskDecision(proposal)) > RISK_ORDER.index(RiskDecision(decision))


class AuthorityNotice(models.TextChoices):
    """The decision's first question: is the supervisory authority notified (Art. 33)?"""

    YES = "yes", _("Yes: notify the supervisory authority (Art. 33)")
    NO = "no", _("No: the risk is unlikely; record the breach only (Art. 33(5))")


class SubjectsNotice(models.TextChoices):
    """The decision's second question: are the data subjects told (Art. 34), and if the risk is
    high but they are not told one by one, under which exception of Art. 34(3)."""

    YES = "yes", _("Yes: communicate the breach to the data subjects (Art. 34)")
    NO = "no", _("No: the risk to them is not high")
    UNINTELLIGIBLE = "a", _("Exception (a): the data is unintelligible to anyone not authorised")
    RISK_REMOVED = "b", _("Exception (b): measures taken since remove the high risk")
    DISPROPORTIONATE = "c", _("Exception (c): disproportionate effort; a public communication instead")


def decision_of(notify_authority: str, notify_subjects: str) -> tuple[RiskDecision, str]:
    """The risk decision and the Art. 34(3) exception (or "") that the two answers amount to."""
    if notify_subjects == SubjectsNotice.NO:
        return (RiskDecision.RISK if notify_authority == AuthorityNotice.YES else RiskDecision.UNLIKELY), ""
    return RiskDecision.HIGH, "" if notify_subjects == SubjectsNotice.YES else notify_subjects


def answers_of(risk_decision: str, art34_exception: str) -> tuple[str, str]:
    """The two answers (authority, data subjects) of a decision; ("", "") before there is one."""
    if not risk_decision:
        return "", ""
    authority = AuthorityNotice.NO if risk_decision == RiskDecision.UNLIKELY else AuthorityNotice.YES
    if risk_decision != RiskDecision.HIGH:
        return authority, SubjectsNotice.NO
    return authority, art34_exception or SubjectsNotice.YES


class ReasonNeeded(models.TextChoices):
    """Why a decision must carry its reasons: it departs from the proposal, notifies no one, or
    rests on an exception of Art. 34(3)."""

    AGAINST_PROPOSAL = "against_proposal"
    NOT_NOTIFIED = "not_notified"
    EXCEPTION = "exception"


def reason_needed(risk_decision: str, art34_exception: str, proposal: str | None) -> ReasonNeeded | None:
    if proposal is not None and risk_decision != proposal:
        return ReasonNeeded.AGAINST_PROPOSAL
    if risk_decision == RiskDecision.UNLIKELY:
        return ReasonNeeded.NOT_NOTIFIED
    if art34_exception:
        return ReasonNeeded.EXCEPTION
    return None


class CauseIntent(models.TextChoices):
    UNKNOWN = "unknown", _("Not known yet")
    MALICIOUS = "malicious", _("Malicious")
    ACCIDENTAL = "accidental", _("Accidental")


class CauseOrigin(models.TextChoices):
    UNKNOWN = "unknown", _("Not known yet")
    INTERNAL = "internal", _("Internal")
    EXTERNAL = "external", _("External")


class StartEvent(models.TextChoices):
    """What starts a clock. Each is a fact recorded on the incident or on another obligation."""

    DETECTED = "detected", _("Detection (detected at)")
    AWARE = "aware", _("Awareness (aware at)")
    DECIDED = "decided", _("The DPO's decision")
    CLASSIFIED_MAJOR = "classified_major", _("Classification as a major ICT incident")
    EARLIER_MET = "earlier_met", _("The earlier obligation is met (its notice sent)")


class AppliesWhen(models.TextChoices):
    """The conditions under which a regime applies, as a fixed vocabulary of facts.

    A new regime is a new ObligationTemplate row combining these; only a new kind of fact needs
    code (incidents.clocks.obligations.APPLIES).
    """

    CONTROLLER_UNLESS_UNLIKELY = (
        "controller_unless_unlikely",
        _("Controller, unless the DPO decided risk is unlikely"),
    )
    PRELIMINARY_INCOMPLETE = "preliminary_incomplete", _("The preliminary notice was incomplete")
    HIGH_RISK_NO_EXCEPTION = "high_risk_no_exception", _("High risk and no Art. 34(3) exception")
    PUBLIC_COMMUNICATION = (
        "public_communication",
        _("High risk and exception (c): a public communication instead"),
    )
    PROCESSOR = "processor", _("The organisation acts as a processor")
    NIS2_SIGNIFICANT = "nis2_significant", _("In NIS2 scope and the incident is significant")
    DORA_MAJOR = "dora_major", _("Financial entity (DORA) and a major ICT incident")


class ObligationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    MISSED = "missed", _("Missed (overdue)")
    MET = "met", _("Met")
    # Sent, but after the deadline (also when a corrected awareness moved the deadline earlier):
    # done, and the reasons for the delay are owed (Art. 33(1)).
    LATE = "late", _("Missed (sent late)")
    WAIVED = "waived", _("Waived")


# Still to be done: reminders run, and the incident cannot finish notifying.
OPEN_OBLIGATION_STATUSES = (ObligationStatus.PENDING, ObligationStatus.MISSED)
# The notice went out, in time or late: the next stage's clock counts from it.
SENT_OBLIGATION_STATUSES = (ObligationStatus.MET, ObligationStatus.LATE)


class NoticeAudience(models.TextChoices):
    AUTHORITY = "authority", _("Supervisory authority (Art. 33(3))")
    DATA_SUBJECTS = "data_subjects", _("Data subjects / customers (Art. 34(2))")
    CONTROLLER = "controller", _("Controller customer (Art. 33(2))")


class NoticePhase(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary")
    COMPLETE = "complete", _("Complete")
    SUPPLEMENTARY = "supplementary", _("Supplementary")


class NoticeLanguage(models.TextChoices):
    FI = "fi", "suomi"
    SV = "sv", "svenska"
    EN = "en", "English"


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A notice whose text may still change: an edit in review or after approval returns it to draft.
NOTICE_EDITABLE_STATES = (
    NoticeState.DRAFT,
    NoticeState.IN_REVIEW,
    NoticeState.CHANGES_REQUESTED,
    NoticeState.APPROVED,
)


class MergeOutput(models.TextChoices):
    ZIP = "zip", _("One Word document per recipient, in a zip")
    COMBINED = "combined", _("One combined document for printing")


class MergeState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ChunkState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


# The notices a merge takes as its template: approved, or already sent (a further list of
# recipients found later is written from the same approved text).
MERGE_TEMPLATE_STATES = (NoticeState.APPROVED, NoticeState.SENT)
