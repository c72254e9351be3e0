"""The canonical form of an audit event and its hash (the design, "Audit trail").

canonical JSON: keys sorted, no spaces, UTF-8, times as ISO-8601 UTC with microseconds and a
``Z``; ``hash = SHA-256(prev_hash + canonical JSON of the fields below)``; the first event's
prev_hash is 64 zeros. tools/verify_audit_export.py implements the same rule on its own, with the
standard library only, so that an auditor need not trust this code to check an export.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

GENESIS_HASH = "0" * 64

# The fields that are hashed, in sorted order (the canonical order).
HASHED_FIELDS = (
    "action",
    "actor_id",
    "actor_username",
    "at",
    "client_ip",
    "data",
    "incident_id",
    "object_id",
    "object_type",
    "seq",
)

# What json.dumps(..., ensure_ascii=False) writes for a str (the C encoder, called directly).
# Every column of an event in chain order of reading: what verification reads and exports write.
EVENT_COLUMNS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "incident_id",
    "data",
    "client_ip",
    "prev_hash",
    "hash",
)

_encode_string = json.encoder.encode_basestring


def utc_iso(moment: dt.datetime) -> str:
    """2026-11-22T12:05:00.000000Z: always UTC, always microseconds, so one instant has one text."""
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any) -> Any:
    """Values that JSON has no type for, as the text an auditor reads."""
    if isinstance(value, dt.datetime):
        return utc_iso(value) if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        raise TypeError("bytes do not belong in the audit trail; record a hash of them")
    raise TypeError(f"{type(value).__name__} cannot be written to the audit trail")


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False, default=_plain
    )


def canonical_data(data: Mapping[str, Any] | None) -> str:
    return canonical_json(dict(data or {}))


def canonical_event(
    *,
    seq: int,
    at: str,
    actor_id: int | None,
    actor_username: str | None,
    action: str,
    object_type: str | None,
    object_id: str | None,
    incident_id: int | None,
    data: str,
    client_ip: str | None,
) -> str:
    """The canonical JSON of one event, ``data`` being already canonical JSON text.

    Built as one formatted string rather than by json.dumps of a dict, because verification runs
    this for every event of the trail; the result is the same text (a test holds the two
    together). The strings go through the encoder json.dumps itself uses for them.
    """
    return (
        f'{{"action":{_encode_string(action)}'
        f',"actor_id":{"null" if actor_id is None else int(actor_id)}'
        f',"actor_username":{"null" if actor_username is None else _encode_string(actor_username)}'
        f',"at":"{at}"'
        f',"client_ip":{"null" if client_ip is None else _encode_string(client_ip)}'
        f',"data":{data}'
        f',"incident_id":{"null" if incident_id is None else int(incident_id)}'
        f',"object_id":{"null" if object_id is None else _encode_string(object_id)}'
        f',"object_type":{"null" if object_type is None else _encode_string(object_type)}'
        f',"seq":{int(seq)}}}'
    )


def event_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()
