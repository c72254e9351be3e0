"""Walk the audit chain and say whether it is intact, and if not, where it first breaks."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import connections

from incidents.audit.canonical import GENESIS_HASH, canonical_event, event_hash, utc_iso
from incidents.models import AuditEvent

_COLUMNS = (
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


def _rows(chunk_size: int = 5000) -> Iterator[Row]:
    """All events in chain order, streamed (a server-side cursor on PostgreSQL)."""
    query = AuditEvent.objects.order_by("seq").values_list(*_COLUMNS)
    yield from query.iterator(chunk_size=chunk_size)


def chain_verify(rows: Iterable[Row] | None = None, *, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Recompute every hash and link. The first failure wins: later events cannot be trusted once
    an earlier one is broken."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    checkpoint_hash: str | None = None
    for seq, at, actor_id, username, action, object_type, object_id, incident_id, data, ip, prev, digest in (
        rows if rows is not None else _rows()
    ):
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
            at=utc_iso(at),
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
        if checkpoint is not None and seq == checkpoint.seq:
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
