"""Exporting the trail, and the standalone verifier that checks an export without the application."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse

from incidents.audit import audit_record
from incidents.audit.canonical import utc_iso
from incidents.audit.export import ExportFormat, audit_export_create
from incidents.audit.selectors import AuditFilters
from incidents.models import AuditEvent
from tests.conftest import signed_in

EXPORT = reverse("audit_export")
VERIFIER = Path(settings.BASE_DIR) / "tools" / "verify_audit_export.py"
COLUMNS = [
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
]


@pytest.fixture
def trail(lead: User, dpo: User) -> list[AuditEvent]:
    """Events with the awkward values an export must carry exactly: nulls, non-ASCII, nesting."""
    with transaction.atomic():
        return [
            audit_record(
                action="incident.created", actor=lead, incident_id=4, data={"title": "Lähetys väärälle"}
            ),
            audit_record(
                action="incident.changed",
                actor=dpo,
                incident_id=4,
                object_type="incidents.incident",
                object_id=4,
                data={"changes": {"severity": [2, 3.5], "note": ["", 'quote " and, comma\nnewline']}},
            ),
            audit_record(
                action="audit.checkpointed", data={"intact": True, "nested": {"b": [1, None], "a": {}}}
            ),
            audit_record(action="auth.login", actor=dpo),
        ]


def post_export(client: Client, fmt: str = "jsonl", **filters: Any) -> zipfile.ZipFile:
    response = client.post(EXPORT, {"format": fmt, **filters})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="breachclock-audit-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]


def manifest_of(archive: zipfile.ZipFile) -> dict[str, Any]:
    return json.loads(archive.read("manifest.json"))


def head_seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_an_export_downloads_as_a_zip_whose_manifest_matches_and_is_recorded(
    auditor: User, trail: list[AuditEvent]
) -> None:
    client = signed_in(auditor)
    head = AuditEvent.objects.get(seq=head_seq())
    archive = post_export(client, "jsonl")
    assert sorted(archive.namelist()) == ["events.jsonl", "manifest.json", "verify_audit_export.py"]
    events = archive.read("events.jsonl")
    lines = [json.loads(line) for line in events.decode().splitlines()]
    manifest = manifest_of(archive)
    assert manifest["format"] == "jsonl"
    assert manifest["count"] == len(lines) == head.seq
    assert (manifest["first_seq"], manifest["last_seq"]) == (1, head.seq)
    assert (manifest["head_seq"], manifest["head_hash"]) == (head.seq, head.hash)
    assert manifest["events_sha256"] == hashlib.sha256(events).hexdigest()
    assert manifest["exported_by"] == "charlie"
    assert manifest["filters"] == {
        "incident_id": None,
        "actor": None,
        "action": None,
        "since": None,
        "until": None,
    }
    assert dt.datetime.fromisoformat(manifest["exported_at"]).tzinfo == dt.UTC

    recorded = AuditEvent.objects.get(action="audit.exported")
    assert recorded.seq == head.seq + 1, "the export's own event comes after the exported head"
    assert (recorded.actor_username, recorded.client_ip) == ("charlie", "127.0.0.1")
    assert json.loads(recorded.data) == {
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
    }
    assert archive.read("verify_audit_export.py") == VERIFIER.read_bytes()


def test_each_jsonl_line_is_one_event_with_every_field(auditor: User, trail: list[AuditEvent]) -> None:
    archive = post_export(signed_in(auditor), "jsonl", incident=4)
    lines = [json.loads(line) for line in archive.read("events.jsonl").decode().splitlines()]
    changed = trail[1]
    assert [line["seq"] for line in lines] == [trail[0].seq, changed.seq]
    assert list(lines[1]) == COLUMNS
    assert lines[1] == {
        "seq": changed.seq,
        "at": utc_iso(changed.at),
        "actor_id": changed.actor_id,
        "actor_username": "bob",
        "action": "incident.changed",
        "object_type": "incidents.incident",
        "object_id": "4",
        "incident_id": 4,
        "data": {"changes": {"severity": [2, 3.5], "note": ["", 'quote " and, comma\nnewline']}},
        "client_ip": None,
        "prev_hash": changed.prev_hash,
        "hash": changed.hash,
    }
    assert "Lähetys väärälle" in archive.read("events.jsonl").decode()


def test_the_csv_has_the_same_columns_with_data_as_stored_and_null_as_empty(
    auditor: User, trail: list[AuditEvent]
) -> None:
    archive = post_export(signed_in(auditor), "csv", action="incident.changed")
    assert sorted(archive.namelist()) == ["events.csv", "manifest.json", "verify_audit_export.py"]
    text = archive.read("events.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 1
    changed = trail[1]
    assert rows[0]["data"] == changed.data
    assert rows[0]["client_ip"] == ""
    assert rows[0]["at"] == utc_iso(changed.at)
    assert rows[0]["hash"] == changed.hash
    manifest = manifest_of(archive)
    assert manifest["format"] == "csv"
    assert manifest["filters"]["action"] == "incident.changed"
    assert manifest["count"] == 1


def test_a_filtered_export_records_its_filters_in_local_time_as_utc(
    auditor: User, trail: list[AuditEvent]
) -> None:
    archive = post_export(signed_in(auditor), "jsonl", since="2020-06-01T03:00", actor="bob")
    filters = manifest_of(archive)["filters"]
    assert filters["since"] == "2020-06-01T00:00:00.000000Z"  # 03:00 in Helsinki summer time
    assert filters["actor"] == "bob"
    seqs = [json.loads(line)["seq"] for line in archive.read("events.jsonl").decode().splitlines()]
    assert seqs == [trail[1].seq, trail[3].seq]


def test_a_bad_filter_or_format_exports_nothing(auditor: User, trail: list[AuditEvent]) -> None:
    client = signed_in(auditor)
    refused = client.post(EXPORT, {"format": "jsonl", "incident": "four"})
    assert refused.status_code == 400
    assert "Incident: Enter a whole number." in refused.content.decode()
    assert client.post(EXPORT, {"format": "xlsx"}).status_code == 400
    assert client.get(EXPORT, {"format": "jsonl"}).status_code == 405
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_an_export_holds_only_the_events_up_to_the_head_it_names(
    auditor: User, trail: list[AuditEvent]
) -> None:
    first = audit_export_create(
        actor=auditor,
        request=None,
        filters=AuditFilters(),
        fmt=ExportFormat.JSONL,
        now=dt.datetime.now(dt.UTC),
    )
    second = audit_export_create(
        actor=auditor,
        request=None,
        filters=AuditFilters(),
        fmt=ExportFormat.JSONL,
        now=dt.datetime.now(dt.UTC),
    )
    # The second export holds the first one's event, as its last; neither holds its own.
    assert second.manifest["head_seq"] == first.manifest["head_seq"] + 1
    last = json.loads(
        zipfile.ZipFile(io.BytesIO(second.content)).read("events.jsonl").decode().splitlines()[-1]
    )
    assert last["action"] == "audit.exported"
    assert last["data"]["events_sha256"] == first.manifest["events_sha256"]


# The standalone verifier


def verify(
    *args: str | Path, script: Path = VERIFIER, isolated: bool = False
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, *(["-I"] if isolated else []), str(script), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def export_file(auditor: User, tmp_path: Path, fmt: str = "jsonl", **filters: Any) -> Path:
    response = signed_in(auditor).post(EXPORT, {"format": fmt, **filters})
    assert response.status_code == 200
    path = tmp_path / f"export-{fmt}.zip"
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    return path


def tampered(path: Path, name: str, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(path) as source:
        members = {member: source.read(member) for member in source.namelist()}
    members[name] = change(members[name])
    out = path.with_name(f"tampered-{path.name}")
    with zipfile.ZipFile(out, "w") as target:
        for member, content in members.items():
            target.writestr(member, content)
    return out


def edit_jsonl_line(seq: int, edit: Callable[[dict[str, Any]], None]) -> Callable[[bytes], bytes]:
    def change(content: bytes) -> bytes:
        lines = content.decode().splitlines()
        out = []
        for line in lines:
            event = json.loads(line)
            if event["seq"] == seq:
                edit(event)
                line = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
            out.append(line)
        return ("\n".join(out) + "\n").encode()

    return change


def edit_manifest(**changes: Any) -> Callable[[bytes], bytes]:
    def change(content: bytes) -> bytes:
        return json.dumps({**json.loads(content), **changes}).encode()

    return change


def rehash(event: dict[str, Any]) -> None:
    """What a careful forger does after an edit: give the event a hash that fits its new content."""
    body = {key: value for key, value in event.items() if key not in ("prev_hash", "hash")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    event["hash"] = hashlib.sha256((event["prev_hash"] + canonical).encode()).hexdigest()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_verifier_accepts_a_genuine_export(
    auditor: User, trail: list[AuditEvent], tmp_path: Path, fmt: str
) -> None:
    path = export_file(auditor, tmp_path, fmt)
    result = verify(path)
    head = AuditEvent.objects.exclude(action="audit.exported").order_by("-seq").first()
    assert head is not None
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"OK: {head.seq} events (#1-#{head.seq}) of the whole trail")
    assert head.hash in result.stdout
    assert len(result.stdout.strip().splitlines()) == 1


def test_the_verifier_accepts_a_filtered_export_with_gaps(
    auditor: User, trail: list[AuditEvent], tmp_path: Path
) -> None:
    path = export_file(auditor, tmp_path, "csv", actor="bob")
    result = verify(path)
    assert result.returncode == 0, result.stderr
    assert "of a filtered trail" in result.stdout


def test_the_verifier_reads_a_directory_or_an_events_file_with_its_manifest(
    auditor: User, trail: list[AuditEvent], tmp_path: Path
) -> None:
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(export_file(auditor, tmp_path)) as archive:
        archive.extractall(unpacked)
    assert verify(unpacked).returncode == 0
    separate = verify(unpacked / "events.jsonl", "--manifest", unpacked / "manifest.json")
    assert separate.returncode == 0, separate.stderr
    # The copy shipped in the export runs on its own: isolated mode, away from the project.
    shipped = verify(unpacked, script=unpacked / "verify_audit_export.py", isolated=True)
    assert shipped.returncode == 0, shipped.stderr


def test_the_verifier_uses_the_standard_library_only() -> None:
    tree = ast.parse(VERIFIER.read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported - {"__future__"} <= set(sys.stdlib_module_names)


def test_the_verifier_names_an_edited_event(auditor: User, trail: list[AuditEvent], tmp_path: Path) -> None:
    victim = trail[1].seq
    path = tampered(
        export_file(auditor, tmp_path),
        "events.jsonl",
        edit_jsonl_line(victim, lambda event: event["data"]["changes"].update(severity=[2, 1])),
    )
    result = verify(path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"FAILED: event #{victim}: its content does not match its hash")
    assert "SHA-256" in result.stderr


def test_the_verifier_names_an_edited_event_even_with_a_matching_manifest_and_hash(
    auditor: User, trail: list[AuditEvent], tmp_path: Path
) -> None:
    victim = trail[0].seq

    def forge(event: dict[str, Any]) -> None:
        event["actor_username"] = "mallory"
        rehash(event)

    path = tampered(export_file(auditor, tmp_path), "events.jsonl", edit_jsonl_line(victim, forge))
    with zipfile.ZipFile(path) as archive:
        new_sha = hashlib.sha256(archive.read("events.jsonl")).hexdigest()
    path = tampered(path, "manifest.json", edit_manifest(events_sha256=new_sha))
    result = verify(path)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"FAILED: event #{victim + 1}: its prev_hash does not match the hash of event #{victim}"
    )


def test_the_verifier_names_a_removed_event(auditor: User, trail: list[AuditEvent], tmp_path: Path) -> None:
    victim = trail[2].seq

    def remove(content: bytes) -> bytes:
        return b"".join(
            line for line in content.splitlines(keepends=True) if json.loads(line)["seq"] != victim
        )

    result = verify(tampered(export_file(auditor, tmp_path), "events.jsonl", remove))
    assert result.returncode == 1
    assert result.stderr.startswith(f"FAILED: event #{victim} is missing (the next event is #{victim + 1})")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"count": 99}, "the manifest says 99 events; events.jsonl holds {head} (#1-#{head})"),
        ({"head_hash": "f" * 64}, "event #{head}: its hash differs from the head_hash in the manifest"),
        ({"head_seq": 99}, "event #99: the manifest's chain head is not the last event"),
        ({"last_seq": 2}, "event #2: the manifest's last_seq, but the file ends at #{head}"),
    ],
)
def test_the_verifier_refuses_a_manifest_that_no_longer_matches(
    auditor: User, trail: list[AuditEvent], tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    path = export_file(auditor, tmp_path)
    head = head_seq() - 1  # the last event before the export's own
    result = verify(tampered(path, "manifest.json", edit_manifest(**changes)))
    assert result.returncode == 1
    assert result.stderr.startswith("FAILED: " + message.format(head=head))


def test_the_verifier_names_an_edited_csv_row(auditor: User, trail: list[AuditEvent], tmp_path: Path) -> None:
    victim = trail[0]

    def edit(content: bytes) -> bytes:
        return content.replace(b",4,", b",5,", 1)  # the incident of the first incident event

    assert b",4," in zipfile.ZipFile(export_file(auditor, tmp_path, "csv")).read("events.csv")
    result = verify(tampered(export_file(auditor, tmp_path, "csv"), "events.csv", edit))
    assert result.returncode == 1
    assert result.stderr.startswith(f"FAILED: event #{victim.seq}: its content does not match its hash")


def test_the_verifier_reports_an_unreadable_export(tmp_path: Path) -> None:
    (tmp_path / "not.zip").write_text("hello")
    result = verify(tmp_path / "not.zip")
    assert result.returncode == 2
    assert "neither an export .zip nor a directory" in result.stderr


def test_a_large_export_is_written_in_chunks_and_verifies(auditor: User, tmp_path: Path) -> None:
    with transaction.atomic():
        for number in range(4500):
            audit_record(action="register.imported_row", data={"row": number, "name": f"Henkilö {number}"})
    path = export_file(auditor, tmp_path, "csv")
    result = verify(path)
    assert result.returncode == 0, result.stderr
    assert manifest_of(zipfile.ZipFile(path))["count"] >= 4500


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_the_verifier_reads_an_event_whose_data_is_over_128_kib(
    auditor: User, tmp_path: Path, fmt: str
) -> None:
    # csv's default field limit is 128 KiB (131,072 characters); an imported statement's text is
    # longer than that.
    audit_record(action="register.imported", data={"statement": "Rekisteriseloste. " * 10_000})
    result = verify(export_file(auditor, tmp_path, fmt))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK:")
