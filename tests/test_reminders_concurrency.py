"""Scans that run at the same time (two beats, several workers) still send each reminder once."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection, connections

from incidents.clocks.reminders import ScanResult, reminders_send_due
from incidents.models import AuditEvent, Profile, Reminder
from tests.builders import confirmed
from tests.factories import incident_logged
from tests.moments import HOUR, T0

INCIDENTS = 20
SCANS = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_on_postgresql_send_each_reminder_once(lead: User, dpo: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "runs on PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises writers with "
            "BEGIN IMMEDIATE, so scans there cannot overlap"
        )
    Profile.objects.create(user=lead, language="fi")
    for number in range(INCIDENTS):
        confirmed(
            incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0, title=f"Incident {number}"), lead
        )
    # Every threshold up to overdue-1 is due: each scan sees 100 reminders of 20 obligations.
    now = T0 + 85 * HOUR
    due = Reminder.objects.filter(sent_at__isnull=True, fire_at__lte=now).count()
    assert due == INCIDENTS * 5
    barrier = threading.Barrier(SCANS)
    results: list[ScanResult] = []
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            barrier.wait()
            results.append(reminders_send_due(now=now))
        except BaseException as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(SCANS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(r.sent for r in results) == INCIDENTS
    assert sum(r.superseded for r in results) == INCIDENTS * 4
    assert sum(r.lost for r in results) == (SCANS - 1) * due
    assert AuditEvent.objects.filter(action="reminder.sent").count() == INCIDENTS
    assert AuditEvent.objects.filter(action="obligation.missed").count() == INCIDENTS
    assert not Reminder.objects.filter(sent_at__isnull=True, fire_at__lte=now).exists()
    assert Reminder.objects.filter(threshold="overdue-2", sent_at__isnull=True).count() == INCIDENTS
    # One e-mail per incident and language (the lead reads Finnish, the DPO English), none twice.
    sent = Counter((message.subject, tuple(message.to)) for message in mail.outbox)
    assert len(sent) == INCIDENTS * 2
    assert set(sent.values()) == {1}
