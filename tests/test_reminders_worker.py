"""Reminders sent by real Celery workers, in processes of their own, against the test database."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from incidents.models import AuditEvent, Reminder
from incidents.tasks import reminders_scan
from tests.builders import confirmed
from tests.factories import incident_logged
from tests.moments import HOUR
from tests.workers import celery_workers, database_url

WORKERS = 2


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Two workers on one queue, as on two machines, on the test database. They run the test
    settings, so the e-mails a scan queues are sent in the worker itself."""
    mail_dir = tmp_path / "mail"
    with celery_workers(mail_dir, count=WORKERS, env={"DATABASE_URL": database_url()}) as queue:
        yield queue, mail_dir


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_workers_sent_the_same_scan_several_times_send_each_reminder_once(
    workers: tuple[str, Path], lead: User, dpo: User
) -> None:
    queue, mail_dir = workers
    now = timezone.now()
    logged = incident_logged(actor=lead, detected_at=now - 90 * HOUR, now=now)
    incident = confirmed(
        logged,
        lead,
        now=now,
        aware_at=now - 90 * HOUR,
        aware_reason="The ticket showed customer records from the start.",
    )
    # As if beat had fired four times at once (or two beats ran): every scan goes to the workers.
    results = [reminders_scan.apply_async(queue=queue) for _ in range(4)]
    assert sorted(result.get(timeout=90) for result in results) == [0, 0, 0, 1]
    events = AuditEvent.objects.filter(action="reminder.sent", incident_id=incident.pk)
    assert events.count() == 1
    assert '"threshold":"overdue-1"' in events.get().data
    assert Reminder.objects.get(obligation__incident=incident, threshold="overdue-2").sent_at is None
    # The e-mail was sent on commit, inside the scan's task, before its result came back.
    messages = list(mail_dir.glob("*.log"))
    assert len(messages) == 1
    message = email.message_from_string(messages[0].read_text(), policy=email.policy.default)
    subject = str(message["Subject"]).strip()
    assert subject == f"[Breachclock] {incident.reference}: overdue – GDPR: Notification"
    assert sorted(address.strip() for address in str(message["To"]).split(",")) == [
        "alice@breachclock.example",
        "bob@breachclock.example",
    ]
    assert "This notification is overdue" in message.get_body().get_content()  # type: ignore[union-attr]
