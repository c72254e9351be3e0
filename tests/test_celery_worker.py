"""A real Celery worker, started as its own process against the configured broker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from celery.result import EagerResult
from django.conf import settings

from incidents.mail import email_send
from project.celery import app
from tests.workers import celery_workers


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """One `celery worker` process against the configured broker."""
    mail_dir = tmp_path / "mail"
    with celery_workers(mail_dir) as queue:
        yield queue, mail_dir


@pytest.mark.worker
def test_a_worker_on_the_configured_broker_sends_the_mail_it_is_given(worker: tuple[str, Path]) -> None:
    queue, mail_dir = worker
    result = email_send.apply_async(
        kwargs={
            "recipients": ["dpo@breachclock.example"],
            "subject": "Worker check",
            "body": "The worker sent this.",
        },
        queue=queue,
    )
    assert not isinstance(result, EagerResult), "the task ran in the test process, not in the worker"
    assert result.get(timeout=60) == 1
    messages = list(mail_dir.glob("*.log"))
    assert len(messages) == 1
    text = messages[0].read_text()
    assert "Subject: Worker check" in text
    assert "To: dpo@breachclock.example" in text
    assert "The worker sent this." in text


def test_time_limits_come_from_settings() -> None:
    assert app.conf.task_time_limit == settings.CELERY_TASK_TIME_LIMIT
    assert app.conf.task_soft_time_limit == settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
