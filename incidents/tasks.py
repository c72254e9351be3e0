"""Celery tasks: thin wrappers that take plain values or ids and call one function."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send(*, recipients: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail; a mail server that is briefly away is retried with backoff."""
    return send_mail(subject, body, None, recipients)


@shared_task
def audit_checkpoint() -> str:
    """Daily (beat): record the audit chain head outside the database."""
    from django.utils import timezone

    from incidents.audit.checkpoint import audit_checkpoint_write

    return str(audit_checkpoint_write(now=timezone.now()).path)


@shared_task
def reminders_scan() -> int:
    """Every minute (beat): send the reminders that are due. Not retried: the next scan, a minute
    later, picks up whatever this one could not send; a second scan at once sends nothing twice."""
    from django.utils import timezone

    from incidents.reminders import reminders_send_due

    return reminders_send_due(now=timezone.now()).sent
