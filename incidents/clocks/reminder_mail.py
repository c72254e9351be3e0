"""The reminder e-mail, in the recipient's language.

Each language has its own pair of templates (templates/incidents/email/reminder_*.<language>.txt)
rather than one template with translated strings: the whole message reads as one text in each
language and can be reviewed as such.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation

from incidents.clocks.display import local_moment
from incidents.mail import email_queue
from incidents.models import Obligation, Profile, Reminder

TEMPLATE_LANGUAGES = ("en", "fi", "sv")

# Only Art. 33(1) GDPR itself requires a notification made after its 72 hours to be accompanied by
# the reasons for the delay; NIS2 and DORA set deadlines without such a rule, and their overdue
# reminders just say the deadline has passed.
REASONS_FOR_DELAY_REQUIRED = frozenset({"gdpr-33-1"})


def _kind(threshold: str) -> str:
    """p50 / p75 / p90 as they are; "due" at the deadline; every "overdue-N" alike."""
    return "overdue" if threshold.startswith("overdue-") else threshold


def incident_path(incident_id: int) -> str:
    try:
        return reverse("incident_detail", args=[incident_id])
    except NoReverseMatch:
        return f"/incidents/{incident_id}/"


def incident_link(incident_id: int) -> str:
    """The incident's page as an absolute address, for a reader who opens it from an e-mail.

    The path is taken relative to the script prefix, because PUBLIC_BASE_URL already names where
    the site's root is served (its sub-path included): a prefix set by FORCE_SCRIPT_NAME, or by
    the request a mail happens to be written in, must not appear twice.
    """
    return site_link(incident_path(incident_id))


def site_link(path: str) -> str:
    """A page of the site (``path`` as reverse() gives it) as an absolute address, as above."""
    relative = path.removeprefix(get_script_prefix()).lstrip("/")
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/{relative}"


def reminder_context(
    obligation: Obligation, reminder: Reminder, *, language: str, now: datetime
) -> dict[str, Any]:
    assert obligation.due_at is not None
    incident, template = obligation.incident, obligation.template
    return {
        "reference": incident.reference,
        "title": incident.title,
        "regime": template.regime_label,
        "stage": template.stage_label,
        "recipient": obligation.recipient_detail or template.recipient_label,
        # In the reader's language: reminder_mail renders inside translation.override.
        "provision": template.law_reference_label,
        "reasons_for_delay_required": template.code in REASONS_FOR_DELAY_REQUIRED,
        "deadline": local_moment(obligation.due_at, language),
        "kind": _kind(reminder.threshold),
        **time_left(obligation.due_at, now),
        "link": incident_link(incident.pk),
    }


def time_left(due_at: datetime, now: datetime) -> dict[str, Any]:
    """Hours and minutes to the deadline, or past it (``overdue``), as the e-mails write them."""
    left = int((due_at - now).total_seconds())
    hours, seconds = divmod(abs(left), 3600)
    return {"overdue": left <= 0, "hours": hours, "minutes": seconds // 60}


def reminder_mail(
    obligation: Obligation, reminder: Reminder, *, language: str, now: datetime
) -> tuple[str, str]:
    """(subject, body) of the reminder, in ``language`` (the site's language if there is no text in it)."""
    return mail_render(
        "reminder",
        lambda language: reminder_context(obligation, reminder, language=language, now=now),
        language=language,
    )


def mail_queue(readers: Iterable[Any], write: Callable[[str], tuple[str, str]]) -> None:
    """Queue, for when the transaction commits, one e-mail per language to the ``readers`` who read
    it; ``write(language)`` gives its (subject, body)."""
    by_language: dict[str, list[str]] = defaultdict(list)
    for user in readers:
        by_language[Profile.language_of(user)].append(user.email)
    for language, addresses in sorted(by_language.items()):
        subject, body = write(language)
        transaction.on_commit(partial(email_queue, recipients=sorted(addresses), subject=subject, body=body))


def mail_render(name: str, context: Callable[[str], dict[str, Any]], *, language: str) -> tuple[str, str]:
    """(subject, body) of the e-mail ``name`` (templates/incidents/email/<name>_*.<language>.txt),
    its context made inside the language so that its words are in it too."""
    if language not in TEMPLATE_LANGUAGES:
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        values = context(language)
        subject = render_to_string(f"incidents/email/{name}_subject.{language}.txt", values)
        body = render_to_string(f"incidents/email/{name}_body.{language}.txt", values)
    # A header is one line, however the template's lines fall.
    return " ".join(subject.split()), body.strip() + "\n"
