from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.roles import Permission


class Access(models.Model):
    """Holds the permissions for acts that belong to no single model.

    There is no table: the model exists so that each act of the roles table in the design has a
    permission (``incidents.<codename>``) that groups can be given and views can check.
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("access")
        permissions = [(permission.value, permission.label) for permission in Permission]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
