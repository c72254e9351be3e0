"""The one function that writes the audit trail."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from incidents.audit.canonical import GENESIS_HASH, canonical_data, canonical_event, event_hash, utc_iso
from incidents.audit.context import Actor, actor_of, current_actor, current_request
from incidents.models import AuditEvent

# Any constant will do; it names "the audit chain head" among PostgreSQL's advisory locks.
_CHAIN_LOCK_KEY = 0x4155_4449_5400  # "AUDIT"


class AuditOutsideTransaction(RuntimeError):
    """An event must be written in the same transaction as the act it records."""


def _lock_chain_head() -> None:
    """Serialise appends so that concurrent writers still make one linear chain.

    PostgreSQL: a transaction-scoped advisory lock, held until commit, so the next writer reads
    the head only after this one's event is visible. SQLite: every transaction already began
    with BEGIN IMMEDIATE (see settings), which holds the database's write lock until commit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _chain_head() -> tuple[int, str]:
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def _object_reference(obj: models.Model | None) -> tuple[str | None, str | None]:
    if obj is None:
        return None, None
    return obj._meta.label_lower, str(obj.pk)


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | AnonymousUser | Actor | None = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    incident_id: int | None = None,
    data: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Append one event to the trail, inside the caller's transaction.

    ``actor`` is the user who acted (or an :class:`Actor`); without one, the surrounding request
    or command's actor is taken. ``action`` is a stable dotted code such as ``incident.confirmed``.
    """
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(
            f"{action}: audit_record must run inside the act's transaction.atomic()."
        )
    if isinstance(actor, Actor):
        who = actor
    elif actor is not None or request is not None:
        # A service is given its actor but not the request: the client's address still comes
        # from the request the act is part of, if there is one.
        request = request if request is not None else current_request()
        who = actor_of(actor if actor is not None else getattr(request, "user", None), request)
    else:
        who = current_actor()
    if obj is not None:
        object_type, object_id = _object_reference(obj)
    moment = now or timezone.now()
    data_text = canonical_data(data)

    _lock_chain_head()
    last_seq, prev_hash = _chain_head()
    seq = last_seq + 1
    fields: dict[str, Any] = {
        "seq": seq,
        "actor_id": who.id,
        "actor_username": who.username or None,
        "action": action,
        "object_type": object_type or None,
        "object_id": None if object_id is None or object_id == "" else str(object_id),
        "incident_id": incident_id,
        "data": data_text,
        "client_ip": who.client_ip or None,
    }
    digest = event_hash(prev_hash, canonical_event(at=utc_iso(moment), **fields))
    event = AuditEvent(at=moment, prev_hash=prev_hash, hash=digest, **fields)
    event.save()
    return event


def audit_record_now(**kwargs: Any) -> AuditEvent:
    """audit_record for receivers of framework signals that may fire outside a transaction (a
    login): the event gets a transaction of its own, or joins the one already open."""
    with transaction.atomic():
        return audit_record(**kwargs)
