"""Generating and storing one authority notice (.docx), per database."""

from __future__ import annotations

import subprocess

from bench.databases import ENGINES, DatabaseUnavailable
from bench.report import Report
from bench.worker import run_task

RUNS = 30
WARMUP = 3
GOAL_MS = 100


def run() -> Report:
    report = Report(
        title="Generating and storing one authority notice",
        description=(
            "`notice_generate` for a Finnish notice to the supervisory authority of an incident with one "
            "register of four data items, an ENISA assessment and an organisation: the content built from "
            "the incident, the Word document written by python-docx and made deterministic, its SHA-256, "
            "the file stored through Django's storage API (the filesystem) and the event in the audit "
            f"trail. Each run changes one free-text section first (untimed), so each stores a new file; "
            f"{WARMUP} untimed runs, then {RUNS} timed ones; median."
        ),
        columns=["Database", "Runs timed", "Files stored", "Document size", "Median", "Slowest"],
    )
    medians = []
    for engine in ENGINES:
        print(f"  {engine}", flush=True)
        try:
            result = run_task(
                engine, "notice", {"runs": RUNS, "warmup": WARMUP}, timeout=600, settings="project.settings"
            )
        except DatabaseUnavailable as reason:
            report.rows.append([engine, "not measured", str(reason), "", "", ""])
            continue
        except subprocess.CalledProcessError as failure:
            raise SystemExit(f"the {engine} notice benchmark failed ({failure})") from failure
        medians.append((engine, result["median"] * 1000))
        report.rows.append(
            [
                result["database"],
                str(len(result["timings"])),
                str(result["files"]),
                f"{result['bytes'] / 1024:.1f} kB",
                f"{result['median'] * 1000:.1f} ms",
                f"{max(result['timings']) * 1000:.1f} ms",
            ]
        )
    for engine, median in medians:
        verdict = "met" if median <= GOAL_MS else "missed"
        report.goals.append(f"Goal: median at most {GOAL_MS} ms. {engine}: {median:.1f} ms, {verdict}.")
    return report
