"""verify_audit catches every way of tampering with the trail that the issue lists."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from incidents.audit import audit_record
from incidents.audit.canonical import canonical_data, canonical_event, event_hash, utc_iso
from incidents.audit.export import ExportFormat, audit_export_create
from incidents.audit.selectors import AuditFilters
from incidents.models import AuditEvent
from tests.support.triggers import triggers_dropped

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def trail(db: None) -> list[AuditEvent]:
    """Six genuine events, #1..#6."""
    events = []
    for number in range(6):
        with transaction.atomic():
            events.append(
                audit_record(action="incident.noted", incident_id=7, data={"note": f"step {number}"})
            )
    assert [event.seq for event in events] == [1, 2, 3, 4, 5, 6]
    return events


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        verify(*args)
    assert failure.value.returncode == 2
    return str(failure.value)


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def write_checkpoint(path: Path, seq: int, digest: str) -> Path:
    path.write_text(json.dumps({"head_seq": seq, "head_hash": digest}))
    return path


def test_an_intact_trail_passes_with_count_and_head_hash(trail: list[AuditEvent]) -> None:
    assert verify() == f"OK: 6 events; head #6 {trail[-1].hash}\n"


@pytest.mark.django_db
def test_an_empty_trail_passes() -> None:
    assert verify().startswith("OK: 0 events; head #0 " + "0" * 64)


def test_changed_data_is_caught_at_that_event(trail: list[AuditEvent]) -> None:
    with triggers_dropped():
        sql(f"UPDATE {TABLE} SET data = %s WHERE seq = 3", ['{"note":"nothing happened"}'])
    assert (
        verify_fails()
        == "audit trail broken at #3: its content does not match its hash (the event was altered)"
    )


def test_a_changed_time_or_actor_is_caught_too(trail: list[AuditEvent]) -> None:
    with triggers_dropped():
        sql(f"UPDATE {TABLE} SET actor_username = %s WHERE seq = 5", ["somebody-else"])
    assert "broken at #5" in verify_fails()


def test_an_event_deleted_from_the_middle_is_caught(trail: list[AuditEvent]) -> None:
    with triggers_dropped():
        sql(f"DELETE FROM {TABLE} WHERE seq = 4")
    assert verify_fails() == "audit trail broken at #4: event #4 is missing (the next event is #5)"


def test_a_deletion_renumbered_to_hide_the_gap_is_caught(trail: list[AuditEvent]) -> None:
    with triggers_dropped():
        sql(f"DELETE FROM {TABLE} WHERE seq = 4")
        sql(f"UPDATE {TABLE} SET seq = 4 WHERE seq = 5")
    assert "broken at #4" in verify_fails()


def test_two_swapped_events_are_caught(trail: list[AuditEvent]) -> None:
    with triggers_dropped():
        sql(f"UPDATE {TABLE} SET seq = -1 WHERE seq = 3")
        sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = 4")
        sql(f"UPDATE {TABLE} SET seq = 4 WHERE seq = -1")
    message = verify_fails()
    assert message.startswith("audit trail broken at #3: its prev_hash does not match the hash of event #2")


def test_an_inserted_event_with_a_recomputed_hash_but_a_wrong_link_is_caught(trail: list[AuditEvent]) -> None:
    # A forger appends #7 with a correct hash of its own content, linked to #5 instead of #6.
    at = utc_iso(trail[-1].at)
    data = canonical_data({"note": "forged"})
    fields = {
        "seq": 7,
        "actor_id": None,
        "actor_username": "forger",
        "action": "incident.noted",
        "object_type": None,
        "object_id": None,
        "incident_id": 7,
        "data": data,
        "client_ip": None,
    }
    digest = event_hash(trail[4].hash, canonical_event(at=at, **fields))  # type: ignore[arg-type]
    AuditEvent(at=trail[-1].at, prev_hash=trail[4].hash, hash=digest, **fields).save()
    message = verify_fails()
    assert message.startswith("audit trail broken at #7: its prev_hash does not match the hash of event #6")


