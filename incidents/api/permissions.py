"""Roles as in the UI: every call needs a role; writes need the right to handle incidents, and
the DPO's acts (deciding, waiving) need the DPO's right."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from incidents.roles import Permission, role_needed_message

READ = Permission.VIEW_EVERYTHING
HANDLE = Permission.HANDLE_INCIDENT
DECIDE = Permission.DECIDE_NOTIFICATION


def acting_user(request: Request) -> AbstractBaseUser:
    """The authenticated caller, as the services take their actor (RolePermission let it in)."""
    user = request.user
    assert isinstance(user, AbstractBaseUser)
    return user


def require(request: Request, permission: Permission) -> None:
    """403 naming the roles that may, when the user holds none of them."""
    if not request.user.has_perm(permission.perm):
        raise PermissionDenied(role_needed_message(permission))


class RolePermission(permissions.BasePermission):
    """Reading needs a role (view_everything); any write needs the view's ``write_permission``
    (handle_incident unless the view says otherwise; a callable gets the view). Without
    credentials, DRF answers 401."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        require(request, READ)
        if request.method not in permissions.SAFE_METHODS:
            needed = getattr(view, "write_permission", None)
            require(request, needed(view) if callable(needed) else needed or HANDLE)
        return True
