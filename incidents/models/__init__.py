"""Breachclock's models, one module per noun of the design."""

from __future__ import annotations

from incidents.models.access import Access
from incidents.models.audit import AuditEvent, AuditTrailIsAppendOnly

__all__ = ["Access", "AuditEvent", "AuditTrailIsAppendOnly"]