def test_an_event_inserted_in_the_middle_with_a_recomputed_hash_is_caught(trail: list[AuditEvent]) -> None:
    # A forger makes room after #3 and slips in an event correctly hashed and linked to #3; the
    # events after it still link to the old #3 and hash their old numbers.
    with triggers_dropped():
        for seq in (6, 5, 4):
            sql(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [seq + 1, seq])
    fields = {
        "seq": 4,
        "actor_id": None,
        "actor_username": "forger",
        "action": "incident.noted",
        "object_type": None,
        "object_id": None,
        "incident_id": 7,
        "data": canonical_data({"note": "nothing to see"}),
        "client_ip": None,
    }
    digest = event_hash(trail[2].hash, canonical_event(at=utc_iso(trail[2].at), **fields))  # type: ignore[arg-type]
    AuditEvent(at=trail[2].at, prev_hash=trail[2].hash, hash=digest, **fields).save()
    assert verify_fails().startswith("audit trail broken at #5: ")


def test_a_cut_off_tail_is_caught_against_an_earlier_checkpoint(
    trail: list[AuditEvent], tmp_path: Path
) -> None:
    checkpoint = write_checkpoint(tmp_path / "checkpoint.json", 6, trail[-1].hash)
    assert "Matches" in verify("--checkpoint", str(checkpoint))
    with triggers_dropped():
        sql(f"DELETE FROM {TABLE} WHERE seq >= 5")
    assert verify().startswith("OK: 4 events")  # the shortened chain is consistent in itself ...
    message = verify_fails("--checkpoint", str(checkpoint))  # ... but not with what was recorded
    assert message == (
        f"audit trail broken at #5: the chain ends at #4 but {checkpoint} records #6: "
        "events after the last one were cut off"
    )


def test_a_cut_off_tail_is_caught_against_an_export_manifest(
    trail: list[AuditEvent], auditor: User, tmp_path: Path
) -> None:
    export = audit_export_create(
        actor=auditor, request=None, filters=AuditFilters(), fmt=ExportFormat.JSONL, now=timezone.now()
    )
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        manifest = tmp_path / "manifest.json"
        manifest.write_bytes(archive.read("manifest.json"))
    exported_head = json.loads(manifest.read_text())["head_seq"]
    assert "Matches" in verify("--checkpoint", str(manifest))
    with triggers_dropped():
        sql(f"DELETE FROM {TABLE} WHERE seq >= %s", [exported_head - 1])
    assert f"the chain ends at #{exported_head - 2}" in verify_fails("--checkpoint", str(manifest))


def test_a_rewritten_table_is_caught_against_an_earlier_checkpoint(
    trail: list[AuditEvent], tmp_path: Path
) -> None:
    checkpoint = write_checkpoint(tmp_path / "checkpoint.json", 4, trail[3].hash)
    # Rewrite the whole chain with different content and recomputed, consistent hashes.
    with triggers_dropped():
        sql(f"DELETE FROM {TABLE}")
    for number in range(6):
        with transaction.atomic():
            audit_record(action="incident.noted", incident_id=7, data={"note": f"rewritten {number}"})
    assert verify().startswith("OK: 6 events")
    assert "broken at #4: its hash differs from the one" in verify_fails("--checkpoint", str(checkpoint))


def test_an_unreadable_checkpoint_is_named(trail: list[AuditEvent], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"head_seq": "six"}')
    with pytest.raises(CommandError, match=r"bad.json: a checkpoint needs head_seq"):
        verify("--checkpoint", str(bad))


def test_the_command_exits_0_on_an_intact_trail_and_2_naming_the_broken_event(tmp_path: Path) -> None:
    """As an operator runs it: its own process, its own database (a fresh SQLite one here)."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "BREACHCLOCK_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "project.settings"}
    env.pop("DATABASE_URL", None)

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    assert manage("migrate", "-v0").returncode == 0
    assert manage("load_demo").returncode == 0  # users, roles, registers, incidents: a real trail
    intact = manage("verify_audit")
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.startswith("OK: ")
    with sqlite3.connect(tmp_path / "breachclock.sqlite3") as database:
        database.execute("DROP TRIGGER audit_event_no_update")
        database.execute(f"UPDATE {TABLE} SET actor_username = 'someone-else' WHERE seq = 3")
    broken = manage("verify_audit")
    assert broken.returncode == 2
    assert (
        "audit trail broken at #3: its content does not match its hash (the event was altered)"
        in broken.stderr
    )
