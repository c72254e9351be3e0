"""Recording one change: Breachclock's audit trail against django-auditlog, per database."""

from __future__ import annotations

import statistics
import subprocess

from bench.databases import ENGINES, DatabaseUnavailable
from bench.report import Report
from bench.worker import run_task

CHANGES = 500  # timed per side and repetition
WARMUP = 30
REPETITIONS = 9
GOAL_RATIO = 1.5


def run() -> Report:
    report = Report(
        title="Recording one change in the audit trail",
        description=(
            "One change of one field of a model (`bench.models.Breach.summary`), each in its own "
            "transaction: load the row, change it, save with `update_fields`, commit. **Ours** writes "
            "its event with `incidents.audit.audit_record(..., data={'changes': {field: [before, after]}})` "
            "inside the `transaction.atomic()`, as a service does; **django-auditlog** has the model "
            "registered and writes its LogEntry from its own signal on save, the actor set as its "
            "middleware would. Both write one audit row per change to tables that grow alike. Each "
            f"database is fresh and migrated, in a process of its own; {REPETITIONS} repetitions of "
            f"{CHANGES} timed changes per side after {WARMUP} untimed ones, the sides alternating (and "
            "which goes first too). Times are from the start of the transaction to its commit; "
            "medians over every timed change."
        ),
        columns=[
            "Database",
            "Changes timed per side",
            "Ours, median",
            "django-auditlog, median",
            "Ratio (ours / django-auditlog)",
        ],
    )
    ratios = []
    for engine in ENGINES:
        print(f"  {engine}", flush=True)
        try:
            result = run_task(
                engine,
                "audit-cost",
                {"changes": CHANGES, "repetitions": REPETITIONS, "warmup": WARMUP},
                timeout=600,
            )
        except DatabaseUnavailable as reason:
            report.rows.append([engine, "not measured", str(reason), "", ""])
            continue
        except subprocess.CalledProcessError as failure:
            raise SystemExit(f"the {engine} audit benchmark failed ({failure})") from failure
        ours = statistics.median(result["timings"]["ours"])
        theirs = statistics.median(result["timings"]["auditlog"])
        ratios.append((engine, ours / theirs))
        report.rows.append(
            [
                result["database"],
                f"{len(result['timings']['ours']):,}",
                _milliseconds(ours),
                _milliseconds(theirs),
                f"{ours / theirs:.2f}",
            ]
        )
    for engine, ratio in ratios:
        verdict = "met" if ratio <= GOAL_RATIO else "missed"
        report.goals.append(
            f"Goal: ours at most {GOAL_RATIO} times django-auditlog's time. {engine}: {ratio:.2f}, {verdict}."
        )
    return report


def _milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"
