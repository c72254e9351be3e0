"""Reminders on the dashboard: to the people they were e-mailed to, the latest of each clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.template.loader import render_to_string

from incidents.clocks.reminders import reminders_send_due
from incidents.models import Incident, Obligation, ObligationStatus
from incidents.roles import Role
from incidents.selectors.reminders import dashboard_reminders
from tests.builders import confirmed
from tests.conftest import PASSWORD, signed_in
from tests.factories import incident_logged
from tests.moments import HOUR, T0


def confirmed_incident(handler: User, *, title: str = "Laptop stolen from a car") -> Incident:
    return confirmed(incident_logged(actor=handler, detected_at=T0 - 2 * HOUR, now=T0, title=title), handler)


@pytest.fixture
def incident(lead: User, dpo: User) -> Incident:
    return confirmed_incident(lead)


@pytest.fixture
def other_lead(db: None) -> User:
    user = User.objects.create_user("dave", "dave@breachclock.example", PASSWORD)
    user.groups.add(Group.objects.get(name=Role.SECURITY_LEAD))
    return user


def thresholds(user: User, now: dt.datetime) -> list[tuple[str, str]]:
    return [
        (reminder.obligation.incident.reference, reminder.threshold)
        for reminder in dashboard_reminders(user=user, now=now)
    ]


def test_the_handler_and_the_dpo_see_the_latest_reminder_of_each_clock(
    incident: Incident, lead: User, dpo: User
) -> None:
    reminders_send_due(now=T0 + 36 * HOUR)
    reminders_send_due(now=T0 + 54 * HOUR)
    now = T0 + 55 * HOUR
    assert thresholds(lead, now) == [("INC-2026-0001", "p75")]
    assert thresholds(dpo, now) == [("INC-2026-0001", "p75")]


def test_others_see_only_the_reminders_of_the_incidents_they_handle(
    incident: Incident, lead: User, dpo: User, other_lead: User, auditor: User, outsider: User
) -> None:
    confirmed_incident(other_lead, title="Misdirected e-mail")
    reminders_send_due(now=T0 + 36 * HOUR)
    now = T0 + 37 * HOUR
    assert thresholds(other_lead, now) == [("INC-2026-0002", "p50")]
    assert thresholds(lead, now) == [("INC-2026-0001", "p50")]
    assert sorted(thresholds(dpo, now)) == [("INC-2026-0001", "p50"), ("INC-2026-0002", "p50")]
    assert thresholds(auditor, now) == []
    assert thresholds(outsider, now) == []


def test_newest_first_and_no_more_than_the_limit(lead: User, dpo: User) -> None:
    for hour in range(3):
        confirmed_incident(lead, title=f"Incident {hour}")
        reminders_send_due(now=T0 + (36 + hour) * HOUR)
    reminders = dashboard_reminders(user=dpo, now=T0 + 40 * HOUR, limit=2)
    assert [r.sent_at for r in reminders] == [T0 + 38 * HOUR, T0 + 37 * HOUR]


def test_a_met_or_waived_clock_leaves_the_dashboard(incident: Incident, lead: User) -> None:
    reminders_send_due(now=T0 + 36 * HOUR)
    Obligation.objects.filter(incident=incident).update(status=ObligationStatus.MET)
    assert thresholds(lead, T0 + 37 * HOUR) == []


def test_the_panel_names_the_incident_the_clock_and_the_threshold_in_words(
    incident: Incident, lead: User
) -> None:
    reminders_send_due(now=T0 + 85 * HOUR)
    html = render_to_string(
        "incidents/_reminders.html", {"reminders": dashboard_reminders(user=lead, now=T0 + 86 * HOUR)}
    )
    assert "INC-2026-0001" in html
    assert f'href="/incidents/{incident.pk}/"' in html
    assert "GDPR: Notification" in html
    assert "GDPR Art. 33(1)" in html
    assert "overdue" in html
    assert "30 March 2026, 11:00 (UTC+03:00)" in html  # the deadline, on the organisation's clock


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (36, "50 % of the time used"),
        (54, "75 % of the time used"),
        (65, "90 % of the time used"),
        (72, "deadline passed"),
    ],
)
def test_each_threshold_reads_in_words(incident: Incident, lead: User, hours: int, words: str) -> None:
    reminders_send_due(now=T0 + hours * HOUR)
    html = render_to_string(
        "incidents/_reminders.html", {"reminders": dashboard_reminders(user=lead, now=T0 + hours * HOUR)}
    )
    assert words in html


def test_the_dashboard_shows_the_panel_to_the_handler_but_not_to_an_auditor(
    incident: Incident, lead: User, auditor: User
) -> None:
    reminders_send_due(now=T0 + 54 * HOUR)
    page = signed_in(lead).get("/").content.decode()
    assert 'data-testid="reminders"' in page
    assert "75 % of the time used" in page
    assert 'data-testid="reminders"' not in signed_in(auditor).get("/").content.decode()
