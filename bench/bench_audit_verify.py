"""Verification throughput: chain_verify over a trail of a million events, per database."""

from __future__ import annotations

import statistics
import subprocess

from bench.databases import ENGINES, DatabaseUnavailable
from bench.report import Report
from bench.worker import run_task

EVENTS = 1_000_000
REPETITIONS = 3
GOAL_EVENTS_PER_SECOND = 100_000


def run() -> Report:
    report = Report(
        title="Verifying the audit trail",
        description=(
            f"`incidents.audit.verify.chain_verify()` (what `manage.py verify_audit` runs) over a trail of "
            f"{EVENTS:,} genuine events: every row read from the database, its hash recomputed from its "
            "canonical JSON and its link to the previous one checked. The trail is written beforehand "
            "in batches with hashes from `incidents.audit.canonical` (the functions `audit_record` "
            "uses), with varied actors, actions, addresses, non-ASCII text and times (on PostgreSQL "
            "followed by the VACUUM ANALYZE autovacuum would run). Each database "
            f"is fresh, in a process of its own; {REPETITIONS} verifications one after another, "
            "median time."
        ),
        columns=["Database", "Events", "Writing the trail", "Verifying, median", "Events per second"],
    )
    for engine in ENGINES:
        print(f"  {engine}", flush=True)
        try:
            result = run_task(
                engine, "audit-verify", {"events": EVENTS, "repetitions": REPETITIONS}, timeout=900
            )
        except DatabaseUnavailable as reason:
            report.rows.append([engine, "not measured", str(reason), "", ""])
            continue
        except subprocess.CalledProcessError as failure:
            raise SystemExit(f"the {engine} verification benchmark failed ({failure})") from failure
        seconds = statistics.median(result["timings"])
        rate = result["events"] / seconds
        report.rows.append(
            [
                result["database"],
                f"{result['events']:,}",
                f"{result['generation_seconds']:.1f} s",
                f"{seconds:.2f} s",
                f"{rate:,.0f}",
            ]
        )
        verdict = "met" if rate >= GOAL_EVENTS_PER_SECOND else "missed"
        report.goals.append(
            f"Goal: at least {GOAL_EVENTS_PER_SECOND:,} events per second. {engine}: {rate:,.0f}, {verdict}."
        )
    return report
