"""Reminders of the clocks: at 50, 75 and 90 % of the period, at the deadline, then every 12 hours."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail

from incidents.clocks.reminders import ScanResult, reminders_send_due
from incidents.models import Incident, Obligation, ObligationStatus
from incidents.services.obligations import obligation_mark_met, obligation_set_target, obligation_waive
from incidents.tasks import reminders_scan
from tests.builders import art33, aware_at_moved, confirmed, events
from tests.factories import incident_logged
from tests.moments import HOUR, T0


@pytest.fixture
def incident(lead: User, dpo: User) -> Incident:
    """Confirmed at T0: the Art. 33 clock runs 72 hours, to T0 + 72 h."""
    return confirmed(incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0), lead)


Scan = Callable[[dt.datetime], ScanResult]


@pytest.fixture
def scan(django_capture_on_commit_callbacks: Any) -> Scan:
    """One scan at a pinned moment, its e-mails sent as on commit (the test's transaction never commits)."""

    def run(now: dt.datetime) -> ScanResult:
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send_due(now=now)

    return run


def sent_thresholds() -> list[str]:
    return [json.loads(data)["threshold"] for data in events("reminder.sent").values_list("data", flat=True)]


def test_the_reminders_are_planned_at_the_thresholds_of_the_72_hours(incident: Incident) -> None:
    planned = dict(art33(incident).reminders.values_list("threshold", "fire_at"))
    assert planned == {
        "p50": T0 + 36 * HOUR,
        "p75": T0 + 54 * HOUR,
        "p90": T0 + dt.timedelta(hours=64, minutes=48),
        "due": T0 + 72 * HOUR,
        "overdue-1": T0 + 84 * HOUR,
    }


def test_each_threshold_fires_at_its_moment_then_every_12_hours_while_overdue(
    incident: Incident, scan: Scan
) -> None:
    moments = [
        (36 * HOUR, "p50"),
        (54 * HOUR, "p75"),
        (dt.timedelta(hours=64, minutes=48), "p90"),
        (72 * HOUR, "due"),
        (84 * HOUR, "overdue-1"),
        (96 * HOUR, "overdue-2"),
        (108 * HOUR, "overdue-3"),
    ]
    for after, threshold in moments:
        assert scan(T0 + after - dt.timedelta(seconds=1)).sent == 0, threshold
        assert scan(T0 + after).sent == 1, threshold
        assert sent_thresholds()[-1] == threshold
    assert sent_thresholds() == [threshold for _after, threshold in moments]
    assert art33(incident).reminders.get(sent_at__isnull=True).threshold == "overdue-4"


def test_a_scan_run_twice_sends_each_reminder_once(incident: Incident, scan: Scan) -> None:
    first = scan(T0 + 36 * HOUR)
    second = scan(T0 + 36 * HOUR)
    assert (first.sent, second.sent) == (1, 0)
    (message,) = mail.outbox  # the handler and the DPO read English: one message to both, once
    assert sorted(message.to) == ["alice@breachclock.example", "bob@breachclock.example"]
    assert sent_thresholds() == ["p50"]
    assert art33(incident).reminders.get(threshold="p50").sent_at == T0 + 36 * HOUR


def test_thresholds_passed_together_send_only_the_latest(lead: User, dpo: User, scan: Scan) -> None:
    """Confirmed 60 hours after awareness: 50 % and 75 % have passed; one reminder says where it stands."""
    logged = incident_logged(actor=lead, detected_at=T0 - 60 * HOUR, now=T0)
    incident = confirmed(
        logged,
        lead,
        aware_at=T0 - 60 * HOUR,
        aware_reason="The ticket already showed customer records.",
    )
    result = scan(T0)
    assert (result.sent, result.superseded) == (1, 1)
    assert sent_thresholds() == ["p75"]
    assert json.loads(events("reminder.sent").get().data)["superseded"] == ["p50"]
    assert {m.subject for m in mail.outbox} == {
        "[Breachclock] INC-2026-0001: 75 % of the time used – GDPR: Notification"
    }
    assert art33(incident).reminders.filter(sent_at__isnull=True).count() == 3  # p90, due, overdue-1


def test_a_deadline_moved_earlier_does_not_resend_a_threshold_already_sent(
    incident: Incident, lead: User, scan: Scan
) -> None:
    scan(T0 + 37 * HOUR)
    assert sent_thresholds() == ["p50"]
    aware_at_moved(
        incident,
        lead,
        aware_at=T0 - 2 * HOUR,
        reason="The laptop was reported missing two hours before.",
        now=T0 + 38 * HOUR,
    )
    planned = dict(art33(incident).reminders.filter(sent_at__isnull=True).values_list("threshold", "fire_at"))
    assert planned["p75"] == T0 + 52 * HOUR  # 54 hours after the new moment of awareness
    assert scan(T0 + 40 * HOUR).sent == 0
    scan(T0 + 52 * HOUR)
    assert sent_thresholds() == ["p50", "p75"]


def test_an_overdue_obligation_keeps_reminding_after_its_deadline_moves(
    incident: Incident, lead: User, scan: Scan
) -> None:
    """Once overdue-1 had gone out, a change of the deadline used to leave no reminder planned."""
    scan(T0 + 85 * HOUR)
    assert sent_thresholds() == ["overdue-1"]
    aware_at_moved(
        incident,
        lead,
        aware_at=T0 - HOUR,
        reason="The first customer complaint came in an hour before.",
        now=T0 + 86 * HOUR,
    )
    assert art33(incident).reminders.filter(sent_at__isnull=True).exists()
    scan(T0 + 96 * HOUR)
    assert sent_thresholds() == ["overdue-1", "overdue-2"]


def test_the_scan_marks_an_obligation_missed_when_its_deadline_passes(incident: Incident, scan: Scan) -> None:
    scan(T0 + 71 * HOUR)
    assert art33(incident).status == ObligationStatus.PENDING
    scan(T0 + 72 * HOUR)
    assert art33(incident).status == ObligationStatus.MISSED
    missed = events("obligation.missed").get()
    assert json.loads(missed.data) == {"due_at": "2026-03-30T08:00:00.000000Z", "obligation": "gdpr-33-1"}
    assert missed.incident_id == incident.pk
    assert "The deadline for this notification has been reached" in mail.outbox[-1].body


def test_a_met_obligation_stops_reminding(incident: Incident, lead: User, scan: Scan) -> None:
    scan(T0 + 36 * HOUR)
    obligation_mark_met(
        obligation_id=art33(incident).pk,
        actor=lead,
        met_at=T0 + 40 * HOUR,
        note="Sent through the Ombudsman's e-service, case 1234/2026.",
        now=T0 + 40 * HOUR,
    )
    assert not art33(incident).reminders.filter(sent_at__isnull=True).exists()
    assert scan(T0 + 200 * HOUR).sent == 0
    assert sent_thresholds() == ["p50"]


def test_a_waived_obligation_stops_reminding(incident: Incident, dpo: User, scan: Scan) -> None:
    obligation_waive(
        obligation_id=art33(incident).pk,
        actor=dpo,
        reason="The data was encrypted and the key was not compromised.",
        now=T0 + HOUR,
    )
    assert scan(T0 + 200 * HOUR).sent == 0
    assert mail.outbox == []


def test_a_reminder_left_for_a_closed_obligation_is_marked_not_sent(incident: Incident, scan: Scan) -> None:
    """The obligation closed between the scan's read and its claim (or by a path that did not replan)."""
    Obligation.objects.filter(pk=art33(incident).pk).update(status=ObligationStatus.MET)
    result = scan(T0 + 36 * HOUR)
    assert (result.sent, result.skipped) == (0, 1)
    assert mail.outbox == []
    assert art33(incident).reminders.get(threshold="p50").sent_at == T0 + 36 * HOUR
    assert not events("reminder.sent").exists()


def test_after_a_day_without_scans_one_overdue_reminder_goes_out_not_one_per_step(
    incident: Incident, scan: Scan
) -> None:
    scan(T0 + 84 * HOUR)
    result = scan(T0 + 130 * HOUR)  # overdue-2 (96 h) due; 108 h and 120 h missed
    assert result.sent == 1
    assert sent_thresholds() == ["overdue-1", "overdue-2"]
    nxt = art33(incident).reminders.get(sent_at__isnull=True)
    assert (nxt.threshold, nxt.fire_at) == ("overdue-5", T0 + 132 * HOUR)


def test_the_audit_event_names_the_obligation_threshold_deadline_and_recipients(
    incident: Incident, scan: Scan
) -> None:
    scan(T0 + 54 * HOUR)
    event = events("reminder.sent").get()
    assert event.incident_id == incident.pk
    assert event.actor_id is None  # the system, not a person
    assert event.object_type == "incidents.reminder"
    assert json.loads(event.data) == {
        "obligation": "gdpr-33-1",
        "recipient": None,
        "threshold": "p75",
        "due_at": "2026-03-30T08:00:00.000000Z",
        "recipients": ["alice@breachclock.example", "bob@breachclock.example"],
        "superseded": ["p50"],
    }


def test_a_setback_in_the_transaction_sends_no_mail(
    incident: Incident, monkeypatch: pytest.MonkeyPatch, scan: Scan
) -> None:
    """The e-mails are queued on commit: a scan whose transaction fails sends nothing, and the
    reminder stays unsent for the next scan."""
    from incidents.clocks import reminders

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(reminders, "_next_overdue_plan", broken)
    with pytest.raises(RuntimeError):
        scan(T0 + 72 * HOUR)
    assert mail.outbox == []
    assert art33(incident).reminders.get(threshold="due").sent_at is None
    monkeypatch.undo()
    assert scan(T0 + 72 * HOUR).sent == 1


def test_the_beat_task_runs_the_scan_every_minute(
    incident: Incident, django_capture_on_commit_callbacks: Any
) -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE["reminders-scan"]
    assert schedule["task"] == "incidents.tasks.reminders_scan"
    assert schedule["schedule"] == dt.timedelta(seconds=60)
    with time_machine.travel(T0 + 36 * HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert reminders_scan.delay().get() == 1
    assert sent_thresholds() == ["p50"]
    assert len(mail.outbox) == 1


def test_a_target_set_by_the_dpo_is_reminded_of(
    incident: Incident, lead: User, dpo: User, scan: Scan
) -> None:
    """A clock 'without undue delay' has no deadline until the DPO sets one; setting it used to plan
    no reminder, because the refresh that follows found the deadline unchanged."""
    obligation_mark_met(
        obligation_id=art33(incident).pk,
        actor=lead,
        met_at=T0 + 10 * HOUR,
        note="Preliminary notice through the e-service, case 1234/2026.",
        now=T0 + 10 * HOUR,
        complete=False,
    )
    supplementary = incident.obligations.get(template__code="gdpr-33-4")
    assert supplementary.due_at is None
    obligation_set_target(
        obligation_id=supplementary.pk, actor=dpo, due_at=T0 + 34 * HOUR, now=T0 + 10 * HOUR
    )
    planned = dict(supplementary.reminders.values_list("threshold", "fire_at"))
    assert planned["p50"] == T0 + 22 * HOUR  # half-way from the preliminary notice to the target
    assert planned["due"] == T0 + 34 * HOUR
    scan(T0 + 34 * HOUR)
    assert sent_thresholds() == ["due"]
