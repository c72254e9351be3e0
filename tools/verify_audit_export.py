#!/usr/bin/env python3
"""Check a Breachclock audit-trail export without Breachclock: Python 3.11+ standard library only.

Usage:
    python verify_audit_export.py EXPORT.zip
    python verify_audit_export.py DIRECTORY            (an unpacked export)
    python verify_audit_export.py events.jsonl --manifest manifest.json

The hash rule, implemented here on its own so that nothing of the application need be trusted:
    hash = SHA-256(prev_hash + canonical JSON of the event without prev_hash and hash)
    canonical JSON = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
    encoded as UTF-8, with ``data`` as a JSON object and ``at`` as the ISO-8601 UTC text exported.
The first event's prev_hash is 64 zeros.

Checked: the events file's SHA-256, count, first and last seq against the manifest; every event's
hash; the link between every two consecutive seqs present; for an unfiltered export, that the seqs
run without a gap from 1 to the chain head recorded in the manifest, whose hash must match.

Exit status: 0 when everything holds (one OK line); 1 when something does not (the first
problem, naming the event's seq where there is one); 2 when the export cannot be read.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

GENESIS_HASH = "0" * 64
COLUMNS = (
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
_INTEGER_COLUMNS = ("seq", "actor_id", "incident_id")
# The columns that may be null; in CSV an empty cell stands for null.
_NULLABLE_COLUMNS = ("actor_id", "actor_username", "object_type", "object_id", "incident_id", "client_ip")


class Unreadable(Exception):
    """The export is not there or not in the expected shape."""


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)

    def add(self, problem: str) -> None:
        self.problems.append(problem)


@dataclass
class Export:
    manifest: dict[str, Any]
    events_name: str
    open_events: Callable[[], IO[bytes]]


class _HashingReader(io.RawIOBase):
    """Passes bytes through while hashing them, so that the file is read only once."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.raw.read(len(buffer))
        self.sha256.update(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def drain(self) -> str:
        """The SHA-256 of the whole file, reading whatever the parser left unread."""
        while chunk := self.raw.read(1 << 20):
            self.sha256.update(chunk)
        return self.sha256.hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: dict[str, Any]) -> str:
    hashed = {key: value for key, value in event.items() if key not in ("prev_hash", "hash")}
    return hashlib.sha256((event["prev_hash"] + canonical_json(hashed)).encode("utf-8")).hexdigest()


def _load_manifest(text: bytes, source: str) -> dict[str, Any]:
    try:
        manifest = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Unreadable(f"{source}: not valid JSON ({error})") from error
    if not isinstance(manifest, dict):
        raise Unreadable(f"{source}: not a JSON object")
    for key in ("format", "count", "first_seq", "last_seq", "head_seq", "head_hash", "events_sha256"):
        if key not in manifest:
            raise Unreadable(f"{source}: the manifest has no {key}")
    if manifest["format"] not in ("jsonl", "csv"):
        raise Unreadable(f"{source}: unknown format {manifest['format']!r}")
    return manifest


def open_export(path: Path, manifest_path: Path | None) -> Export:
    if manifest_path is not None:
        if not path.is_file():
            raise Unreadable(f"{path}: no such file")
        manifest = _load_manifest(manifest_path.read_bytes(), str(manifest_path))
        return Export(manifest, path.name, lambda: path.open("rb"))
    if path.is_dir():
        manifest = _load_manifest((path / "manifest.json").read_bytes(), str(path / "manifest.json"))
        events = path / manifest.get("events_file", f"events.{manifest['format']}")
        if not events.is_file():
            raise Unreadable(f"{events}: no such file")
        return Export(manifest, events.name, lambda: events.open("rb"))
    if zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        try:
            manifest = _load_manifest(archive.read("manifest.json"), f"{path}:manifest.json")
            name = manifest.get("events_file", f"events.{manifest['format']}")
            archive.getinfo(name)
        except KeyError as error:
            raise Unreadable(f"{path}: {error.args[0]}") from error
        return Export(manifest, name, lambda: archive.open(name))
    raise Unreadable(f"{path}: neither an export .zip nor a directory; for an events file, give --manifest")


