from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Access(models.Model):
    """Holds the permissions for acts that belong to no single model.

    There is no table: the model exists so that each act of the roles table in the design has a
    permission (``incidents.<codename>``) that groups can be given and views can check.
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("access")
        permissions = [
            ("handle_incident", _("Log, edit, triage, confirm, dismiss and assess incidents")),
            ("decide_notification", _("Decide on notification and waive obligations")),
            ("draft_notice", _("Draft notices and generate documents")),
            ("approve_notice", _("Approve notices and record them as sent")),
            ("manage_registers", _("Manage and import registers")),
            ("view_everything", _("Read incidents, registers, notices and the audit trail")),
            ("verify_audit_trail", _("Verify and export the audit trail")),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
