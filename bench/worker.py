"""Run one benchmark task against one database, in a process of its own.

Each engine gets a fresh database and a fresh interpreter: Django's settings, connections and
caches cannot leak from one measurement into the next. The parent (a ``bench_*.py`` module)
calls :func:`run_task`; the child runs ``python -m bench.worker TASK OUTPUT PARAMS`` and writes
its figures as JSON to OUTPUT.
"""

from __future__ import annotations

import importlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django
from django.core.management import call_command
from django.db import connection

from bench.databases import temporary_database

ROOT = Path(__file__).resolve().parent.parent


def run_task(
    engine: str, task: str, params: dict[str, Any], *, timeout: float, settings: str = "bench.settings"
) -> dict[str, Any]:
    """Migrate a fresh database of ``engine``, run ``task`` on it and return what it measured.

    ``settings``: a benchmark of the application alone runs under project.settings, without the
    yardstick apps (django-auditlog) that only the audit benchmarks install.
    Raises bench.databases.DatabaseUnavailable when the engine cannot be reached.
    """
    with (
        temporary_database(engine) as url,
        tempfile.TemporaryDirectory(prefix="breachclock-bench-var-") as var_dir,
    ):
        output = Path(var_dir) / "result.json"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": url,
            "BREACHCLOCK_VAR_DIR": var_dir,
            "BREACHCLOCK_ENV": "development",
            "DEBUG": "false",  # DEBUG keeps every query in memory, which would skew the timings
        }
        subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "bench.worker", task, str(output), json.dumps(params)],
            cwd=ROOT,
            env=environment,
            check=True,
            timeout=timeout,
        )
        result: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
        return result


# Each task's module is imported only when it runs: the audit ones import the benchmark app's
# models, which exist only under bench.settings, in the child process. "module:function" names a
# task other than the module's measure().
TASKS = {
    "audit-cost": "bench.audit_cost",
    "audit-verify": "bench.audit_chain",
    "dashboard": "bench.dashboard",
    "load": "bench.load",
    "merge-compare": "bench.merge:compare",
    "merge-whole": "bench.merge:whole",
    "notice": "bench.notice",
    "reminders": "bench.reminders",
}


def _task(name: str) -> Callable[..., dict[str, Any]]:
    module, _colon, function = TASKS[name].partition(":")
    measure: Callable[..., dict[str, Any]] = getattr(importlib.import_module(module), function or "measure")
    return measure


def _database_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (version,) = cursor.fetchone()
        return f"PostgreSQL {version.split()[0]}"
    return f"SQLite {sqlite3.sqlite_version}"


def main(argv: list[str]) -> int:
    task, output, params = argv
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    result = _task(task)(**json.loads(params))
    result["database"] = _database_version()
    Path(output).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
