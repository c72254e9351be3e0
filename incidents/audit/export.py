"""Exporting the trail for an auditor: events, a manifest and the standalone verifier in one .zip."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from incidents.audit.canonical import EVENT_COLUMNS, utc_iso
from incidents.audit.record import audit_record
from incidents.audit.selectors import AuditFilters, audit_chain_head, audit_events_filtered

# The columns of both formats, in the order an auditor reads them.
EXPORT_COLUMNS = EVENT_COLUMNS
VERIFIER_NAME = "verify_audit_export.py"
MANIFEST_NAME = "manifest.json"
# Up to this size an export is built in memory; beyond it, in a temporary file.
_SPOOL_BYTES = 16 * 1024 * 1024
_CHUNK = 2000


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"

    @property
    def events_name(self) -> str:
        return f"events.{self.value}"


@dataclass(frozen=True)
class AuditExport:
    filename: str
    content: bytes
    manifest: dict[str, Any]


def verifier_path() -> Path:
    """Shipped in every export, so the auditor checks it with the same script the project publishes."""
    return settings.BASE_DIR / "tools" / VERIFIER_NAME


def _rows(filters: AuditFilters, head_seq: int) -> Iterator[dict[str, Any]]:
    # Bounded by the head read before: events appended meanwhile (this export's own among them)
    # belong to the next export, and the manifest's head stays the export's last possible event.
    events = audit_events_filtered(
        incident_id=filters.incident_id,
        actor=filters.actor,
        action=filters.action,
        since=filters.since,
        until=filters.until,
    ).filter(seq__lte=head_seq)
    for values in events.values_list(*EXPORT_COLUMNS).iterator(chunk_size=_CHUNK):
        row = dict(zip(EXPORT_COLUMNS, values, strict=True))
        row["at"] = utc_iso(row["at"])
        yield row


class _HashingWriter:
    """Writes text as UTF-8 to a file and keeps the SHA-256 of exactly those bytes."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()

    def write(self, text: str) -> int:
        encoded = text.encode("utf-8")
        self.sha256.update(encoded)
        self.target.write(encoded)
        return len(text)


def _write_jsonl(rows: Iterator[dict[str, Any]], out: _HashingWriter) -> tuple[int, int | None, int | None]:
    count, first, last = 0, None, None
    for row in rows:
        # The stored data is canonical JSON text; parsed here so a line is one plain JSON object.
        row["data"] = json.loads(row["data"])
        out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
        count, first, last = count + 1, first if first is not None else row["seq"], row["seq"]
    return count, first, last


def _write_csv(rows: Iterator[dict[str, Any]], out: _HashingWriter) -> tuple[int, int | None, int | None]:
    # A byte-order mark, so that spreadsheet programs read names like Mäkinen as UTF-8. Cells are
    # not defused against formulas: the file must keep the exact values that were hashed.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    count, first, last = 0, None, None
    for row in rows:
        writer.writerow(["" if row[column] is None else row[column] for column in EXPORT_COLUMNS])
        count, first, last = count + 1, first if first is not None else row["seq"], row["seq"]
    return count, first, last


def _zip_entry(name: str, now: datetime, mode: int = 0o644) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=timezone.localtime(now).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100000 | mode) << 16
    return info


def _zip(fmt: ExportFormat, events_file: IO[bytes], manifest: dict[str, Any], now: datetime) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        events_file.seek(0)
        with archive.open(_zip_entry(fmt.events_name, now), "w") as member:
            shutil.copyfileobj(events_file, member)
        archive.writestr(
            _zip_entry(MANIFEST_NAME, now), json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        )
        archive.writestr(_zip_entry(VERIFIER_NAME, now, mode=0o755), verifier_path().read_bytes())
    return buffer.getvalue()


def audit_export_create(
    *,
    actor: AbstractBaseUser,
    request: HttpRequest | None,
    filters: AuditFilters,
    fmt: ExportFormat,
    now: datetime,
) -> AuditExport:
    """Write the filtered trail, its manifest and the verifier into a .zip, and record the export.

    The .zip is complete before its event is recorded, so no export leaves without its event; and
    the events are read outside that transaction, so that a long export does not hold the chain's
    write lock (the manifest's head makes the snapshot exact all the same).
    """
    head_seq, head_hash = audit_chain_head()
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as events_file:
        out = _HashingWriter(events_file)
        write = _write_jsonl if fmt is ExportFormat.JSONL else _write_csv
        count, first_seq, last_seq = write(_rows(filters, head_seq), out)
        manifest: dict[str, Any] = {
            "format": fmt.value,
            "events_file": fmt.events_name,
            "count": count,
            "first_seq": first_seq,
            "last_seq": last_seq,
            "head_seq": head_seq,
            "head_hash": head_hash,
            "filters": filters.as_record(),
            "exported_at": utc_iso(now),
            "exported_by": actor.get_username(),
            "events_sha256": out.sha256.hexdigest(),
            "verifier": VERIFIER_NAME,
        }
        content = _zip(fmt, events_file, manifest, now)
    with transaction.atomic():
        audit_record(
            action="audit.exported",
            actor=actor,
            request=request,
            now=now,
            data={
                key: manifest[key]
                for key in (
                    "format",
                    "filters",
                    "count",
                    "first_seq",
                    "last_seq",
                    "head_seq",
                    "head_hash",
                    "events_sha256",
                )
            },
        )
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return AuditExport(
        filename=f"breachclock-audit-{stamp}-{fmt.value}.zip", content=content, manifest=manifest
    )
