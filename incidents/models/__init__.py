"""Breachclock's models, one module per noun of the design."""

from __future__ import annotations

from incidents.models.access import Access
from incidents.models.assessment import Assessment
from incidents.models.audit import AuditEvent, AuditTrailIsAppendOnly
from incidents.models.incident import (
    Art34Exception,
    CauseIntent,
    CauseOrigin,
    Incident,
    IncidentRegister,
    IncidentSequence,
    IncidentState,
    RiskDecision,
)
from incidents.models.merge import Merge, MergeChunk
from incidents.models.notice import Notice, NoticeFile
from incidents.models.obligation import (
    AppliesWhen,
    Obligation,
    ObligationStatus,
    ObligationTemplate,
    Reminder,
    StartEvent,
)
from incidents.models.organisation import Organisation
from incidents.models.profile import Profile
from incidents.models.register import DataItem, Register, SourceDocument

__all__ = [
    "Access",
    "AppliesWhen",
    "Art34Exception",
    "Assessment",
    "AuditEvent",
    "AuditTrailIsAppendOnly",
    "CauseIntent",
    "CauseOrigin",
    "DataItem",
    "Incident",
    "IncidentRegister",
    "IncidentSequence",
    "IncidentState",
    "Merge",
    "MergeChunk",
    "Notice",
    "NoticeFile",
    "Obligation",
    "ObligationStatus",
    "ObligationTemplate",
    "Organisation",
    "Profile",
    "Register",
    "Reminder",
    "RiskDecision",
    "SourceDocument",
    "StartEvent",
]
