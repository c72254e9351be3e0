"""Celery tasks: thin wrappers that take plain values or ids and call one function."""

from __future__ import annotations

from celery import Task, shared_task
from django.utils import timezone

from incidents.audit.checkpoint import audit_checkpoint_write
from incidents.clocks.reminders import reminders_send_due
from incidents.mail import email_send
from incidents.services import merges

__all__ = [
    "audit_checkpoint",
    "email_send",
    "merge_assemble",
    "merge_chunk",
    "merges_resume",
    "reminders_scan",
]


@shared_task
def audit_checkpoint() -> str:
    """Daily (beat): record the audit chain head outside the database."""
    return str(audit_checkpoint_write(now=timezone.now()).path)


@shared_task
def reminders_scan() -> int:
    """Every minute (beat): send the reminders that are due. Not retried: the next scan, a minute
    later, picks up whatever this one could not send; a second scan at once sends nothing twice."""
    return reminders_send_due(now=timezone.now()).sent


@shared_task(bind=True)
def merge_chunk(self: Task, chunk_id: int) -> bool:
    """One chunk of a mail merge's letters. Not retried: a chunk that fails or whose worker dies
    is queued again by merges_resume once its lease runs out."""
    return merges.merge_chunk_write(
        chunk_id=chunk_id, worker=self.request.hostname or "local", now=timezone.now()
    )


@shared_task
def merge_assemble(merge_id: int) -> bool:
    """The letters of a merge whose chunks are all written, put together and stored."""
    return merges.merge_assemble(merge_id=merge_id, now=timezone.now())


@shared_task
def merges_resume() -> int:
    """Every minute (beat): chunks whose worker died, and merges left unfinished, queued again."""
    resumed = merges.merges_resume(now=timezone.now())
    return resumed.chunks + resumed.assemblies
