"""Importing a very long privacy statement: the sections split and the statement parsed, at three
lengths, to show the time grows with the lines and no faster."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import Report
from incidents.importer.parsing import sections_split
from incidents.importer.statement import statement_parse

SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seeds"
SIZES = (10_000, 30_000, 100_000)
RUNS = 5
GOAL_SECONDS = 2.0


def _statement(lines: int) -> str:
    """The first seed statement, its data-content section grown with lines of prose to ``lines``."""
    seed = sorted(SEED.iterdir())[0].read_text(encoding="utf-8").split("\n")
    extra = [f"Asiakkaan tiedot ja muut merkinnät, rivi {number}." for number in range(lines - len(seed))]
    return "\n".join(seed + extra)


def _median(function: Callable[[str], object], text: str) -> float:
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        function(text)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def run() -> Report:
    report = Report(
        title="Importing a very long statement",
        description=(
            "The first seed statement with lines of prose added until it has 10,000, 30,000 and "
            f"100,000 lines: `sections_split` alone and `statement_parse` (sections, fields, data "
            f"items, warnings) in this process, {RUNS} runs each; median. The database is not touched."
        ),
        columns=["Lines", "sections_split", "statement_parse", "Per 10,000 lines (parse)"],
    )
    parsed = {}
    for lines in SIZES:
        text = _statement(lines)
        split = _median(sections_split, text)
        parsed[lines] = _median(lambda text: statement_parse(source="statement.txt", text=text), text)
        report.rows.append(
            [
                f"{lines:,}",
                f"{split * 1000:.0f} ms",
                f"{parsed[lines] * 1000:.0f} ms",
                f"{parsed[lines] / lines * 10_000 * 1000:.0f} ms",
            ]
        )
    largest = parsed[SIZES[-1]]
    growth = (largest / SIZES[-1]) / (parsed[SIZES[0]] / SIZES[0])
    report.goals.append(
        f"Goal: a {SIZES[-1]:,}-line statement parsed in under {GOAL_SECONDS:.0f} s. {largest:.2f} s, "
        f"{'met' if largest < GOAL_SECONDS else 'missed'}; per line {growth:.2f} times the time at "
        f"{SIZES[0]:,} lines."
    )
    return report
