"""A mail merge across two real Celery workers, one of them killed in the middle of a chunk: every
letter is in the result exactly once, the redone chunk's letters are the same bytes, and the job's
state and progress are right at every moment it is read."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from incidents.models import Merge, MergeChunk
from incidents.notices.letters import LetterTemplate
from incidents.notices.recipients import Recipient
from incidents.services import merges as service
from tests.merge_support import approved, breach, many, zip_letters
from tests.workers import celery_workers, database_url

RECIPIENTS = 25_000
CHUNK = 5_000  # a fifth of a second or more: five chances to catch a worker in the middle of one
WAIT = 120.0


def _until(condition: object, what: str) -> None:
    """Poll the database until ``condition()`` holds: the workers are other processes."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.005)
    raise AssertionError(f"gave up waiting for {what}")


def _freeze_mid_chunk(
    workers: list[subprocess.Popen[str]], observe: Callable[[], Merge]
) -> tuple[MergeChunk, int]:
    """A chunk still running once the worker holding it is stopped (SIGSTOP), and that worker."""
    running = MergeChunk.objects.filter(state="running").order_by("number")
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        observe()
        chunk = running.first()
        if chunk is None:
            time.sleep(0.002)
            continue
        index = int(chunk.claimed_by.removeprefix("worker")[0])
        os.kill(workers[index].pid, signal.SIGSTOP)
        chunk.refresh_from_db()
        if chunk.state == "running" and chunk.claimed_by.startswith(f"worker{index}-"):
            return chunk, index
        os.kill(workers[index].pid, signal.SIGCONT)
    raise AssertionError("gave up waiting for a worker in the middle of a chunk")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_chunk_loses_and_doubles_no_letter(tmp_path: Path, lead: User, dpo: User) -> None:
    incident = breach(lead, dpo)
    notice = approved(incident, lead, dpo, "fi")
    workers: list[subprocess.Popen[str]] = []
    seen: list[tuple[str, int]] = []

    def observe() -> Merge:
        merge = Merge.objects.get()
        seen.append((merge.state, merge.letters_done))
        return merge

    with (
        override_settings(MERGE_CHUNK_LETTERS=CHUNK),
        celery_workers(tmp_path / "mail", count=2, env={"DATABASE_URL": database_url()}, processes=workers),
    ):
        service.merge_create(
            notice_id=notice.pk,
            actor=lead,
            file=io.BytesIO(many(RECIPIENTS)),
            filename="asiakkaat.csv",
            output="zip",
            now=timezone.now(),
        )
        # Kill a worker in the middle of a chunk: freeze the first seen holding one, and kill it if
        # the chunk is still unfinished (a frozen worker cannot finish it); if it finished in the
        # moment between seeing and freezing, let the worker go on and catch the next.
        killed, index = _freeze_mid_chunk(workers, observe)
        os.kill(workers[index].pid, signal.SIGKILL)
        workers[index].wait(timeout=30)
        killed.refresh_from_db()
        assert killed.state == "running"
        # The other worker writes every other chunk; the killed one waits for its lease to run out.
        others = MergeChunk.objects.exclude(pk=killed.pk).exclude(state="done")
        _until(lambda: observe() and not others.exists(), "the other worker to write the other chunks")
        assert observe().state == "running"
        resumed = service.merges_resume(now=timezone.now() + service.LEASE + service.LEASE / 10)
        assert resumed.chunks == 1
        _until(lambda: observe().state == "done", "the merge to finish")

    merge = Merge.objects.get()
    assert (merge.letters_done, merge.total) == (RECIPIENTS, RECIPIENTS)
    killed.refresh_from_db()
    assert killed.attempts == 2 and killed.claimed_by.startswith(f"worker{1 - index}-")
    # What every reader of the job saw: progress never went back or past the total, and "done"
    # only with every letter written.
    done = [letters for _state, letters in seen]
    assert done == sorted(done) and max(done) == RECIPIENTS
    assert all(letters == RECIPIENTS for state, letters in seen if state == "done")
    assert {state for state, _letters in seen} <= {"queued", "running", "done"}

    with merge.result.open("rb") as handle:
        letters = zip_letters(handle.read())
    rows = [int(name.split("-", 1)[0]) for name in letters]
    assert rows == list(range(2, RECIPIENTS + 2))  # each row once, in order
    # The redone chunk's letters are the bytes its recipients always give.
    stored = notice.files.get(sha256=notice.approved_sha256)
    with stored.file.open("rb") as handle:
        template = LetterTemplate(handle.read(), language="fi", sha256=notice.approved_sha256)
    for entry in killed.recipients[:: CHUNK // 10]:
        letter = template.letter(Recipient.from_dict(entry))
        assert letters[letter.filename] == letter.data
    # Nothing half-written is left behind.
    _dirs, names = merge.result.storage.listdir(f"merges/{merge.pk}")
    assert [name for name in names if name.startswith("chunk-")] == []
