"""Celery tasks: thin wrappers that take plain values or ids and call one function."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send(*, recipients: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail; a mail server that is briefly away is retried with backoff."""
    return send_mail(subject, body, None, recipients)
