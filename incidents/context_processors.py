from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from incidents.roles import Permission, roles_of


class _May:
    """``may.MANAGE_REGISTERS`` in a template: whether the user holds that Permission. Templates
    name the permission by the vocabulary of roles.py, not by a codename of their own."""

    def __init__(self, user: Any) -> None:
        self._user = user

    def __getattr__(self, name: str) -> bool:
        permission = Permission[name]  # a misspelt name fails loudly, not silently False
        return self._user is not None and bool(self._user.has_perm(permission.perm))


def role(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles, for the navigation bar, and what the user may do."""
    user = getattr(request, "user", None)
    if user is None:
        return {"user_roles": [], "may": _May(None)}
    return {"user_roles": [role.label for role in roles_of(user)], "may": _May(user)}
