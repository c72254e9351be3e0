"""The reminder scan with up to 100,000 open incidents: nothing due, and 100 or 1,000 reminders due."""

from __future__ import annotations

import subprocess

from bench.databases import ENGINES, DatabaseUnavailable
from bench.report import Report
from bench.worker import run_task

SIZES = [10_000, 100_000]
DUE = [100, 1_000]
REPETITIONS = 30
DUE_REPETITIONS = 5
GOAL_IDLE_MS = 100
GOAL_GROWTH_BY_INCIDENTS = 1.5


def run() -> Report:
    report = Report(
        title="The reminder scan with 100,000 open incidents",
        description=(
            "`incidents.clocks.reminders.reminders_send_due(now=...)`, what Celery beat runs every minute. "
            "Open incidents, each confirmed within the last 30 hours with its Art. 33 clock and the five "
            "reminder rows planned for it (50, 75, 90 %, deadline, 12 hours overdue), all still ahead: "
            f"bulk-created, {SIZES[0]:,} first, then grown to {SIZES[-1]:,}. "
            f"**Nothing due**: {REPETITIONS} scans, median. "
            f"**Due**: before each of {DUE_REPETITIONS} scans, the 50 % reminder of 100 or 1,000 further "
            "obligations is made due; the scan claims each, audits it and queues its two e-mails (the "
            "handler reads Finnish, the DPO English) to the broker (the default filesystem broker), one "
            "transaction per obligation; median. Each database is fresh and migrated, in a process of its "
            "own, under the project's settings with DEBUG off. The scan reads only unsent reminders that "
            "are due, through a partial index on `fire_at WHERE sent_at IS NULL`: its time follows the "
            "reminders due, not the open incidents."
        ),
        columns=[
            "Database",
            "Open incidents",
            "Reminder rows",
            "Reminders due",
            "Median per scan",
            "Per reminder",
        ],
    )
    goals = []
    for engine in ENGINES:
        print(f"  {engine}", flush=True)
        try:
            result = run_task(
                engine,
                "reminders",
                {"sizes": SIZES, "due": DUE, "repetitions": REPETITIONS, "due_repetitions": DUE_REPETITIONS},
                timeout=1800,
                settings="project.settings",
            )
        except DatabaseUnavailable as reason:
            report.rows.append([engine, "not measured", str(reason), "", "", ""])
            continue
        except subprocess.CalledProcessError as failure:
            raise SystemExit(f"the {engine} reminder benchmark failed ({failure})") from failure
        for row in result["rows"]:
            median_ms = row["median"] * 1000
            report.rows.append(
                [
                    result["database"],
                    f"{row['incidents']:,}",
                    f"{row['incidents'] * 5:,}",
                    f"{row['due']:,}",
                    f"{median_ms:.1f} ms" if median_ms >= 10 else f"{median_ms:.2f} ms",
                    f"{median_ms / row['due']:.2f} ms" if row["due"] else "",
                ]
            )
        idle = {row["incidents"]: row["median"] * 1000 for row in result["rows"] if row["due"] == 0}
        largest = max(idle)
        verdict = "met" if idle[largest] <= GOAL_IDLE_MS else "missed"
        smallest = min(idle)
        goals.append(
            f"Goal: with nothing due and {largest:,} open incidents, at most {GOAL_IDLE_MS} ms. "
            f"{engine}: {idle[largest]:.2f} ms ({smallest:,} incidents: {idle[smallest]:.2f} ms), {verdict}."
        )
        # Ten times the open incidents, the same reminders due: the time should stay (ratio near 1);
        # the same incidents, ten times the reminders due: it should grow about tenfold.
        medians = {(row["incidents"], row["due"]): row["median"] for row in result["rows"]}
        most_due = max(DUE)
        by_incidents = medians[(largest, most_due)] / medians[(smallest, most_due)]
        by_due = medians[(largest, most_due)] / medians[(largest, min(DUE))]
        goals.append(
            f"{engine}: with {most_due:,} due, {largest:,} open incidents take {by_incidents:.2f} times "
            f"the time of {smallest:,}; at {largest:,} incidents, {most_due:,} due take {by_due:.1f} times "
            f"the time of {min(DUE):,}. Goal: grows with the reminders due, not with the open incidents "
            f"(at most {GOAL_GROWTH_BY_INCIDENTS} times for ten times the incidents): "
            f"{'met' if by_incidents <= GOAL_GROWTH_BY_INCIDENTS else 'missed'}."
        )
        goals.append(f"{engine} finds the due reminders by: `{result['plan']}`.")
    report.goals.extend(goals)
    return report
