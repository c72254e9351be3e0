"""The daily checkpoint: the chain head kept outside the table, in a file and in the auditors' mail."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from incidents.audit import audit_record
from incidents.audit.checkpoint import audit_checkpoint_write
from incidents.models import AuditEvent
from incidents.tasks import audit_checkpoint
from project.celery import app
from tests.support.triggers import triggers_dropped

NIGHTLY = dt.datetime(2026, 11, 22, 1, 15, tzinfo=dt.UTC)  # 03:15 in Helsinki, when beat runs the checkpoint


def test_beat_runs_the_checkpoint_every_night() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert entry["task"] == "incidents.tasks.audit_checkpoint"
    assert entry["task"] in app.tasks
    assert entry["schedule"] == crontab(hour=3, minute=15)


def test_a_checkpoint_writes_the_head_to_a_file_and_mails_the_auditors(
    auditor: User, lead: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    head = AuditEvent.objects.order_by("-seq").first()
    assert head is not None
    with django_capture_on_commit_callbacks(execute=True):
        written = audit_checkpoint_write(now=NIGHTLY, directory=tmp_path)
    content = json.loads(written.path.read_text())
    assert written.path.name == f"checkpoint-20261122T011500Z-{head.seq}.json"
    assert content["head_seq"] == head.seq and content["head_hash"] == head.hash
    assert content["intact"] is True
    assert content["recorded_at"] == "2026-11-22T01:15:00.000000Z"

    (message,) = mail.outbox
    assert message.to == ["charlie@breachclock.example"]  # the auditor, and only the auditor
    assert message.subject == f"Breachclock audit checkpoint #{head.seq}"
    assert head.hash in message.body

    recorded = AuditEvent.objects.order_by("-seq").first()
    assert recorded is not None and recorded.action == "audit.checkpointed"
    assert json.loads(recorded.data)["head_hash"] == head.hash


def test_the_checkpoint_file_later_catches_a_cut_tail(auditor: User, tmp_path: Path) -> None:
    written = audit_checkpoint_write(now=NIGHTLY, directory=tmp_path)
    out = StringIO()
    call_command("verify_audit", "--checkpoint", str(written.path), stdout=out)
    assert f"at #{written.head_seq}" in out.getvalue()
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq >= %s", [written.head_seq])
    with pytest.raises(CommandError, match="cut off"):
        call_command("verify_audit", "--checkpoint", str(written.path), stdout=StringIO())


def test_a_broken_trail_is_reported_loudly_in_the_checkpoint(
    auditor: User, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with transaction.atomic():
        audit_record(action="incident.noted", data={"note": "genuine"})
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEvent._meta.db_table} SET data = %s WHERE seq = 1", ['{"x":1}'])
    with django_capture_on_commit_callbacks(execute=True):
        written = audit_checkpoint_write(now=NIGHTLY, directory=tmp_path)
    assert written.intact is False
    assert json.loads(written.path.read_text())["intact"] is False
    assert mail.outbox[0].subject == "Breachclock audit trail BROKEN at #1"


def test_the_task_writes_into_the_configured_folder(auditor: User, tmp_path: Path, settings: Any) -> None:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path
    path = Path(audit_checkpoint.apply().get())
    assert path.parent == tmp_path and path.exists()


def test_earlier_checkpoints_are_kept_as_they_were(auditor: User, tmp_path: Path) -> None:
    first = audit_checkpoint_write(now=NIGHTLY, directory=tmp_path)
    before = first.path.read_text()
    second = audit_checkpoint_write(now=NIGHTLY, directory=tmp_path)
    # The first checkpoint's own event moved the head on, so the second names a later head.
    assert second.head_seq == first.head_seq + 1
    assert second.path != first.path
    assert first.path.read_text() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([first.path.name, second.path.name])
