"""The one writer of the trail: chained, canonical, inside the act's transaction."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from incidents.audit import AuditOutsideTransaction, audit_record
from incidents.audit.canonical import GENESIS_HASH, canonical_event
from incidents.audit.context import Actor
from incidents.demo import demo_users_create
from incidents.models import AuditEvent
from incidents.models.audit import AuditTrailIsAppendOnly

NOW = dt.datetime(2026, 3, 27, 8, 0, 0, 123456, tzinfo=dt.UTC)


def record(action: str = "incident.confirmed", **kwargs: object) -> AuditEvent:
    with transaction.atomic():
        return audit_record(action=action, **kwargs)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_first_event_links_to_64_zeros() -> None:
    assert not AuditEvent.objects.exists()
    event = record()
    assert (event.seq, event.prev_hash) == (1, GENESIS_HASH)


def test_an_event_hashes_its_previous_hash_and_canonical_json(lead: User) -> None:
    event = record(actor=lead, incident_id=42, data={"reason": "Laptop stolen", "ä": [1, 2]}, now=NOW)
    # The design's rule, written out plainly: keys sorted, no spaces, UTF-8, times in UTC.
    fields = {
        "seq": event.seq,
        "at": "2026-03-27T08:00:00.123456Z",
        "actor_id": lead.pk,
        "actor_username": "alice",
        "action": "incident.confirmed",
        "object_type": None,
        "object_id": None,
        "incident_id": 42,
        "data": {"reason": "Laptop stolen", "ä": [1, 2]},
        "client_ip": None,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert event.hash == hashlib.sha256((event.prev_hash + canonical).encode("utf-8")).hexdigest()
    assert event.data == '{"reason":"Laptop stolen","ä":[1,2]}'


@pytest.mark.django_db
def test_each_event_links_to_the_one_before() -> None:
    first = record(action="a.first")
    second = record(action="a.second")
    third = record(action="a.third")
    assert (second.seq, third.seq) == (first.seq + 1, first.seq + 2)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash


@pytest.mark.django_db
def test_the_fast_canonical_form_equals_json_dumps_for_awkward_values() -> None:
    awkward = {
        "seq": 7,
        "at": "2026-10-25T01:30:00.000000Z",
        "actor_id": None,
        "actor_username": 'Åsa "quoted" \\ back\nslash',
        "action": "register.updated",
        "object_type": "incidents.register",
        "object_id": "12",
        "incident_id": None,
        "client_ip": "2001:db8::1",
    }
    data = {"text": "\u2028 line sep \x00 nul", "emoji": "🔒", "n": 1.5, "big": 10**20}
    data_text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = json.dumps(
        {**awkward, "data": data}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert canonical_event(**awkward, data=data_text) == expected  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_writing_outside_a_transaction_is_refused() -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(AuditOutsideTransaction, match="inside the act's transaction"):
        audit_record(action="incident.confirmed")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_a_rolled_back_act_leaves_no_event() -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError, match="the act failed"), transaction.atomic():
        demo_users_create()
        assert AuditEvent.objects.count() > before  # the events were written with the act ...
        raise RuntimeError("the act failed")
    assert AuditEvent.objects.count() == before  # ... and went with it
    assert not User.objects.filter(username="lead").exists()


@pytest.mark.django_db
def test_the_demo_service_records_every_user_it_creates_and_every_role_it_gives() -> None:
    start = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    demo_users_create()
    events = list(AuditEvent.objects.filter(seq__gt=start).values_list("action", "object_id", "data"))
    created = {
        json.loads(data)["fields"]["username"] for action, _, data in events if action == "user.created"
    }
    assert created == {"lead", "dpo", "auditor"}
    roles = sorted(
        json.loads(data)["added"][0] for action, _, data in events if action == "user.groups_changed"
    )
    assert roles == ["DPO", "auditor", "security lead"]
    hashes = [password.split("$")[-1] for password in User.objects.values_list("password", flat=True)]
    assert not [data for _, _, data in events for stored in hashes if stored in data]


@pytest.mark.django_db
def test_an_explicit_actor_and_object_are_recorded(lead: User) -> None:
    event = record(actor=Actor(id=None, username=None, client_ip="192.0.2.7"), obj=lead)
    assert (event.actor_id, event.actor_username, event.client_ip) == (None, None, "192.0.2.7")
    assert (event.object_type, event.object_id) == ("auth.user", str(lead.pk))


@pytest.mark.django_db
def test_values_that_json_lacks_are_written_as_text_and_bytes_are_refused() -> None:
    event = record(data={"when": NOW, "day": NOW.date()})
    assert json.loads(event.data) == {"when": "2026-03-27T08:00:00.123456Z", "day": "2026-03-27"}
    with pytest.raises(TypeError, match="bytes do not belong"), transaction.atomic():
        audit_record(action="x.y", data={"blob": b"\x00"})


def test_events_are_not_made_in_bulk(db: None) -> None:
    with pytest.raises(AuditTrailIsAppendOnly, match=r"one at a time by incidents\.audit\.audit_record"):
        AuditEvent.objects.bulk_create([AuditEvent(seq=1, at=NOW, prev_hash=GENESIS_HASH, hash="0" * 64)])
    assert not AuditEvent.objects.exists()


def _event_writers(path: Path) -> list[str]:
    """Places in a module that make an AuditEvent row themselves."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name == "AuditEvent" or (name.startswith("AuditEvent.objects.") and name.endswith("create")):
            found.append(f"{path.name}:{node.lineno}: {name}(...)")
    if "INSERT INTO incidents_auditevent" in path.read_text(encoding="utf-8"):
        found.append(f"{path.name}: raw INSERT")
    return found


def test_audit_record_is_the_only_writer_of_events() -> None:
    app = Path(__file__).resolve().parent.parent / "incidents"
    writers = [
        place
        for path in sorted(app.rglob("*.py"))
        if "migrations" not in path.parts
        for place in _event_writers(path)
    ]
    (writer,) = writers
    assert writer.startswith("record.py:") and writer.endswith(": AuditEvent(...)")
