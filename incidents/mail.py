"""Sending e-mail: the one Celery task every message goes out through.

A leaf: it imports nothing of the application, so the reminders and the audit checkpoint can queue
mail without importing the tasks that call them.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.mail import send_mail
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


# Named as it was when it lived in incidents.tasks, so that messages already queued still run.
@shared_task(name="incidents.tasks.email_send", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_send(*, recipients: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail; a mail server that is briefly away is retried with backoff."""
    return send_mail(subject, body, None, recipients)


def email_queue(*, recipients: list[str], subject: str, body: str) -> None:
    """Queue one e-mail for a worker; with the broker away, send it from this process instead, so
    that a reminder marked sent or a decision recorded never loses its message (nor fails the act
    that wrote it, after its commit)."""
    try:
        email_send.delay(recipients=recipients, subject=subject, body=body)
        return
    except OperationalError as error:
        logger.warning("The broker did not take an e-mail (%s); sending it from this process.", error)
    try:
        email_send(recipients=recipients, subject=subject, body=body)
    except OSError as error:
        logger.error("An e-mail to %s could not be sent either (%s).", ", ".join(recipients), error)
