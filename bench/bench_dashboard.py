"""The dashboard with 10,000 open incidents: how long GET / takes for a signed-in DPO, per database."""

from __future__ import annotations

import subprocess

from bench.databases import ENGINES, DatabaseUnavailable
from bench.report import Report
from bench.worker import run_task

INCIDENTS = 10_000
REQUESTS = 30
WARMUP = 3
GOAL_MS = 150


def run() -> Report:
    report = Report(
        title="The dashboard with 10,000 open incidents",
        description=(
            f"`GET /` for a signed-in DPO with {INCIDENTS:,} open incidents: four in five confirmed, each "
            "with its Art. 33 obligation (pending or missed), one in five still provisional, deadlines "
            "spread over a week. The page shows the nearest 50, ordered by `next_due_at`, with their "
            "countdowns. The incidents are bulk-created with the fields the services keep. Each database "
            f"is fresh and migrated, in a process of its own, under the project's settings with DEBUG off; "
            f"{WARMUP} untimed requests, then {REQUESTS} timed ones with Django's test Client (the whole "
            "request: middleware, session, queries, template); median."
        ),
        columns=["Database", "Incidents", "Obligations", "Requests timed", "Median", "Slowest"],
    )
    medians = []
    for engine in ENGINES:
        print(f"  {engine}", flush=True)
        try:
            result = run_task(
                engine,
                "dashboard",
                {"incidents": INCIDENTS, "requests": REQUESTS, "warmup": WARMUP},
                timeout=900,
                settings="project.settings",
            )
        except DatabaseUnavailable as reason:
            report.rows.append([engine, "not measured", str(reason), "", "", ""])
            continue
        except subprocess.CalledProcessError as failure:
            raise SystemExit(f"the {engine} dashboard benchmark failed ({failure})") from failure
        medians.append((engine, result["median"] * 1000))
        report.rows.append(
            [
                result["database"],
                f"{result['incidents']:,}",
                f"{result['obligations']:,}",
                str(len(result["timings"])),
                f"{result['median'] * 1000:.1f} ms",
                f"{max(result['timings']) * 1000:.1f} ms",
            ]
        )
    for engine, median in medians:
        verdict = "met" if median <= GOAL_MS else "missed"
        report.goals.append(f"Goal: median at most {GOAL_MS} ms. {engine}: {median:.1f} ms, {verdict}.")
    return report
