"""The tamper-evident audit trail: one hash-chained, append-only line per security-relevant act.

Write with :func:`audit_record` inside the act's transaction; check with :func:`chain_verify`.
"""

from __future__ import annotations

from incidents.audit.record import AuditOutsideTransaction, audit_record, audit_record_now

__all__ = ["AuditOutsideTransaction", "audit_record", "audit_record_now"]
