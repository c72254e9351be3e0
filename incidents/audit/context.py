"""Who is acting, and from where, for events recorded far from the request (signal receivers).

Services are given their actor explicitly; the request middleware and management commands set
this context so that, for instance, a group change made in Django admin names its administrator.
"""

from __future__ import annotations

import contextvars
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest


@dataclass(frozen=True)
class Actor:
    id: int | None
    username: str | None
    client_ip: str | None = None


SYSTEM = Actor(id=None, username=None)

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("audit_request", default=None)
_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a TLS proxy it is the last X-Forwarded-For entry, the one our
    own proxy appended; earlier entries are whatever the client claimed."""
    candidates = []
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            candidates.append(forwarded.split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def actor_of(user: AbstractBaseUser | AnonymousUser | None, request: HttpRequest | None = None) -> Actor:
    ip = client_ip(request) if request is not None else None
    if user is None or not user.is_authenticated:
        return Actor(id=None, username=None, client_ip=ip)
    return Actor(id=user.pk, username=user.get_username(), client_ip=ip)


def current_request() -> HttpRequest | None:
    return _request.get()


def current_actor() -> Actor:
    """The actor of the surrounding request or command; the system when there is none."""
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    if request is not None:
        return actor_of(getattr(request, "user", None), request)
    return SYSTEM


@contextmanager
def request_context(request: HttpRequest) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)
