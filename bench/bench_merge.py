"""The mail merge: letters per second against docxtpl, 10,000 letters from CSV to stored zip, and
100,000 with the worker's memory."""

from __future__ import annotations

import subprocess

from bench.databases import ENGINES, DatabaseUnavailable
from bench.report import Report
from bench.worker import run_task

RECIPIENTS = 10_000
RUNS = 5
SIZES = (10_000, 30_000, 100_000)
GOAL_RATIO = 100
GOAL_SECONDS = 3.0
GOAL_RSS_MB = 500
LINEAR = 1.25  # the merge's own time per letter at the largest size, at most this times the smallest's


def run() -> Report:
    report = Report(
        title="The mail merge",
        description=(
            f"**Letters per second**: the approved Finnish data-subject notice made into a letter for "
            f"each of {RECIPIENTS:,} recipients (name and address block), by the merge "
            "(`LetterTemplate.letter`) and by docxtpl rendering the very same letter from a template "
            "with Jinja tags where the name and address go (`DocxTemplate.render` and `save`, the "
            "way its documentation merges letters), in one process, one after the other; each writes "
            "every letter to bytes in memory. A sample of both is reopened with python-docx and reads "
            "paragraph for paragraph the same. **CSV to stored zip**: `merge_create` with the "
            "recipients' CSV (semicolons, BOM, as Finnish Excel saves it) until the merge is done: "
            "the file checked, the job and its chunks of 500 recorded, every chunk's letter bodies "
            "written and stored, the zip put together (each body in its template's package) and "
            "stored through Django's storage API (the filesystem), the trail written. Celery runs "
            "its tasks in the same process, so that one process does all that one worker does; "
            f"one untimed run, then {RUNS} timed; median. "
            "**Memory and growth**: the same with each size in a fresh process (one untimed merge of "
            "a hundred first), whose peak resident memory (Django and the database driver included) "
            "is the figure. Beside the time, the processor's: the merge's own (user) and the kernel's "
            "(system), most of which is taking the zip into the page cache; at 100,000 letters the "
            "2 GB zip is more than the kernel lets wait for the disk at once, and it slows down."
        ),
        columns=["Measure", "Database", "Recipients", "Result", "Per letter", "Peak memory"],
    )
    try:
        compared = run_task(
            "SQLite",
            "merge-compare",
            {"recipients": RECIPIENTS, "docxtpl_letters": RECIPIENTS},
            timeout=3600,
            settings="project.settings",
        )
    except subprocess.CalledProcessError as failure:
        raise SystemExit(f"the merge comparison failed ({failure})") from failure
    ratio = compared["merge_rate"] / compared["docxtpl_rate"]
    for who, prefix in (("Breachclock merge", "merge"), ("docxtpl 0.20", "docxtpl")):
        report.rows.append(
            [
                f"{who}: letters per second",
                compared["database"],
                f"{compared[prefix + '_letters']:,}",
                f"{compared[prefix + '_rate']:,.0f} letters/s ({compared[prefix + '_seconds']:.2f} s)",
                f"{1000 / compared[prefix + '_rate']:.3f} ms",
                "",
            ]
        )
    if not compared["same_letter"]:
        raise SystemExit("the merge's and docxtpl's letters read differently: they are not the same letter")
    report.goals.append(
        f"Goal: at least {GOAL_RATIO} times docxtpl's letters per second. "
        f"{ratio:,.0f} times, {'met' if ratio >= GOAL_RATIO else 'missed'}."
    )
    for engine in ENGINES:
        print(f"  {engine}", flush=True)
        try:
            whole = run_task(
                engine,
                "merge-whole",
                {"recipients": RECIPIENTS, "runs": RUNS, "warmup": 1},
                timeout=1800,
                settings="project.settings",
            )
        except DatabaseUnavailable as reason:
            report.rows.append(["CSV to stored zip", engine, "not measured", str(reason), "", ""])
            continue
        except subprocess.CalledProcessError as failure:
            raise SystemExit(f"the {engine} merge benchmark failed ({failure})") from failure
        median = whole["median"]
        report.rows.append(
            [
                "CSV to stored zip, one worker",
                whole["database"],
                f"{RECIPIENTS:,}",
                f"{median:.2f} s median, {max(whole['timings']):.2f} s slowest; "
                f"{whole['zip_bytes'] / 1024**2:,.0f} MB zip",
                f"{median * 1000 / RECIPIENTS:.3f} ms",
                f"{whole['peak_rss_mb']:.0f} MB",
            ]
        )
        report.goals.append(
            f"Goal: {RECIPIENTS:,} letters from CSV to stored zip in at most {GOAL_SECONDS:.0f} s. "
            f"{whole['database']}: {median:.2f} s, {'met' if median <= GOAL_SECONDS else 'missed'}."
        )
        _sizes(report, engine)
    return report


def _sizes(report: Report, engine: str) -> None:
    """Each size merged once in a fresh process: the time per letter and the peak memory."""
    per_letter, own_per_letter = {}, {}
    for size in SIZES:
        print(f"  {engine}, {size:,} recipients", flush=True)
        result = run_task(
            engine,
            "merge-whole",
            {"recipients": size, "runs": 1, "warmup": 1},
            timeout=3600,
            settings="project.settings",
        )
        per_letter[size] = result["median"] / size
        own_per_letter[size] = result["user_median"] / size
        report.rows.append(
            [
                "Memory and growth, one worker",
                result["database"],
                f"{size:,}",
                f"{result['median']:.1f} s (processor: {result['user_median']:.1f} s the merge's own, "
                f"{result['system_median']:.1f} s the kernel's); {result['zip_bytes'] / 1024**3:,.2f} GB zip",
                f"{per_letter[size] * 1000:.3f} ms",
                f"{result['peak_rss_mb']:.0f} MB",
            ]
        )
        if size == SIZES[-1]:
            growth = per_letter[size] / per_letter[SIZES[0]]
            own = own_per_letter[size] / own_per_letter[SIZES[0]]
            peak = result["peak_rss_mb"]
            report.goals.append(
                f"Goal: {size:,} letters with the worker under {GOAL_RSS_MB} MB, in time linear in the "
                f"letters (the merge's own processor time per letter at most {LINEAR} times that at "
                f"{SIZES[0]:,}). {engine}: {peak:.0f} MB, {own:.2f} times; "
                f"{'met' if peak < GOAL_RSS_MB and own <= LINEAR else 'missed'}. The time per letter, "
                f"the kernel's included, is {growth:.2f} times that at {SIZES[0]:,}."
            )
