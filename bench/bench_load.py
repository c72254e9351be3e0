"""Fifty people at once on the dashboard and the incident pages: gunicorn, PostgreSQL, 10,000 incidents."""

from __future__ import annotations

import os
import statistics
import subprocess
from collections import Counter
from typing import Any

from bench.databases import DatabaseUnavailable
from bench.report import Report
from bench.worker import run_task

INCIDENTS = 10_000
USERS = 50
SPAWN_RATE = 10  # people starting per second
THINK_SECONDS = (0.5, 2.0)  # between two pages of one person, uniformly
WARMUP_SECONDS = 15  # after everyone has signed in
DURATION_SECONDS = 60
WORKERS = 2 * (os.cpu_count() or 1) + 1  # gunicorn's advice for its sync workers
GOAL_MS = 500
# Page kinds as bench.load_users names its requests, in the table's order.
PAGES = {
    "dashboard": "`GET /` (dashboard)",
    "incident": "`GET /incidents/<id>/` (one incident)",
    "incident list": "`GET /incidents/` (all incidents, newest first)",
}


def run() -> Report:
    report = Report(
        title="Fifty people at once",
        description=(
            f"{USERS} simulated people (locust, headless) against the site served as in production: "
            f"gunicorn with {WORKERS} sync workers, `BREACHCLOCK_ENV=production`, DEBUG off, static files "
            f"by whitenoise, behind the TLS proxy (left out: requests carry its `X-Forwarded-Proto`). "
            f"A fresh, migrated PostgreSQL database holds {INCIDENTS:,} open incidents seeded as for the "
            "dashboard benchmark, and one account per person, security leads and DPOs in turn. Each "
            f"person starts ({SPAWN_RATE} a second), signs in through the login page (its CSRF token, "
            "a password check), then reads pages in a loop, thinking "
            f"{THINK_SECONDS[0]:g} to {THINK_SECONDS[1]:g} s between two: the dashboard, a random one of "
            "the incidents' pages and the incident list, in proportion 2 : 3 : 1. A request counts as "
            "failed unless it answers 200 (no redirect followed) with the whole page (the dashboard's 50 "
            f"rows, the list's 50). Timed: every request that ends in the {DURATION_SECONDS} s that "
            f"begin {WARMUP_SECONDS} s after the last person signed in, from locust's sending it to "
            "the last byte; locust runs on the same cores as the server and the database."
        ),
        columns=["Page", "Requests", "Failures", "Median", "95th percentile", "Slowest"],
    )
    print(f"  PostgreSQL, {USERS} people for {DURATION_SECONDS} s", flush=True)
    try:
        result = run_task(
            "PostgreSQL",
            "load",
            {
                "incidents": INCIDENTS,
                "users": USERS,
                "spawn_rate": SPAWN_RATE,
                "think_seconds": THINK_SECONDS,
                "warmup": WARMUP_SECONDS,
                "duration": DURATION_SECONDS,
                "workers": WORKERS,
            },
            timeout=900,
            settings="project.settings",
        )
    except DatabaseUnavailable as reason:
        report.rows.append(["not measured", str(reason), "", "", "", ""])
        return report
    except subprocess.CalledProcessError as failure:
        raise SystemExit(f"the load benchmark failed ({failure})") from failure
    requests = [(page, milliseconds, failure) for page, milliseconds, failure in result["requests"]]
    for page, label in PAGES.items():
        report.rows.append(_row(label, [request for request in requests if request[0] == page]))
    report.rows.append(_row("**All pages**", requests))
    _goals(report, result, requests)
    return report


def _row(label: str, requests: list[tuple[str, float, str | None]]) -> list[str]:
    times = sorted(milliseconds for _page, milliseconds, _failure in requests)
    if not times:
        return [label, "0", "", "", "", ""]
    failures = sum(1 for *_timing, failure in requests if failure)
    return [
        label,
        f"{len(times):,}",
        f"**{failures}**" if failures else "0",
        f"{statistics.median(times):.0f} ms",
        f"{_p95(times):.0f} ms",
        f"{times[-1]:.0f} ms",
    ]


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[94] if len(times) > 1 else times[0]


def _goals(report: Report, result: dict[str, Any], requests: list[tuple[str, float, str | None]]) -> None:
    failures = Counter(failure for *_timing, failure in requests if failure)
    failures.update(result["warmup_failures"])
    total = sum(failures.values())
    report.goals.append(
        f"{result['database']}; {result['signed_in']} of {USERS} people signed in; "
        f"{len(requests):,} requests in {result['seconds']:.0f} s, "
        f"{len(requests) / result['seconds']:.1f} a second."
    )
    report.goals.append(
        f"Goal: no request fails, the sign-ins and warm-up included. {total} failed, "
        f"{'met' if total == 0 else '**missed**'}."
    )
    report.goals.extend(f"Failed {count} times: {failure}" for failure, count in failures.most_common(5))
    if total:
        print(result["server_log_end"], flush=True)  # the server's side of the failures
    p95s = {
        page: _p95(times)
        for page in PAGES
        if (times := sorted(ms for kind, ms, _failure in requests if kind == page))
    }
    verdict = "met" if p95s and max(p95s.values()) <= GOAL_MS else "**missed**"
    shown = ", ".join(f"{page} {p95:.0f} ms" for page, p95 in p95s.items())
    report.goals.append(f"Goal: 95th percentile at most {GOAL_MS} ms on every page. {shown}: {verdict}.")
