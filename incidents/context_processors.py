from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from incidents.roles import roles_of


def role(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None:
        return {"user_roles": []}
    return {"user_roles": [role.label for role in roles_of(user)]}
