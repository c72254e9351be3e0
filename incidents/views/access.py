"""Who may open a page: a signed-in user without the permission is refused (403) with the roles
that hold it named, on the product's own 403 page; one not signed in has already been sent to the
login page by the login-required middleware."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from incidents.roles import Permission, role_needed_message

View = TypeVar("View", bound=Callable[..., Any])


def role_required(perm: str) -> Callable[[View], View]:
    """The view, refused unless the user holds ``perm`` ("incidents.<codename>")."""
    permission = Permission.of(perm)

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(perm):
                raise PermissionDenied(role_needed_message(permission))
            return view(request, *args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorator
