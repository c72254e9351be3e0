"""Verification throughput: a long, genuine audit trail, and the time chain_verify takes over it.

Runs in a worker process under bench.settings. The trail is written straight into the table in
large batches, with hashes computed by incidents.audit.canonical, the same functions that
audit_record uses: a million audit_record calls would take far longer than the verification
being measured, and their events would be no different.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from incidents.audit.canonical import (
    EVENT_COLUMNS,
    GENESIS_HASH,
    canonical_data,
    canonical_event,
    event_hash,
    utc_iso,
)
from incidents.audit.verify import chain_verify
from incidents.models import AuditEvent

_COLUMNS = EVENT_COLUMNS
_ACTIONS = (
    "incident.created",
    "incident.changed",
    "incident.confirmed",
    "assessment.changed",
    "notice.approved",
    "document.downloaded",
    "auth.login",
)
_USERS = [(None, None)] + [(number, f"user{number}") for number in range(1, 40)] + [(40, "sähköposti.åsa")]
_ADDRESSES = (None, "192.0.2.10", "198.51.100.7", "2001:db8::1")
_TEXTS = (
    "Payroll file sent to the wrong recipient",
    "Henkilötietojen tietoturvaloukkaus: lähetetty väärälle vastaanottajalle",
    "Personuppgiftsincident: förlorad bärbar dator",
    'Laptop "HR-14" stolen from a car',
)


def measure(*, events: int, repetitions: int, batch: int = 20_000) -> dict[str, Any]:
    started = time.perf_counter()
    written = _write_trail(events, batch=batch)
    if connection.vendor == "postgresql":
        # What autovacuum would soon do to a live table; done now so that it does not start
        # in the middle of a timed verification.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {AuditEvent._meta.db_table}")
    generation = time.perf_counter() - started
    timings = []
    for _ in range(repetitions):
        started = time.perf_counter()
        report = chain_verify()
        timings.append(time.perf_counter() - started)
        if not report.ok or report.count != written:
            raise AssertionError(f"a genuine trail of {written} events failed: {report.summary()}")
    return {"events": written, "generation_seconds": generation, "timings": timings}


def _write_trail(events: int, *, batch: int) -> int:
    """Append ``events`` genuine events after whatever the migrations left; the trail's length."""
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = head if head is not None else (0, GENESIS_HASH)
    rows = _events(first_seq=seq + 1, prev_hash=prev_hash)
    remaining = events
    while remaining:
        size = min(batch, remaining)
        with transaction.atomic():
            _insert([next(rows) for _ in range(size)])
        remaining -= size
    return seq + events


def _events(*, first_seq: int, prev_hash: str) -> Iterator[tuple[Any, ...]]:
    """An endless, varied, correctly chained stream of rows, the same on every run."""
    rng = random.Random(3)  # noqa: S311 (test data, not a secret)
    data_texts = [
        canonical_data({"changes": {"summary": [rng.choice(_TEXTS), rng.choice(_TEXTS)]}}),
        canonical_data({"changes": {"affected_people": [rng.randint(0, 500), rng.randint(0, 5000)]}}),
        canonical_data({"note": rng.choice(_TEXTS)}),
        canonical_data({}),
        canonical_data({"document": "notice-to-authority.docx", "sha256": "ab" * 32}),
    ]
    adapt = connection.ops.adapt_datetimefield_value
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    seq = first_seq
    while True:
        # Now and then a whole second, whose text still carries its six zero microseconds.
        step = (
            timedelta(seconds=rng.randint(0, 90))
            if seq % 97 == 0
            else timedelta(microseconds=rng.randint(1, 5_000_000))
        )
        moment += step
        actor_id, username = rng.choice(_USERS)
        incident_id = rng.randint(1, 3000) if seq % 5 else None
        fields: dict[str, Any] = {
            "seq": seq,
            "actor_id": actor_id,
            "actor_username": username,
            "action": rng.choice(_ACTIONS),
            "object_type": "incidents.incident" if incident_id else None,
            "object_id": str(incident_id) if incident_id else None,
            "incident_id": incident_id,
            "data": rng.choice(data_texts),
            "client_ip": rng.choice(_ADDRESSES),
        }
        digest = event_hash(prev_hash, canonical_event(at=utc_iso(moment), **fields))
        yield (
            seq,
            adapt(moment),
            actor_id,
            username,
            fields["action"],
            fields["object_type"],
            fields["object_id"],
            incident_id,
            fields["data"],
            fields["client_ip"],
            prev_hash,
            digest,
        )
        prev_hash = digest
        seq += 1


def _insert(rows: list[tuple[Any, ...]]) -> None:
    table = AuditEvent._meta.db_table
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join("?" for _ in _COLUMNS)
        raw.executemany(f"INSERT INTO {table} ({', '.join(_COLUMNS)}) VALUES ({placeholders})", rows)  # noqa: S608