def _jsonl_events(text: IO[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for number, line in enumerate(text, start=1):
        try:
            event = json.loads(line)
        except ValueError as error:
            yield number, f"line {number} is not JSON ({error})"
            continue
        if not isinstance(event, dict):
            yield number, f"line {number} is not a JSON object"
            continue
        yield number, event


# csv refuses a cell over 128 KiB unless told otherwise; an event's data (an imported statement,
# say) can be longer. The largest limit csv takes on every platform.
CSV_FIELD_LIMIT = 2**31 - 1


def _csv_events(text: IO[str]) -> Iterator[tuple[int, dict[str, Any] | str]]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(text)
    header = next(reader, None)
    if header is None or tuple(header) != COLUMNS:
        yield 1, f"line 1: the CSV header is not {','.join(COLUMNS)}"
        return
    for row in reader:
        number = reader.line_num
        if len(row) != len(COLUMNS):
            yield number, f"line {number} has {len(row)} cells, not {len(COLUMNS)}"
            continue
        event: dict[str, Any] = dict(zip(COLUMNS, row, strict=True))
        try:
            for column in _NULLABLE_COLUMNS:
                if event[column] == "":
                    event[column] = None
            for column in _INTEGER_COLUMNS:
                if event[column] is not None:
                    event[column] = int(event[column])
            event["data"] = json.loads(event["data"])
        except ValueError as error:
            yield number, f"line {number} has a malformed cell ({error})"
            continue
        yield number, event


def _shape_problem(event: dict[str, Any]) -> str | None:
    if set(event) != set(COLUMNS):
        missing, extra = set(COLUMNS) - set(event), set(event) - set(COLUMNS)
        return f"its fields are wrong (missing {sorted(missing)}, unexpected {sorted(extra)})"
    if not isinstance(event["seq"], int) or isinstance(event["seq"], bool):
        return "its seq is not a number"
    if not isinstance(event["data"], dict):
        return "its data is not a JSON object"
    if not all(isinstance(event[key], str) for key in ("at", "action", "prev_hash", "hash")):
        return "at, action, prev_hash and hash must be text"
    return None


def _label(event: dict[str, Any] | None, number: int) -> str:
    if event is not None and isinstance(event.get("seq"), int):
        return f"event #{event['seq']}"
    return f"line {number}"


def check(export: Export) -> tuple[Findings, dict[str, Any]]:
    manifest = export.manifest
    findings = Findings()
    unfiltered = not any(value is not None for value in (manifest.get("filters") or {}).values())
    count, first_seq, last_seq = 0, None, None
    previous: dict[str, Any] | None = None
    with export.open_events() as raw:
        hashing = _HashingReader(raw)
        text = io.TextIOWrapper(io.BufferedReader(hashing), encoding="utf-8-sig", newline="")
        parse = _jsonl_events if manifest["format"] == "jsonl" else _csv_events
        try:
            for number, parsed in parse(text):
                if isinstance(parsed, str):
                    findings.add(parsed)
                    continue
                event = parsed
                problem = _shape_problem(event)
                if problem is not None:
                    findings.add(f"{_label(event, number)}: {problem}")
                    continue
                seq = event["seq"]
                count += 1
                first_seq = seq if first_seq is None else first_seq
                last_seq = seq
                if event_hash(event) != event["hash"]:
                    findings.add(f"event #{seq}: its content does not match its hash (the event was altered)")
                if previous is not None and seq <= previous["seq"]:
                    findings.add(
                        f"event #{seq}: it comes after #{previous['seq']}; events must be in seq order"
                    )
                elif previous is not None and seq == previous["seq"] + 1:
                    if event["prev_hash"] != previous["hash"]:
                        findings.add(
                            f"event #{seq}: its prev_hash does not match the hash of event #{seq - 1} "
                            "(an event removed, swapped or inserted here)"
                        )
                elif previous is not None and unfiltered:
                    findings.add(
                        f"event #{previous['seq'] + 1} is missing (the next event is #{seq}) "
                        "from an export of the whole trail"
                    )
                if seq == 1 and event["prev_hash"] != GENESIS_HASH:
                    findings.add("event #1: its prev_hash is not the genesis value (64 zeros)")
                if seq == manifest["head_seq"] and event["hash"] != manifest["head_hash"]:
                    findings.add(f"event #{seq}: its hash differs from the head_hash in the manifest")
                previous = event
        except UnicodeDecodeError as error:
            findings.add(f"the events file is not UTF-8 ({error})")
        sha256 = hashing.drain()
    _compare_with_manifest(findings, manifest, export.events_name, sha256, count, first_seq, last_seq)
    if unfiltered:
        if first_seq is not None and first_seq != 1:
            findings.add(f"event #1 is missing: an export of the whole trail starts at #{first_seq}")
        if last_seq != (manifest["head_seq"] or None):
            findings.add(
                f"event #{manifest['head_seq']}: the manifest's chain head is not the last event of an "
                f"export of the whole trail (that is #{last_seq}): events were cut off or added"
            )
    return findings, {"count": count, "first_seq": first_seq, "last_seq": last_seq, "unfiltered": unfiltered}


def _compare_with_manifest(
    findings: Findings,
    manifest: dict[str, Any],
    events_name: str,
    sha256: str,
    count: int,
    first_seq: int | None,
    last_seq: int | None,
) -> None:
    if sha256 != manifest["events_sha256"]:
        findings.add(
            f"{events_name}: its SHA-256 {sha256} differs from the manifest's {manifest['events_sha256']} "
            "(the file was changed)"
        )
    if count != manifest["count"]:
        span = f"#{first_seq}-#{last_seq}" if count else "none"
        findings.add(f"the manifest says {manifest['count']} events; {events_name} holds {count} ({span})")
    if first_seq != manifest["first_seq"]:
        findings.add(
            f"event #{manifest['first_seq']}: the manifest's first_seq, but the file starts at #{first_seq}"
        )
    if last_seq != manifest["last_seq"]:
        findings.add(
            f"event #{manifest['last_seq']}: the manifest's last_seq, but the file ends at #{last_seq}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check a Breachclock audit-trail export.")
    parser.add_argument(
        "export", type=Path, help="the export .zip, an unpacked export directory, or an events file"
    )
    parser.add_argument("--manifest", type=Path, help="the manifest.json, when EXPORT is an events file")
    arguments = parser.parse_args(argv)
    try:
        export = open_export(arguments.export, arguments.manifest)
        findings, seen = check(export)
    except (Unreadable, OSError, zipfile.BadZipFile) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    if findings.problems:
        print(f"FAILED: {findings.problems[0]}", file=sys.stderr)
        for problem in findings.problems[1:20]:
            print(f"  also: {problem}", file=sys.stderr)
        if len(findings.problems) > 20:
            print(f"  and {len(findings.problems) - 20} more problems", file=sys.stderr)
        return 1
    manifest = export.manifest
    scope = "the whole trail" if seen["unfiltered"] else "a filtered trail"
    span = f"#{seen['first_seq']}-#{seen['last_seq']}" if seen["count"] else "none"
    print(
        f"OK: {seen['count']} events ({span}) of {scope}, every hash and link verified; "
        f"chain head at export #{manifest['head_seq']} {manifest['head_hash']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
