"""Celery tasks: thin wrappers that take plain values or ids and call one function."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from incidents.audit.checkpoint import audit_checkpoint_write
from incidents.clocks.reminders import reminders_send_due
from incidents.mail import email_send

__all__ = ["audit_checkpoint", "email_send", "reminders_scan"]


@shared_task
def audit_checkpoint() -> str:
    """Daily (beat): record the audit chain head outside the database."""
    return str(audit_checkpoint_write(now=timezone.now()).path)


@shared_task
def reminders_scan() -> int:
    """Every minute (beat): send the reminders that are due. Not retried: the next scan, a minute
    later, picks up whatever this one could not send; a second scan at once sends nothing twice."""
    return reminders_send_due(now=timezone.now()).sent
