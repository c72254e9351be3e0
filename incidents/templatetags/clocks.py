"""Template helpers for deadlines: local time with its offset, and live countdowns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import template

from incidents.clocks.display import URGENCY_BANDS, countdown_text, local_moment, urgency

register = template.Library()


@register.filter(name="local_moment")
def local_moment_filter(value: datetime | None) -> str:
    return local_moment(value)


@register.simple_tag
def urgency_class(due_at: datetime | None, now: datetime) -> str:
    """The urgency band as a class, for the row or card a countdown stands in (the script keeps it
    up to date; this is what a page without JavaScript shows)."""
    return f"urgency-{urgency(due_at, now)}" if due_at is not None else ""


@register.inclusion_tag("incidents/_countdown.html")
def countdown(due_at: datetime | None, now: datetime) -> dict[str, Any]:
    """A <time> that static/js/countdown.js keeps counting; rendered right on the server first."""
    if due_at is None:
        return {"due_at": None}
    return {
        "due_at": due_at,
        # Whole seconds, "Z": the ISO form every browser's Date.parse reads.
        "utc": due_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "text": countdown_text(due_at, now),
        "urgency": urgency(due_at, now),
    }


@register.inclusion_tag("incidents/_countdown_words.html")
def countdown_words() -> dict[str, Any]:
    """The words countdown.js uses, in the page's language, and the legend of the colours."""
    return {"bands": [(code, label) for code, _limit, label in URGENCY_BANDS]}
