"""How a deadline reads on a page: local time with its offset, a countdown, and an urgency band.

static/js/countdown.js computes the same text and band in the browser every second; the page is
rendered with the server's version first, so it reads correctly before (or without) JavaScript.
Keep the two in step.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The colour bands of a clock, nearest first: (code, less than this much left, legend).
URGENCY_BANDS: tuple[tuple[str, timedelta | None, StrOrPromise], ...] = (
    ("overdue", timedelta(0), gettext_lazy("overdue")),
    ("within-12h", timedelta(hours=12), gettext_lazy("less than 12 hours left")),
    ("within-24h", timedelta(hours=24), gettext_lazy("less than 24 hours left")),
    ("later", None, gettext_lazy("24 hours or more left")),
)


def urgency(due_at: datetime, now: datetime) -> str:
    """The band of URGENCY_BANDS the clock is in now."""
    left = due_at - now
    if left <= timedelta(0):
        return "overdue"
    for code, limit, _label in URGENCY_BANDS[1:]:
        if limit is None or left < limit:
            return code
    return "later"


def _overdue_words(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(f"{days} {_('d')}")
    if days or hours:
        parts.append(f"{hours} {_('h')}")
    parts.append(f"{minutes} {_('min')}")
    return " ".join(parts)


def countdown_text(due_at: datetime, now: datetime) -> str:
    """'2 d 03:14:05 left' while running; 'overdue by 1 h 20 min' once past."""
    seconds = int((due_at - now).total_seconds())
    if seconds <= 0:
        return _("overdue by %(time)s") % {"time": _overdue_words(-seconds)}
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    if days:
        clock = f"{days} {_('d')} {clock}"
    return _("%(time)s left") % {"time": clock}


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def local_moment(value: datetime | None, language: str | None = None) -> str:
    """A moment on the organisation's clock, named with its offset so that it is never ambiguous
    (design, "Clocks"): fi '30.3.2026 klo 11.00 (UTC+03:00)', sv '30.3.2026 kl. 11.00 (UTC+03:00)',
    en '30 March 2026, 11:00 (UTC+03:00)'.

    The text before the offset is MOMENT_FORMAT of the language's format module (project/formats/),
    the one definition that pages, e-mails and notices share. A regional variant ('fi-fi') reads as
    its language; a language the site does not speak reads as English, because Django would
    otherwise return the name 'MOMENT_FORMAT' itself as the format for it."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(settings.TIME_ZONE))
    language = (language or translation.get_language() or "en").split("-")[0]
    if language not in dict(settings.LANGUAGES):
        language = "en"
    # Under the language, so that Django picks its format module and names the month in it.
    with translation.override(language):
        shown = formats.date_format(local, "MOMENT_FORMAT")
    return f"{shown} ({_offset(local)})"
