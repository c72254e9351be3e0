"""The auditor's pages: the trail with its filters and pages, one event, and the chain's status."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from urllib.parse import urljoin

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from incidents.audit import audit_record
from incidents.audit.verify import chain_verify
from incidents.models import AuditEvent
from tests.conftest import signed_in
from tests.support.triggers import triggers_dropped

TRAIL = reverse("audit_trail")
STATUS = reverse("audit_status")
UTC = dt.UTC


def record(action: str, *, at: dt.datetime | None = None, **fields: Any) -> AuditEvent:
    with transaction.atomic():
        return audit_record(action=action, now=at, **fields)


def shown_seqs(page: str) -> list[int]:
    """The events a page lists, by the links to them, in the order shown."""
    return [int(seq) for seq in re.findall(r'<a href="/audit/events/(\d+)/">', page)]


def get(client: Client, path: str, **params: Any) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def trail(lead: User, dpo: User) -> dict[str, AuditEvent]:
    """A small trail: two incidents, two actors, three kinds of action, at known times."""
    winter = dt.datetime(2026, 1, 10, 10, 0, tzinfo=UTC)  # 12:00 in Helsinki (UTC+2)
    return {
        "created": record("incident.created", at=winter, actor=lead, incident_id=7),
        "confirmed": record(
            "incident.confirmed", at=winter + dt.timedelta(hours=1), actor=dpo, incident_id=7
        ),
        "other": record("incident.created", at=winter + dt.timedelta(hours=2), actor=lead, incident_id=8),
        "login": record("auth.login", at=winter + dt.timedelta(hours=3), actor=dpo),
        "lookalike": record("authz.granted", at=winter + dt.timedelta(hours=4), actor=dpo),
    }


def test_each_filter_narrows_the_trail(auditor: User, trail: dict[str, AuditEvent]) -> None:
    client = signed_in(auditor)
    seq = {name: event.seq for name, event in trail.items()}
    assert set(shown_seqs(get(client, TRAIL, incident=7))) == {seq["created"], seq["confirmed"]}
    assert set(shown_seqs(get(client, TRAIL, actor="bob"))) == {
        seq["confirmed"],
        seq["login"],
        seq["lookalike"],
    }
    assert set(shown_seqs(get(client, TRAIL, action="incident."))) == {
        seq["created"],
        seq["confirmed"],
        seq["other"],
    }
    # A prefix of the dotted code, not a substring: auth. does not find authz.granted.
    logins = shown_seqs(get(client, TRAIL, action="auth."))
    assert seq["login"] in logins
    assert seq["lookalike"] not in logins
    assert {event.action for event in AuditEvent.objects.filter(seq__in=logins)} == {"auth.login"}
    combined = get(client, TRAIL, incident=7, actor="alice", action="incident.created")
    assert shown_seqs(combined) == [seq["created"]]
    # The export button under the list exports what the list shows.
    assert '<input type="hidden" name="actor" value="alice">' in combined
    assert '<input type="hidden" name="action" value="incident.created">' in combined


def test_the_time_range_is_read_in_local_time_and_its_end_is_exclusive(
    auditor: User, trail: dict[str, AuditEvent]
) -> None:
    client = signed_in(auditor)
    seq = {name: event.seq for name, event in trail.items()}
    # "created" happened at 10:00 UTC, which is 12:00 on the Helsinki clock the auditor reads.
    page = get(client, TRAIL, since="2026-01-10T12:00", until="2026-01-10T13:00")
    assert shown_seqs(page) == [seq["created"]]
    assert "2026-01-10 12:00:00 +0200" in page
    assert seq["created"] not in shown_seqs(get(client, TRAIL, since="2026-01-10T12:00:01"))
    assert shown_seqs(get(client, TRAIL, since="2026-01-10T14:00", until="2026-01-10T15:00")) == [
        seq["other"]
    ]


def test_the_trail_lists_the_newest_event_first_with_its_details(
    auditor: User, trail: dict[str, AuditEvent]
) -> None:
    page = get(signed_in(auditor), TRAIL, incident=7)
    assert shown_seqs(page) == [trail["confirmed"].seq, trail["created"].seq]
    assert "<code>incident.confirmed</code>" in page
    assert "2026-01-10 13:00:00 +0200" in page
    assert "2 events" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"incident": "seven"}, "Incident: Enter a whole number."),
        ({"incident": "0"}, "Incident: Ensure this value is greater than or equal to 1."),
        ({"since": "yesterday"}, "From: Enter a valid date/time."),
        (
            {"since": "2026-01-10T12:00", "until": "2026-01-10T11:00"},
            "To: The end of the range must be after its start.",
        ),
    ],
)
def test_a_bad_filter_is_refused_naming_the_field(
    auditor: User, trail: dict[str, AuditEvent], params: dict[str, str], message: str
) -> None:
    page = get(signed_in(auditor), TRAIL, **params)
    assert message in page
    assert shown_seqs(page) == []
    assert "Export these events" not in page


def test_fifty_events_a_page_and_the_page_links_keep_the_filters(auditor: User) -> None:
    with transaction.atomic():
        bulk = [audit_record(action="register.imported_row", data={"row": n}).seq for n in range(120)]
        audit_record(action="register.other")
    client = signed_in(auditor)
    first = get(client, TRAIL, action="register.imported")
    assert shown_seqs(first) == bulk[::-1][:50]
    assert "Page 1 of 3" in first
    assert "120 events" in first
    older = urljoin(TRAIL, html.unescape(re.search(r'<a href="([^"]+)" rel="next">', first)[1]))  # type: ignore[index]
    assert "action=register.imported" in older
    assert "page=2" in older
    second = get(client, older)
    assert shown_seqs(second) == bulk[::-1][50:100]
    last = urljoin(TRAIL, html.unescape(re.search(r'<a href="([^"]+)">Last</a>', second)[1]))  # type: ignore[index]
    third = get(client, last)
    assert shown_seqs(third) == bulk[::-1][100:]
    assert "Page 3 of 3" in third
    assert get(client, TRAIL, action="register.imported", page="99").count('<a href="/audit/events/') == 20


ROLE_PAGES = [
    ("get", TRAIL),
    ("get", "/audit/events/1/"),
    ("get", STATUS),
    ("post", reverse("audit_export")),
]


@pytest.mark.parametrize(("method", "path"), ROLE_PAGES)
def test_a_user_without_a_role_is_refused(outsider: User, method: str, path: str) -> None:
    record("auth.login")
    response = getattr(signed_in(outsider), method)(path, {"format": "jsonl"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), ROLE_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client: Client, method: str, path: str) -> None:
    response = getattr(client, method)(path, {"format": "jsonl"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_role_may_read_the_trail_and_its_status(lead: User, dpo: User, auditor: User) -> None:
    for user in (lead, dpo, auditor):
        client = signed_in(user)
        dashboard = get(client, reverse("dashboard"))
        assert f'<a href="{TRAIL}">Audit trail</a>' in dashboard
        assert "user.created" in get(client, TRAIL)
        assert "Intact" in get(client, STATUS)


def test_the_navigation_hides_the_trail_from_a_user_without_a_role(outsider: User) -> None:
    assert "Audit trail" not in get(signed_in(outsider), reverse("dashboard"))


def test_the_status_page_shows_an_intact_chain_with_its_count_and_head(auditor: User) -> None:
    client = signed_in(auditor)
    head = record("incident.created", actor=auditor)
    page = get(client, STATUS)
    report = chain_verify()
    assert report.ok
    assert '<p class="status-ok" data-testid="chain-status">Intact</p>' in page
    assert f'<dd data-testid="chain-count">{report.count}</dd>' in page
    assert head.hash in page
    assert f">#{head.seq}</a>" in page
    assert '<dd data-testid="triggers">Present</dd>' in page


def test_the_status_page_names_the_first_broken_event_after_tampering(auditor: User) -> None:
    victim = record("incident.confirmed", actor=auditor, incident_id=3, data={"decision": "notify"})
    record("incident.closed", actor=auditor, incident_id=3)
    client = signed_in(auditor)
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET data = %s WHERE seq = %s",
            ['{"decision":"do not notify"}', victim.seq],
        )
        while_dropped = get(client, STATUS)
    assert "Missing: the database no longer refuses changes to the trail." in while_dropped
    page = get(client, STATUS)
    assert 'data-testid="chain-status" role="alert">Broken</p>' in page
    assert f"The chain first breaks at event #{victim.seq}:" in page
    assert "its content does not match its hash (the event was altered)" in page
    assert f'<dd data-testid="chain-count">{victim.seq - 1}</dd>' in page
    assert "Intact" not in page


def test_an_event_page_shows_a_change_as_before_and_after_escaped(auditor: User) -> None:
    event = record(
        "incident.changed",
        actor=auditor,
        incident_id=12,
        object_type="incidents.incident",
        object_id=12,
        data={"changes": {"title": ["Lost <laptop>", "Stolen laptop & bag"], "severity": [2, 3]}},
    )
    page = get(signed_in(auditor), reverse("audit_event", args=[event.seq]))
    assert f"Audit event #{event.seq}" in page
    assert '<th scope="col">Before</th><th scope="col">After</th>' in page
    assert (
        '<tr><th scope="row">title</th><td>Lost &lt;laptop&gt;</td><td>Stolen laptop &amp; bag</td></tr>'
        in page
    )
    assert '<tr><th scope="row">severity</th><td>2</td><td>3</td></tr>' in page
    assert "<laptop>" not in page
    assert "incidents.incident 12" in page
    assert "charlie" in page
    assert event.hash in page
    assert event.prev_hash in page


def test_an_event_page_shows_fields_as_a_table_and_other_data_as_json(auditor: User) -> None:
    created = AuditEvent.objects.get(action="user.created", object_id=str(auditor.pk))
    page = get(signed_in(auditor), reverse("audit_event", args=[created.seq]))
    assert '<tr><th scope="row">username</th><td>charlie</td></tr>' in page
    assert '<tr><th scope="row">is_staff</th><td>false</td></tr>' in page
    other = record("auth.login_failed", data={"username": "<script>alert(1)</script>"})
    page = get(signed_in(auditor), reverse("audit_event", args=[other.seq]))
    assert "&quot;username&quot;: &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in page
    assert "<script>alert" not in page


def test_an_unknown_event_is_not_found(auditor: User) -> None:
    assert signed_in(auditor).get(reverse("audit_event", args=[999_999])).status_code == 404
