"""Time on the wire: instants in UTC, and deadlines also on the organisation's wall clock."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.moments import OUT_OF_RANGE, moment_in_range
from incidents.numbers import ID_MAX, NUMBER_MAX

__all__ = ["ID_MAX", "NUMBER_MAX", "IdRelatedField", "UtcDateTimeField"]


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by its id; an id the database cannot hold is no such object."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data <= ID_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class UtcDateTimeField(serializers.DateTimeField):
    """ISO-8601 with an offset in, UTC ("...Z") out.

    A time without an offset is refused rather than guessed: a SIEM in another zone would
    otherwise move the start of a legal clock by hours without anyone noticing.
    """

    default_error_messages = {
        "invalid": _("Give an ISO-8601 time such as 2026-03-27T10:05:00+02:00 or 2026-03-27T08:05:00Z."),
        "naive": _("Give the time with its UTC offset (+02:00) or Z; a time without one is ambiguous."),
        "range": OUT_OF_RANGE,
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(default_timezone=dt.UTC, **kwargs)

    def to_internal_value(self, value: Any) -> dt.datetime:
        if not isinstance(value, str):
            self.fail("invalid")
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:  # well-formed but impossible, such as 2026-02-30
            parsed = None
        if parsed is None:
            self.fail("invalid")
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self.fail("naive")
        if not moment_in_range(parsed):
            self.fail("range")
        return parsed.astimezone(dt.UTC)


def utc_iso(moment: dt.datetime) -> str:
    text = moment.astimezone(dt.UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def deadline(due_at: dt.datetime | None, *, now: dt.datetime, open_: bool, provisional: bool) -> dict | None:
    """A deadline as a client shows it: the instant, the local wall-clock time with its offset
    (DST included), and whether it has passed or is only provisional."""
    if due_at is None:
        return None
    zone = ZoneInfo(settings.TIME_ZONE)
    return {
        "utc": utc_iso(due_at),
        "local": due_at.astimezone(zone).isoformat(),
        "time_zone": settings.TIME_ZONE,
        "overdue": open_ and due_at <= now,
        "provisional": provisional,
    }


class DeadlineSerializer(serializers.Serializer):
    """Schema of :func:`deadline` (documentation only)."""

    utc = serializers.DateTimeField(help_text="The deadline in UTC.")
    local = serializers.CharField(help_text="The same instant on the organisation's clock, with its offset.")
    time_zone = serializers.CharField(help_text="The organisation's time zone (settings TIME_ZONE).")
    overdue = serializers.BooleanField(help_text="The deadline has passed and the clock is still open.")
    provisional = serializers.BooleanField(
        help_text="Counted from detection because the breach is not confirmed yet (the worst case)."
    )


deadline_field = extend_schema_field(DeadlineSerializer(allow_null=True))
