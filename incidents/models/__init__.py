"""Breachclock's models, one module per noun of the design."""

from __future__ import annotations

from incidents.models.access import Access
from incidents.models.audit import AuditEvent, AuditTrailIsAppendOnly
from incidents.models.organisation import Organisation
from incidents.models.register import DataItem, Register, SourceDocument

__all__ = [
    "Access",
    "AuditEvent",
    "AuditTrailIsAppendOnly",
    "DataItem",
    "Organisation",
    "Register",
    "SourceDocument",
]
