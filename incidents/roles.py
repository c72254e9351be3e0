"""The three roles of the design and what each may do: the one permission vocabulary.

A role is a Django group; its rights are permissions on :class:`incidents.models.Access`, given to
the group by the data migration ``0002_roles``. This module is what the code asks: models,
services, views and the API name a :class:`Permission`, never a permission string of their own.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import PermissionsMixin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incidents.errors import DomainError

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django_stubs_ext import StrOrPromise


class Permission(StrEnum):
    """The acts of the design's roles table, as codenames of incidents.Access."""

    HANDLE_INCIDENT = "handle_incident"
    DECIDE_NOTIFICATION = "decide_notification"
    DRAFT_NOTICE = "draft_notice"
    APPROVE_NOTICE = "approve_notice"
    MANAGE_REGISTERS = "manage_registers"
    VIEW_EVERYTHING = "view_everything"
    VERIFY_AUDIT_TRAIL = "verify_audit_trail"

    @property
    def perm(self) -> str:
        """As Django's ``has_perm`` and ``permission_required`` name it."""
        return f"incidents.{self.value}"

    @property
    def label(self) -> StrOrPromise:
        return PERMISSION_LABELS[self]

    @classmethod
    def of(cls, perm: str) -> Permission:
        """The permission a django-fsm transition names as ``incidents.<codename>``."""
        return cls(perm.removeprefix("incidents."))


PERMISSION_LABELS: dict[Permission, StrOrPromise] = {
    Permission.HANDLE_INCIDENT: _("Log, edit, triage, confirm, dismiss and assess incidents"),
    Permission.DECIDE_NOTIFICATION: _("Decide on notification and waive obligations"),
    Permission.DRAFT_NOTICE: _("Draft notices and generate documents"),
    Permission.APPROVE_NOTICE: _("Approve notices and record them as sent"),
    Permission.MANAGE_REGISTERS: _("Manage and import registers"),
    Permission.VIEW_EVERYTHING: _("Read incidents, registers, notices and the audit trail"),
    Permission.VERIFY_AUDIT_TRAIL: _("Verify and export the audit trail"),
}


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

# The roles table of the design.
ROLE_PERMISSIONS: dict[Role, tuple[Permission, ...]] = {
    Role.SECURITY_LEAD: (
        Permission.HANDLE_INCIDENT,
        Permission.DRAFT_NOTICE,
        Permission.MANAGE_REGISTERS,
        Permission.VIEW_EVERYTHING,
        Permission.VERIFY_AUDIT_TRAIL,
    ),
    Role.DPO: (
        Permission.HANDLE_INCIDENT,
        Permission.DECIDE_NOTIFICATION,
        Permission.DRAFT_NOTICE,
        Permission.APPROVE_NOTICE,
        Permission.MANAGE_REGISTERS,
        Permission.VIEW_EVERYTHING,
        Permission.VERIFY_AUDIT_TRAIL,
    ),
    Role.AUDITOR: (Permission.VIEW_EVERYTHING, Permission.VERIFY_AUDIT_TRAIL),
}


class RoleNeeded(DomainError):
    """The actor holds no role that may do this; the message names the roles that may."""


def roles_with(permission: Permission) -> str:
    """The roles that hold the permission, as a reader names them ("Security lead or Data
    protection officer")."""
    names = [str(role.label) for role, held in ROLE_PERMISSIONS.items() if permission in held]
    return gettext(" or ").join(names)


def role_needed_message(permission: Permission) -> str:
    return gettext("Role: this needs a %(roles)s.") % {"roles": roles_with(permission)}


def require(actor: AbstractBaseUser | AnonymousUser, permission: Permission) -> None:
    """Refuse, naming the roles needed, unless the actor holds the permission."""
    if not actor.has_perm(permission.perm):  # type: ignore[union-attr]  # every user here is a PermissionsMixin
        raise RoleNeeded(role_needed_message(permission))


def roles_of(user: AbstractBaseUser | AnonymousUser) -> list[Role]:
    """The roles a user holds, in the order of :class:`Role`.

    Read once per user object, as Django's permission checks cache theirs: a page asks in its view,
    its reminders and its menu, and the signed-in user is a new object on every request."""
    if not isinstance(user, PermissionsMixin) or not user.is_authenticated:
        return []
    cached: list[Role] | None = getattr(user, "_role_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = [role for role in Role if role.value in names]
        user._role_cache = cached  # type: ignore[attr-defined]
    return list(cached)


def dpos_to_tell() -> list[Any]:
    """Every active DPO with an e-mail address, each once, with their profile (their language)."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(groups__name=Role.DPO, is_active=True)
        .exclude(email="")
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )
