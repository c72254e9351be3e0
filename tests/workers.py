"""Real Celery workers for the tests that must see a task go through the broker."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from project.celery import app

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The test database, named so that a worker process connects to it rather than the real one."""
    database = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
        return (
            f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT'] or 5432}/"
            f"{database['NAME']}"
        )
    name = str(database["NAME"])
    return f"sqlite:///{name}"


@contextmanager
def celery_workers(
    mail_dir: Path,
    *,
    count: int = 1,
    env: dict[str, str] | None = None,
    processes: list[subprocess.Popen[str]] | None = None,
) -> Iterator[str]:
    """Start ``count`` `celery worker` processes on a queue of their own, so that no other worker
    takes the test's tasks, writing e-mail to files in ``mail_dir``; yields the queue's name.
    Worker ``n`` is named ``worker<n>-<queue>@host``; ``processes`` receives them, in that order.

    The test settings run tasks eagerly in-process; inside this block they really go through the
    configured broker, and every task queued without a queue of its own (by the test or by a
    worker) goes to the test's. Each worker's output is printed when it stops, for a failing
    test's report.
    """
    eager, default_queue = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    queue = f"test-{uuid.uuid4().hex[:12]}"
    app.conf.task_default_queue = queue
    environment = {
        **os.environ,
        "EMAIL_FILE_PATH": str(mail_dir),
        "EMAIL_HOST": "",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **(env or {}),
    }
    started = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "project",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "-n",
                f"worker{number}-{queue}@%h",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for number in range(count)
    ]
    if processes is not None:
        processes.extend(started)
    try:
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = eager, default_queue
        for process in started:
            if process.poll() is None:
                process.terminate()
        for process in started:
            output, _ = process.communicate(timeout=30)
            print(output)
