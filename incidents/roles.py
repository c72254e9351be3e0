"""The three roles of the design and what each may do.

A role is a Django group; its rights are permissions on :class:`incidents.models.Access`, given to
the group by the data migration ``0002_roles``. This module is what the code asks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth.models import PermissionsMixin
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django_stubs_ext import StrOrPromise


class Role(StrEnum):
    """Group names. They are data (stored in auth_group), so they never change once released."""

    SECURITY_LEAD = "security lead"
    DPO = "DPO"
    AUDITOR = "auditor"

    @property
    def label(self) -> StrOrPromise:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, StrOrPromise] = {
    Role.SECURITY_LEAD: _("Security lead"),
    Role.DPO: _("Data protection officer"),
    Role.AUDITOR: _("Auditor"),
}

# The roles table of the design, as permission codenames of incidents.Access.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.SECURITY_LEAD: (
        "handle_incident",
        "draft_notice",
        "manage_registers",
        "view_everything",
        "verify_audit_trail",
    ),
    Role.DPO: (
        "handle_incident",
        "decide_notification",
        "draft_notice",
        "approve_notice",
        "manage_registers",
        "view_everything",
        "verify_audit_trail",
    ),
    Role.AUDITOR: ("view_everything", "verify_audit_trail"),
}


def roles_of(user: AbstractBaseUser | AnonymousUser) -> list[Role]:
    """The roles a user holds, in the order of :class:`Role`."""
    if not isinstance(user, PermissionsMixin) or not user.is_authenticated:
        return []
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in Role if role.value in names]
