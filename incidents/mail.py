"""Sending e-mail: the one Celery task every message goes out through.

A leaf: it imports nothing of the application, so the reminders and the audit checkpoint can queue
mail without importing the tasks that call them.
"""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail


# Named as it was when it lived in incidents.tasks, so that messages already queued still run.
@shared_task(name="incidents.tasks.email_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send(*, recipients: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail; a mail server that is briefly away is retried with backoff."""
    return send_mail(subject, body, None, recipients)
