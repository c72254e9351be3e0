"""The reminder e-mail, in the recipient's language.

Each language has its own pair of templates (templates/incidents/email/reminder_*.<language>.txt)
rather than one template with translated strings: the whole message reads as one text in each
language and can be reviewed as such.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from incidents.clock_display import local_moment
from incidents.models import Obligation, Reminder

TEMPLATE_LANGUAGES = ("en", "fi", "sv")


def _kind(threshold: str) -> str:
    """p50 / p75 / p90 as they are; "due" at the deadline; every "overdue-N" alike."""
    return "overdue" if threshold.startswith("overdue-") else threshold


def incident_path(incident_id: int) -> str:
    try:
        return reverse("incident_detail", args=[incident_id])
    except NoReverseMatch:
        return f"/incidents/{incident_id}/"


def reminder_context(
    obligation: Obligation, reminder: Reminder, *, language: str, now: datetime
) -> dict[str, Any]:
    assert obligation.due_at is not None
    incident, template = obligation.incident, obligation.template
    left = int((obligation.due_at - now).total_seconds())
    hours, seconds = divmod(abs(left), 3600)
    return {
        "reference": incident.reference,
        "title": incident.title,
        "regime": template.regime_label,
        "stage": template.stage_label,
        "recipient": obligation.recipient_detail or template.recipient_label,
        "law_reference": template.law_reference,
        "deadline": local_moment(obligation.due_at, language),
        "kind": _kind(reminder.threshold),
        "overdue": left <= 0,
        "hours": hours,
        "minutes": seconds // 60,
        "path": incident_path(incident.pk),
    }


def reminder_mail(
    obligation: Obligation, reminder: Reminder, *, language: str, now: datetime
) -> tuple[str, str]:
    """(subject, body) of the reminder, in ``language`` (the site's language if there is no text in it)."""
    if language not in TEMPLATE_LANGUAGES:
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = reminder_context(obligation, reminder, language=language, now=now)
        subject = render_to_string(f"incidents/email/reminder_subject.{language}.txt", context)
        body = render_to_string(f"incidents/email/reminder_body.{language}.txt", context)
    # A header is one line, however the template's lines fall.
    return " ".join(subject.split()), body.strip() + "\n"
