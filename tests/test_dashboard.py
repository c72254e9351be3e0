"""The dashboard: open incidents nearest deadline first, counting down, in a constant number of queries."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident
from incidents.services import incidents as service
from tests.builders import confirmed
from tests.conftest import signed_in
from tests.factories import incident_logged, register_made
from tests.moments import HOUR, T0

pytestmark = pytest.mark.usefixtures("frozen_at_t0")


def confirmed_aware(lead: User, *, aware_hours_ago: float, title: str = "Laptop stolen") -> Incident:
    incident = incident_logged(actor=lead, detected_at=T0 - (aware_hours_ago + 1) * HOUR, now=T0, title=title)
    return confirmed(
        incident, lead, aware_at=T0 - aware_hours_ago * HOUR, aware_reason="The ticket showed customer data."
    )


def rows(html: str) -> list[str]:
    return [part.split("</tr>")[0] for part in html.split('data-testid="incident-row"')[1:]]


def test_open_incidents_are_ordered_by_nearest_deadline_without_deadline_last(lead: User) -> None:
    later = confirmed_aware(lead, aware_hours_ago=1, title="Later")
    overdue = confirmed_aware(lead, aware_hours_ago=80, title="Overdue")
    provisional = incident_logged(actor=lead, detected_at=T0 - 5 * HOUR, now=T0, title="Provisional")
    no_clock = incident_logged(actor=lead, detected_at=T0, now=T0, title="No clock")
    Incident.objects.filter(pk=no_clock.pk).update(next_due_at=None)
    dismissed = incident_logged(actor=lead, detected_at=T0, now=T0, title="Dismissed")
    service.incident_dismiss(
        incident_id=dismissed.pk, actor=lead, expected_version=None, reason="A test e-mail.", now=T0
    )

    html = signed_in(lead).get("/").content.decode()

    titles = [
        title
        for row in rows(html)
        for title in ("Later", "Overdue", "Provisional", "No clock")
        if title in row
    ]
    assert titles == ["Overdue", "Provisional", "Later", "No clock"]
    assert "Dismissed" not in html
    assert f'href="/incidents/{overdue.pk}/"' in html
    assert later.reference in html and provisional.reference in html


def test_countdowns_carry_their_deadline_and_urgency(lead: User) -> None:
    confirmed_aware(lead, aware_hours_ago=80, title="Overdue")  # due 8 h ago
    confirmed_aware(lead, aware_hours_ago=62, title="Orange")  # 10 h left
    confirmed_aware(lead, aware_hours_ago=50, title="Amber")  # 22 h left
    confirmed_aware(lead, aware_hours_ago=1, title="Neutral")  # 71 h left

    html = signed_in(lead).get("/").content.decode()
    by_title = {
        title: row
        for row in rows(html)
        for title in ("Overdue", "Orange", "Amber", "Neutral")
        if title in row
    }
    # The rows carry their colour from the server too, for a page without JavaScript.
    assert re.findall(r'<tr class="clock-row ([\w-]*)" data-urgency-scope', html) == [
        "urgency-overdue",
        "urgency-within-12h",
        "urgency-within-24h",
        "urgency-later",
    ]

    assert 'datetime="2026-03-27T00:00:00Z"' in by_title["Overdue"]
    assert "overdue by 8 h 0 min" in by_title["Overdue"]
    assert "urgency-overdue" in by_title["Overdue"]
    assert "10:00:00 left" in by_title["Orange"] and "urgency-within-12h" in by_title["Orange"]
    assert "22:00:00 left" in by_title["Amber"] and "urgency-within-24h" in by_title["Amber"]
    assert "2 d 23:00:00 left" in by_title["Neutral"] and "urgency-later" in by_title["Neutral"]
    assert "GDPR: Notification" in by_title["Neutral"]


def test_a_provisional_clock_is_marked_and_the_colours_are_explained(lead: User) -> None:
    incident_logged(actor=lead, detected_at=T0 - 5 * HOUR, now=T0, title="Phishing")
    html = signed_in(lead).get("/").content.decode()
    (row,) = rows(html)
    assert "provisional: GDPR: Notification, counted from detection, not yet confirmed" in row
    assert "2 d 19:00:00 left" in row
    assert "Less than 12 hours left" in html and "Less than 24 hours left" in html and "Overdue" in html
    # The countdown script is served from here, never from a CDN.
    assert '<script src="/static/js/countdown.js" defer></script>' in html


def test_the_dashboard_pages_fifty_incidents_at_a_time(lead: User) -> None:
    register = register_made()
    for number in range(51):
        incident_logged(
            actor=lead, register=register, detected_at=T0 - number * HOUR, now=T0, title=f"Incident {number}"
        )
    client = signed_in(lead)
    first = client.get("/").content.decode()
    assert len(rows(first)) == 50
    assert "51 open incidents, nearest deadline first" in first
    assert "Page 1 of 2" in first
    second = client.get("/?page=2").content.decode()
    (row,) = rows(second)
    assert "Incident 0" in row  # detected last: its provisional clock runs out last


def test_the_dashboard_needs_the_same_queries_for_5_and_for_50_incidents(
    lead: User, dpo: User, django_assert_num_queries
) -> None:
    register = register_made()

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            incident = incident_logged(
                actor=lead, register=register, detected_at=T0 - 3 * HOUR, now=T0, title=f"Incident {number}"
            )
            if number % 2:
                confirmed(incident, lead)

    add(5, 0)
    client = signed_in(dpo)
    client.get("/")  # the session and the content types are cached from here on
    with CaptureQueriesContext(connection) as five:
        assert len(rows(client.get("/").content.decode())) == 5
    add(45, 5)
    with django_assert_num_queries(len(five.captured_queries)):
        assert len(rows(client.get("/").content.decode())) == 50


def test_an_auditor_sees_the_clocks_but_cannot_log_an_incident(lead: User, auditor: User) -> None:
    incident_logged(actor=lead, detected_at=T0 - HOUR, now=T0, title="Phishing")
    html = signed_in(auditor).get("/").content.decode()
    assert len(rows(html)) == 1
    assert "Log an incident" not in html


def test_a_user_without_a_role_sees_no_incidents(lead: User, outsider: User) -> None:
    incident_logged(actor=lead, detected_at=T0 - HOUR, now=T0, title="Phishing")
    html = signed_in(outsider).get("/").content.decode()
    assert "Phishing" not in html
    assert "Your account has no role yet" in html
