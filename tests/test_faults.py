"""Faults survived. The broker away while people work: incidents are still logged and stepped,
their e-mails and reminders go out from the process that made them, and a merge catches up once
the broker is back; nothing is lost and nothing sent twice. The database lost in the middle of a
transition: nothing is half-written, and the person is told."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from incidents.clocks.reminders import reminders_send_due
from incidents.lifecycle import steps
from incidents.models import AuditEvent, Incident, IncidentState
from incidents.services import merges
from project.celery import app
from tests.api_support import api_as, error_of
from tests.builders import assessed, confirmed, decided, fresh
from tests.conftest import signed_in
from tests.factories import incident_logged, register_made
from tests.merge_support import approved, breach, many
from tests.moments import HOUR, T0

_BROKER_SETTINGS = (
    "task_always_eager",
    "broker_url",
    "broker_write_url",
    "broker_read_url",
    "broker_connection_retry",
    "broker_transport_options",
)
NOBODY = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def _fresh_pools() -> None:
    """The producers' pools were made for the broker configured before."""
    # Celery keeps both for the app's life and has no public way to drop them for a new broker.
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


@contextmanager
def broker_down() -> Iterator[None]:
    """Tasks really sent (not run in-process) to a broker nobody answers at."""
    saved = {key: app.conf[key] for key in _BROKER_SETTINGS}
    app.conf.update(
        task_always_eager=False,
        # All three: with the broker named in the settings (CELERY_BROKER_URL), Celery sends by
        # the write URL it resolved from them.
        broker_url=NOBODY,
        broker_write_url=NOBODY,
        broker_read_url=NOBODY,
        broker_connection_retry=False,
        broker_transport_options={"max_retries": 0},
    )
    _fresh_pools()
    try:
        yield
    finally:
        app.conf.update(saved)
        _fresh_pools()


def test_with_the_broker_away_a_merge_is_recorded_and_written_once_it_is_back(
    lead: User, dpo: User, django_capture_on_commit_callbacks: Any
) -> None:
    notice = approved(breach(lead, dpo), lead, dpo, "fi")
    started = timezone.now()
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        merge = merges.merge_create(
            notice_id=notice.pk,
            actor=lead,
            file=io.BytesIO(many(20)),
            filename="a.csv",
            output="zip",
            now=started,
        )
    # Sent for real and refused by nobody listening: the merge stands recorded, waiting.
    merge.refresh_from_db()
    assert (merge.state, merge.letters_done, merge.total) == ("queued", 0, 20)
    # The broker is back: the next resume (beat, every minute) queues the chunks that waited a lease.
    assert merges.merges_resume(now=started + merges.LEASE / 2).chunks == 0
    resumed = merges.merges_resume(now=started + merges.LEASE + merges.LEASE / 10)
    assert resumed.chunks == 1
    merge.refresh_from_db()
    assert (merge.state, merge.letters_done) == ("done", 20)


def test_with_the_broker_away_incidents_are_logged_and_stepped(
    lead: User, dpo: User, django_capture_on_commit_callbacks: Any
) -> None:
    register = register_made()
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = signed_in(lead).post(
            "/incidents/new/",
            {
                "title": "Phishing",
                "description": "Reported by staff.",
                "detected_at": "2026-03-27T09:30",
                "registers": [register.pk],
            },
        )
        assert response.status_code == 302
        incident = Incident.objects.get()
        confirmed(incident, lead)
        decided(assessed(fresh(incident), lead), dpo, "high", subjects_target_at=T0 + 24 * HOUR)
    assert fresh(incident).state == "decided"


def test_with_the_broker_away_a_due_reminder_is_sent_once_and_not_lost(
    lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    incident = confirmed(incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0), lead)
    with broker_down():
        with django_capture_on_commit_callbacks(execute=True):
            first = reminders_send_due(now=T0 + 36 * HOUR)
        with django_capture_on_commit_callbacks(execute=True):
            second = reminders_send_due(now=T0 + 36 * HOUR)
    assert (first.sent, second.sent) == (1, 0)
    (message,) = mail.outbox  # sent from this process, once
    assert incident.reference in message.subject


@pytest.fixture
def database_lost_mid_transition(monkeypatch: pytest.MonkeyPatch) -> None:
    """The connection drops after the incident is saved and its event recorded, before the clocks
    are refreshed: the last step of a transition, inside its transaction."""

    def lost(*args: object, **kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(steps, "obligations_refresh", lost)


def test_the_database_lost_mid_transition_writes_nothing_and_the_page_says_so(
    lead: User, database_lost_mid_transition: None
) -> None:
    incident = incident_logged(actor=lead, register=register_made(), detected_at=T0 - 2 * HOUR, now=T0)
    events_before = AuditEvent.objects.filter(incident_id=incident.pk).count()
    response = signed_in(lead).post(
        f"/incidents/{incident.pk}/act/confirm/", {"confirm-version": fresh(incident).version}
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert "The database could not be reached; nothing of this was saved." in page
    incident = fresh(incident)
    assert (incident.state, incident.version) == (IncidentState.REPORTED, 1)
    assert AuditEvent.objects.filter(incident_id=incident.pk).count() == events_before


def test_the_database_lost_mid_transition_is_told_in_the_apis_error_shape(
    lead: User, database_lost_mid_transition: None
) -> None:
    incident = incident_logged(actor=lead, register=register_made(), detected_at=T0 - 2 * HOUR, now=T0)
    response = api_as(lead).post(
        f"/api/incidents/{incident.reference}/transitions/confirm/", {}, format="json"
    )
    assert response.status_code == 503
    assert error_of(response)["code"] == "database_unavailable"
    assert fresh(incident).state == IncidentState.REPORTED
