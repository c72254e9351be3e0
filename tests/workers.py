"""Real Celery workers for the tests that must see a task go through the broker."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from project.celery import app

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def celery_workers(mail_dir: Path, *, count: int = 1, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``count`` `celery worker` processes on a queue of their own, so that no other worker
    takes the test's tasks, writing e-mail to files in ``mail_dir``; yields the queue's name.

    The test settings run tasks eagerly in-process; inside this block they really go through the
    configured broker. Each worker's output is printed when it stops, for a failing test's report.
    """
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    queue = f"test-{uuid.uuid4().hex[:12]}"
    environment = {**os.environ, "EMAIL_FILE_PATH": str(mail_dir), "EMAIL_HOST": "", **(env or {})}
    processes = [
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
    try:
        yield queue
    finally:
        app.conf.task_always_eager = eager
        for process in processes:
            process.terminate()
        for process in processes:
            output, _ = process.communicate(timeout=30)
            print(output)
