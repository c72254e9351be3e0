from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Rows made in bulk would skip the chain: events are written one by one by audit_record.
        raise AuditTrailIsAppendOnly(
            "Audit events are written one at a time by incidents.audit.audit_record."
        )


class AuditEvent(models.Model):
    """One line of the audit trail; see incidents.audit for how it is written and chained.

    ``hash = SHA-256(prev_hash + canonical JSON of the other fields)``. ``data`` holds the
    canonical JSON text itself, the exact bytes that were hashed, so no database normalisation
    (jsonb reorders keys, for one) can ever make a genuine event fail verification.
    """

    seq = models.BigIntegerField(_("sequence number"), primary_key=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # Plain values, not foreign keys: the trail outlives the users and objects it names.
    actor_id = models.BigIntegerField(_("actor id"), null=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, null=True)  # noqa: DJ001
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, null=True)  # noqa: DJ001
    object_id = models.CharField(_("object id"), max_length=64, null=True)  # noqa: DJ001
    incident_id = models.BigIntegerField(_("incident"), null=True, db_index=True)
    data = models.TextField(_("data"), default="{}")
    client_ip = models.GenericIPAddressField(_("client IP"), null=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditTrailIsAppendOnly("Audit events cannot be deleted.")
