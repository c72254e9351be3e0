"""Sending the reminders that are due: each (obligation, threshold) once, however many scans run.

A reminder is a row, planned by :func:`incidents.clocks.obligations.reminders_plan`. The scan reads only
the unsent rows that are due (a partial index, so its cost follows the reminders due, not the open
incidents), claims each with a conditional ``UPDATE ... WHERE sent_at IS NULL`` and, in the same
transaction, records the reminder in the audit trail, plans the next overdue one and queues the
e-mails for after the commit. A scan that loses a claim, or rolls back, sends nothing: two beats
or two workers still send each reminder once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from incidents.audit import audit_record
from incidents.clocks.obligations import OVERDUE_EVERY
from incidents.clocks.reminder_mail import mail_queue, reminder_mail
from incidents.models import Incident, Obligation, ObligationStatus, Reminder
from incidents.roles import dpos_to_tell

# Enough for a burst (a whole morning's clocks) within the task's time limit; the rest waits for
# the next scan a minute later.
SCAN_LIMIT = 1000


@dataclass
class ScanResult:
    sent: int = 0  # reminders e-mailed
    superseded: int = 0  # an earlier threshold due in the same scan as a later one: not e-mailed
    skipped: int = 0  # the obligation was met or waived meanwhile
    lost: int = 0  # another scan claimed it first


def reminders_due(*, now: datetime, limit: int) -> QuerySet[Reminder, tuple[int, int]]:
    """(reminder, obligation) ids of the unsent reminders due, oldest first: the condition of the
    partial index reminder_unsent_due, so only those rows are read (no join, which could make
    the planner scan every obligation)."""
    return (
        Reminder.objects.filter(sent_at__isnull=True, fire_at__lte=now)
        .order_by("fire_at", "pk")
        .values_list("pk", "obligation_id")[:limit]
    )


def reminders_send_due(*, now: datetime, limit: int = SCAN_LIMIT) -> ScanResult:
    """Send every reminder due at ``now`` (at most ``limit``), each exactly once."""
    result = ScanResult()
    due = list(reminders_due(now=now, limit=limit))
    if not due:
        return result
    by_obligation: dict[int, list[int]] = defaultdict(list)
    for reminder_id, obligation_id in due:
        by_obligation[obligation_id].append(reminder_id)
    incident_of = dict(Obligation.objects.filter(pk__in=by_obligation).values_list("pk", "incident_id"))
    dpos = dpos_to_tell()
    for obligation_id, reminder_ids in by_obligation.items():
        if obligation_id in incident_of:  # else deleted with its incident, reminders and all
            _obligation_remind(
                obligation_id, incident_of[obligation_id], reminder_ids, dpos=dpos, now=now, result=result
            )
    return result


def _claim(reminder_id: int, now: datetime) -> bool:
    """Only the scan whose UPDATE changes the row goes on; any other finds it sent already."""
    return Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(sent_at=now) == 1


def _obligation_remind(
    obligation_id: int,
    incident_id: int,
    reminder_ids: list[int],
    *,
    dpos: list[User],
    now: datetime,
    result: ScanResult,
) -> None:
    """Claim the obligation's due reminders; e-mail the latest, as one act with its audit event."""
    with transaction.atomic():
        # The incident first, as every service locks it: a scan and an act on the same incident
        # take turns instead of deadlocking over its reminder rows (reminders_plan replaces them).
        list(Incident.objects.select_for_update().filter(pk=incident_id).values_list("pk"))
        claimed = [pk for pk in reminder_ids if _claim(pk, now)]
        result.lost += len(reminder_ids) - len(claimed)
        if not claimed:
            return  # another scan sent them, or they went with their deleted incident
        obligation = Obligation.objects.select_related(
            "template", "incident", "incident__handler", "incident__handler__profile"
        ).get(pk=obligation_id)
        reminders = Reminder.objects.in_bulk(claimed)
        latest, earlier = reminders[claimed[-1]], [reminders[pk] for pk in claimed[:-1]]
        if not obligation.is_open or obligation.due_at is None:
            result.skipped += len(claimed)  # marked sent, so no scan looks at them again
            return
        _missed_flag(obligation, now=now)
        recipients = _recipients(obligation.incident, dpos)
        audit_record(
            action="reminder.sent",
            obj=latest,
            incident_id=incident_id,
            data={
                "obligation": obligation.template.code,
                "recipient": obligation.recipient_detail or None,
                "threshold": latest.threshold,
                "due_at": obligation.due_at,
                "recipients": sorted(user.email for user in recipients),
                "superseded": [reminder.threshold for reminder in earlier],
            },
            now=now,
        )
        _next_overdue_plan(obligation, latest.threshold, now=now)
        mail_queue(recipients, lambda language: reminder_mail(obligation, latest, language=language, now=now))
        result.sent += 1
        result.superseded += len(earlier)


def _recipients(incident: Incident, dpos: list[User]) -> list[User]:
    """The incident's handler and every active DPO, each once, those with an e-mail address."""
    people = {user.pk: user for user in dpos}
    handler = incident.handler
    if handler is not None and handler.is_active and handler.email:
        people.setdefault(handler.pk, handler)
    return sorted(people.values(), key=lambda user: user.pk)


def _missed_flag(obligation: Obligation, *, now: datetime) -> None:
    """The deadline passed without the notice: the obligation is missed (and keeps reminding)."""
    if obligation.status != ObligationStatus.PENDING or obligation.due_at is None or obligation.due_at > now:
        return
    obligation.status = ObligationStatus.MISSED
    obligation.save(update_fields=["status"])
    audit_record(
        action="obligation.missed",
        obj=obligation,
        incident_id=obligation.incident_id,
        data={"obligation": obligation.template.code, "due_at": obligation.due_at},
        now=now,
    )


def overdue_number(threshold: str) -> int | None:
    """0 for the deadline itself, N for "overdue-N", None for the shares of the period."""
    if threshold == "due":
        return 0
    if threshold.startswith("overdue-"):
        return int(threshold.removeprefix("overdue-"))
    return None


def _next_overdue_plan(obligation: Obligation, threshold: str, *, now: datetime) -> None:
    """Once the deadline has been reminded of, remind again every 12 hours while it stays open.

    The next one is the first 12-hour step after ``now``: after a scan that could not run for a
    day, one reminder goes out, not one for every step missed.
    """
    number = overdue_number(threshold)
    if number is None or obligation.due_at is None:
        return
    number += 1
    while obligation.due_at + OVERDUE_EVERY * number <= now:
        number += 1
    Reminder.objects.bulk_create(
        [
            Reminder(
                obligation=obligation,
                threshold=f"overdue-{number}",
                fire_at=obligation.due_at + OVERDUE_EVERY * number,
            )
        ],
        # reminders_plan may have planned it already (overdue-1 is planned with the deadline).
        ignore_conflicts=True,
    )
