"""Issuing and revoking API tokens, each audited.

django-rest-knox keeps only a SHA-512 digest of each token and its first characters (to find it
again); the token itself is shown once, when it is issued, and cannot be recovered afterwards.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken

from incidents.audit import audit_record
from incidents.audit.context import Actor
from incidents.errors import DomainError
from incidents.roles import Permission

READ = Permission.VIEW_EVERYTHING.perm


def _audit(
    action: str, *, token: AuthToken, actor: AbstractBaseUser | AnonymousUser | Actor, now: datetime
) -> None:
    audit_record(
        action=action,
        actor=actor,
        object_type="knox.authtoken",
        object_id=token.token_key,
        data={
            "user": token.user.get_username(),
            "token": token.token_key,
            "expiry": token.expiry,
        },
        now=now,
    )


# The longest a token may be valid. Far longer is no safer than never expiring, and past year
# 9999 the expiry cannot be stored at all.
MAX_TTL = timedelta(days=3650)


def api_token_issue(
    *,
    user: AbstractBaseUser,
    actor: AbstractBaseUser | AnonymousUser | Actor,
    ttl: timedelta | None = None,
    now: datetime,
) -> tuple[AuthToken, str]:
    """A new token for ``user``; returns the row and the token, which only this caller ever sees.

    ``ttl`` defaults to REST_KNOX["TOKEN_TTL"]. A user without a role is refused: the token could
    do nothing but would still be a secret to keep.
    """
    if not user.is_active:
        raise DomainError(_("User: %(user)s is not active.") % {"user": user.get_username()}, field="user")
    if not user.has_perm(READ):  # type: ignore[attr-defined]
        raise DomainError(
            _("User: %(user)s has no role; give them one before issuing a token.")
            % {"user": user.get_username()},
            field="user",
        )
    if ttl is not None and ttl <= timedelta(0):
        raise DomainError(_("Days: give a period of one day or more."), field="days")
    if ttl is not None and ttl > MAX_TTL:
        raise DomainError(
            _("Days: at most %(days)d (ten years); a token is a secret to renew, not to keep.")
            % {"days": MAX_TTL.days},
            field="days",
        )
    with transaction.atomic():
        if ttl is None:
            token, secret = AuthToken.objects.create(user=user)
        else:
            token, secret = AuthToken.objects.create(user=user, expiry=ttl)
        _audit("api_token.issued", token=token, actor=actor, now=now)
    return token, secret


def api_token_revoke(
    *, token: AuthToken, actor: AbstractBaseUser | AnonymousUser | Actor, now: datetime
) -> None:
    with transaction.atomic():
        _audit("api_token.revoked", token=token, actor=actor, now=now)
        token.delete()


def api_tokens_of(user: AbstractBaseUser) -> list[AuthToken]:
    return list(AuthToken.objects.filter(user=user).order_by("created"))
