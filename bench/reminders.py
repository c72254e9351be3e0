"""The reminder scan's task, run in the worker process: open incidents by the ten thousand, each
with its Art. 33 clock and five planned reminders, then the scan with nothing due and with due ones.

Bulk-created with the rows the services would have made (incident, obligation, reminders from
reminders_plan's thresholds); going through the services 100,000 times would measure them.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import connection
from django.utils import timezone

from incidents.clocks.obligations import OVERDUE_EVERY, REMINDER_SHARES
from incidents.clocks.reminders import SCAN_LIMIT, reminders_due, reminders_send_due
from incidents.models import Incident, IncidentState, Obligation, ObligationTemplate, Profile, Reminder
from incidents.roles import Role

BATCH = 5000
HOUR = timedelta(hours=1)


def _people() -> tuple[User, User]:
    """A handler who reads Finnish and a DPO who reads English: two e-mails per reminder."""
    lead = User.objects.create_user("lead", "lead@breachclock.example", "not used")
    lead.groups.add(Group.objects.get(name=Role.SECURITY_LEAD.value))
    Profile.objects.create(user=lead, language="fi")
    dpo = User.objects.create_user("dpo", "dpo@breachclock.example", "not used")
    dpo.groups.add(Group.objects.get(name=Role.DPO.value))
    return lead, dpo


def _incidents_add(first: int, count: int, lead: User, now: datetime) -> None:
    """Confirmed within the last 30 hours: every reminder (the first at 36 hours) is still ahead."""
    art33 = ObligationTemplate.objects.get(code="gdpr-33-1")
    for start in range(first, first + count, BATCH):
        numbers = range(start, min(start + BATCH, first + count))
        incidents = []
        for number in numbers:
            aware = now - timedelta(minutes=number % (30 * 60))
            incidents.append(
                Incident(
                    reference=f"INC-2026-{number + 1:06d}",
                    title=f"Incident {number + 1}",
                    description="Customer data may have been exposed.",
                    detected_at=aware - HOUR,
                    aware_at=aware,
                    confirmed_at=aware,
                    reporter=lead,
                    handler=lead,
                    state=IncidentState.CONFIRMED,
                    next_due_at=aware + 72 * HOUR,
                )
            )
        Incident.objects.bulk_create(incidents)
        obligations = Obligation.objects.bulk_create(
            [
                Obligation(
                    incident=incident,
                    template=art33,
                    start_at=incident.aware_at,
                    due_at=incident.aware_at + 72 * HOUR,
                )
                for incident in incidents
            ]
        )
        reminders = []
        for obligation in obligations:
            assert obligation.start_at is not None and obligation.due_at is not None
            planned = [(code, obligation.start_at + 72 * HOUR * share) for code, share in REMINDER_SHARES]
            planned += [("due", obligation.due_at), ("overdue-1", obligation.due_at + OVERDUE_EVERY)]
            reminders += [Reminder(obligation=obligation, threshold=code, fire_at=at) for code, at in planned]
        Reminder.objects.bulk_create(reminders)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have by now on a server that grew this big


def _plan(now: datetime) -> str:
    """How the database finds the due reminders (PostgreSQL: which index)."""
    plan = reminders_due(now=now, limit=SCAN_LIMIT).explain()
    return " / ".join(line.strip() for line in plan.splitlines())


def _nothing_due(now: datetime, repetitions: int) -> list[float]:
    timings = []
    for _ in range(repetitions):
        started = time.perf_counter()
        result = reminders_send_due(now=now)
        timings.append(time.perf_counter() - started)
        if result.sent:
            raise RuntimeError("a reminder was due in the 'nothing due' case")
    return timings


def _some_due(now: datetime, due: int, repetitions: int, used: set[int]) -> list[float]:
    """Each repetition makes the 50 % reminder of ``due`` more obligations due, and scans once."""
    timings = []
    for _ in range(repetitions):
        fresh = list(
            Obligation.objects.exclude(pk__in=used).order_by("pk").values_list("pk", flat=True)[:due]
        )
        used.update(fresh)
        Reminder.objects.filter(obligation_id__in=fresh, threshold="p50").update(fire_at=now - HOUR)
        started = time.perf_counter()
        result = reminders_send_due(now=now)
        timings.append(time.perf_counter() - started)
        if result.sent != due:
            raise RuntimeError(f"the scan sent {result.sent} reminders, not {due}")
    return timings


def measure(*, sizes: list[int], due: list[int], repetitions: int, due_repetitions: int) -> dict[str, Any]:
    lead, _dpo = _people()
    now = timezone.now()
    rows = []
    used: set[int] = set()
    made = 0
    for size in sizes:
        started = time.perf_counter()
        _incidents_add(made, size - made, lead, now)
        setup = time.perf_counter() - started
        made = size
        timings = _nothing_due(now, repetitions)
        rows.append({"incidents": size, "due": 0, "timings": timings, "median": statistics.median(timings)})
        for count in due:
            timings = _some_due(now, count, due_repetitions, used)
            rows.append(
                {"incidents": size, "due": count, "timings": timings, "median": statistics.median(timings)}
            )
        print(f"    {size:,} incidents: set up in {setup:.0f} s", flush=True)
    return {
        "rows": rows,
        "reminders": Reminder.objects.count(),
        "plan": _plan(now),
    }
