"""Daily checkpoints: the chain head written outside the table (a file and an e-mail to auditors),
so that even a rewrite of the whole table can be caught by comparing with an earlier head."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from incidents.audit.canonical import utc_iso
from incidents.audit.record import audit_record
from incidents.audit.verify import chain_verify
from incidents.mail import email_queue
from incidents.roles import Role


@dataclass(frozen=True)
class CheckpointWritten:
    path: Path
    head_seq: int
    head_hash: str
    intact: bool
    summary: str


def checkpoint_directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def audit_checkpoint_write(*, now: datetime, directory: Path | None = None) -> CheckpointWritten:
    """Verify the chain, write its head to a new file, tell the auditors, and record that it was done."""
    directory = directory or checkpoint_directory()
    directory.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        report = chain_verify()
        content = {
            "head_seq": report.head_seq,
            "head_hash": report.head_hash,
            "count": report.count,
            "intact": report.ok,
            "summary": report.summary(),
            "recorded_at": utc_iso(now),
        }
        path = directory / f"checkpoint-{now:%Y%m%dT%H%M%SZ}-{report.head_seq}.json"
        # Exclusive create: a checkpoint file is never overwritten.
        with path.open("x", encoding="utf-8") as handle:
            json.dump(content, handle, indent=2)
            handle.write("\n")
        audit_record(
            action="audit.checkpointed",
            data={
                "head_seq": report.head_seq,
                "head_hash": report.head_hash,
                "intact": report.ok,
                "file": path.name,
            },
            now=now,
        )
        recipients = sorted(
            User.objects.filter(groups__name=Role.AUDITOR.value, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if recipients:
            subject = (
                f"Breachclock audit checkpoint #{report.head_seq}"
                if report.ok
                else f"Breachclock audit trail BROKEN at #{report.broken_seq}"
            )
            body = (
                f"{report.summary()}\n\n"
                f"Checkpoint recorded at {content['recorded_at']}:\n"
                f"  head_seq:  {report.head_seq}\n"
                f"  head_hash: {report.head_hash}\n\n"
                "Keep this e-mail. To check later that the trail still holds this head, save the line below "
                "as a file and run: manage.py verify_audit --checkpoint FILE\n\n"
                f"{json.dumps({'head_seq': report.head_seq, 'head_hash': report.head_hash})}\n"
            )
            transaction.on_commit(lambda: email_queue(recipients=recipients, subject=subject, body=body))
    return CheckpointWritten(path, report.head_seq, report.head_hash, report.ok, report.summary())
