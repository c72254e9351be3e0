"""The cost of recording one change of a model: Breachclock's audit trail against django-auditlog.

Runs in a worker process under bench.settings. Both sides make the same change to the same row
of the same model, one change per transaction, and write one audit row per change:

- ours: the way a service does it, ``audit_record`` with the field's before and after inside
  the act's ``transaction.atomic()``;
- django-auditlog: the model registered with it, so that its pre_save receiver writes a
  LogEntry; the actor is set once around the run, as its middleware does per request.

The two alternate, repetition after repetition (and which goes first alternates too), so that a
growing table or a busy moment of the machine weighs on both alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import count
from typing import Any

from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.auth.models import User
from django.db import transaction

from bench.models import Breach
from incidents.audit import audit_record
from incidents.models import AuditEvent


def measure(*, changes: int, repetitions: int, warmup: int) -> dict[str, Any]:
    """Seconds per change, every timed change of every repetition, for each side."""
    actor = User.objects.create_user(username="bench.dpo", email="dpo@example.org")
    breach = Breach.objects.create(
        title="Misdirected payroll e-mail",
        summary="first summary",
        aware_at=datetime(2026, 11, 2, tzinfo=UTC),
    )
    revision = count(1)

    def change_ours() -> None:
        with transaction.atomic():
            row = Breach.objects.get(pk=breach.pk)
            before = row.summary
            row.summary = f"summary, revision {next(revision)}"
            row.save(update_fields=["summary"])
            audit_record(
                action="breach.changed",
                actor=actor,
                obj=row,
                data={"changes": {"summary": [before, row.summary]}},
            )

    def change_auditlog() -> None:
        with transaction.atomic():
            row = Breach.objects.get(pk=breach.pk)
            row.summary = f"summary, revision {next(revision)}"
            row.save(update_fields=["summary"])

    def run_ours() -> list[float]:
        return _timed(change_ours, changes=changes, warmup=warmup)

    def run_auditlog() -> list[float]:
        auditlog.register(Breach)
        try:
            with set_actor(actor):
                return _timed(change_auditlog, changes=changes, warmup=warmup)
        finally:
            auditlog.unregister(Breach)

    timings: dict[str, list[float]] = {"ours": [], "auditlog": []}
    for repetition in range(repetitions):
        order = [("ours", run_ours), ("auditlog", run_auditlog)]
        for side, run in order if repetition % 2 == 0 else reversed(order):
            timings[side].extend(run())
    _check_rows_written(breach, expected=repetitions * (changes + warmup))
    return {"timings": timings, "changes": changes, "repetitions": repetitions, "warmup": warmup}


def _timed(change: Callable[[], None], *, changes: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        change()
    timings = []
    for _ in range(changes):
        started = time.perf_counter()
        change()
        timings.append(time.perf_counter() - started)
    return timings


def _check_rows_written(breach: Breach, *, expected: int) -> None:
    """Both sides must have written one audit row per change, or the comparison means nothing."""
    ours = AuditEvent.objects.filter(action="breach.changed", object_id=str(breach.pk)).count()
    theirs = LogEntry.objects.get_for_object(breach).filter(action=LogEntry.Action.UPDATE).count()
    if ours != expected or theirs != expected:
        raise AssertionError(f"expected {expected} audit rows on each side, found {ours} and {theirs}")
