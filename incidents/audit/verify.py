"""Walk the audit chain and say whether it is intact, and if not, where it first breaks."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connections, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from incidents.audit.canonical import EVENT_COLUMNS, GENESIS_HASH, canonical_event, event_hash, utc_iso
from incidents.models import AuditEvent

_COLUMNS = EVENT_COLUMNS
Row = tuple[
    int, datetime, int | None, str | None, str, str | None, str | None, int | None, str, str | None, str, str
]


@dataclass(frozen=True)
class ChainReport:
    count: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seq is None

    def summary(self) -> str:
        if self.ok:
            return f"audit trail intact: {self.count} events, head #{self.head_seq} {self.head_hash}"
        return f"audit trail broken at #{self.broken_seq}: {self.reason}"


@dataclass(frozen=True)
class Checkpoint:
    """A chain head recorded outside the table: a checkpoint file or an export manifest."""

    seq: int
    hash: str
    source: str

    @classmethod
    def from_file(cls, path: Path) -> Checkpoint:
        try:
            content: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"{path}: not a readable checkpoint ({error})") from error
        # A checkpoint file names the head; an export manifest names the chain head at export.
        seq, digest = content.get("head_seq"), content.get("head_hash")
        if not isinstance(seq, int) or not isinstance(digest, str) or len(digest) != 64:
            raise ValueError(f"{path}: a checkpoint needs head_seq (a number) and head_hash (64 hex digits)")
        return cls(seq=seq, hash=digest, source=str(path))


# How Django stores an aware time on SQLite: str() of the naive UTC datetime (year 1000 or later,
# so that the year has the four digits utc_iso gives it).
_SQLITE_TIME = re.compile(r"[1-9]\d{3}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{6})?", re.ASCII)


def _sqlite_time_text(stored: str) -> str:
    """utc_iso of a time as SQLite holds it, without building a datetime in the usual case."""
    if _SQLITE_TIME.fullmatch(stored):
        datetime.fromisoformat(stored)  # an impossible date fails here as it would in Django
        return (
            f"{stored[:10]}T{stored[11:]}Z" if len(stored) == 26 else f"{stored[:10]}T{stored[11:]}.000000Z"
        )
    # Anything else is read the way Django's SQLite backend reads a DateTimeField.
    moment = parse_datetime(stored)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, connections[AuditEvent.objects.db].timezone)
    return utc_iso(moment)  # type: ignore[arg-type]  # None fails, as it does in Django


def _time_as_is(text: str) -> str:
    return text


@contextlib.contextmanager
def _database_rows(chunk_size: int = 20_000) -> Iterator[tuple[Iterator[Row], Callable[[Any], str]]]:
    """All events in chain order, streamed, and how to turn their ``at`` column into utc_iso text.

    Raw SQL rather than the ORM, and the time as text rather than a datetime: over a long trail,
    building model values and datetimes cost more than the hashing itself.
    """
    connection = connections[AuditEvent.objects.db]
    time_text: Callable[[Any], str]
    if connection.vendor == "postgresql":
        # The same text utc_iso gives, for every time from year 1000 on.
        at, time_text = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", _time_as_is
        # Inside a transaction the server-side cursor streams; outside one it would be a cursor
        # held across commits, the whole result built on the server before the first row comes.
        reading: contextlib.AbstractContextManager[Any] = transaction.atomic(using=connection.alias)
    else:
        # An expression has no declared type, so the sqlite3 module leaves the text alone.
        at, time_text = "CAST(at AS TEXT)", _sqlite_time_text
        # No transaction: on SQLite one begins IMMEDIATE and would keep writers out meanwhile.
        reading = contextlib.nullcontext()
    columns = ", ".join(at if column == "at" else column for column in _COLUMNS)
    query = f"SELECT {columns} FROM {AuditEvent._meta.db_table} ORDER BY seq"  # noqa: S608 (no input)
    with reading, connection.chunked_cursor() as cursor:
        cursor.execute(query)

        def rows() -> Iterator[Row]:
            while chunk := cursor.fetchmany(chunk_size):
                yield from chunk

        yield rows(), time_text


def chain_verify(rows: Iterable[Row] | None = None, *, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Recompute every hash and link. The first failure wins: later events cannot be trusted once
    an earlier one is broken."""
    if rows is None:
        with _database_rows() as (database_rows, time_text):
            return _verify(database_rows, time_text, checkpoint)
    return _verify(rows, utc_iso, checkpoint)


def _verify(
    rows: Iterable[Row], time_text: Callable[[Any], str], checkpoint: Checkpoint | None
) -> ChainReport:
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    checkpoint_seq = checkpoint.seq if checkpoint is not None else None
    checkpoint_hash: str | None = None
    for (
        seq,
        at,
        actor_id,
        username,
        action,
        object_type,
        object_id,
        incident_id,
        data,
        ip,
        prev,
        digest,
    ) in rows:
        if seq != expected_seq:
            reason = (
                f"event #{expected_seq} is missing (the next event is #{seq})"
                if seq > expected_seq
                else f"event #{seq} appears out of order after #{expected_seq - 1}"
            )
            return ChainReport(count, expected_seq - 1, prev_hash, broken_seq=expected_seq, reason=reason)
        if prev != prev_hash:
            return ChainReport(
                count,
                seq - 1,
                prev_hash,
                broken_seq=seq,
                reason=f"its prev_hash does not match the hash of event #{seq - 1} (an event removed, "
                "swapped or inserted here)",
            )
        canonical = canonical_event(
            seq=seq,
            at=time_text(at),
            actor_id=actor_id,
            actor_username=username,
            action=action,
            object_type=object_type,
            object_id=object_id,
            incident_id=incident_id,
            data=data,
            client_ip=ip,
        )
        if event_hash(prev, canonical) != digest:
            return ChainReport(
                count,
                seq - 1,
                prev_hash,
                broken_seq=seq,
                reason="its content does not match its hash (the event was altered)",
            )
        if seq == checkpoint_seq:
            checkpoint_hash = digest
        prev_hash = digest
        expected_seq += 1
        count += 1
    report = ChainReport(count, expected_seq - 1, prev_hash)
    if checkpoint is not None:
        return _compare_with_checkpoint(report, checkpoint, checkpoint_hash)
    return report


def _compare_with_checkpoint(
    report: ChainReport, checkpoint: Checkpoint, hash_at_seq: str | None
) -> ChainReport:
    if checkpoint.seq > report.head_seq:
        return ChainReport(
            report.count,
            report.head_seq,
            report.head_hash,
            broken_seq=report.head_seq + 1,
            reason=f"the chain ends at #{report.head_seq} but {checkpoint.source} records #{checkpoint.seq}: "
            "events after the last one were cut off",
        )
    if checkpoint.seq > 0 and hash_at_seq != checkpoint.hash:
        return ChainReport(
            report.count,
            report.head_seq,
            report.head_hash,
            broken_seq=checkpoint.seq,
            reason=f"its hash differs from the one {checkpoint.source} records: the trail was rewritten "
            "up to this point",
        )
    return report


def database_triggers_present(using: str = "default") -> bool:
    """Whether the append-only triggers are in place (a rebuilt table on SQLite loses them)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [AuditEvent._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [AuditEvent._meta.db_table],
            )
        (count,) = cursor.fetchone()
    return bool(count >= 2)
