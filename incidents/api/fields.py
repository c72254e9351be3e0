"""Time on the wire: instants in UTC, and deadlines also on the organisation's wall clock."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.moments import OUT_OF_RANGE, moment_in_range
from incidents.numbers import ID_MAX, NUMBER_MAX

# The years a breach can have (moments.moment_in_range), as the schema can say it of a date-time.
MOMENT_PATTERN = (
    r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,6})?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"
)

__all__ = ["ID_MAX", "NUMBER_MAX", "AnswerSerializer", "IdRelatedField", "UtcDateTimeField"]


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object by its id; an id the database cannot hold is no such object."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool) and not 0 < data <= ID_MAX:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "date-time", "pattern": MOMENT_PATTERN})
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


class BlankChoiceAsNull(serializers.ChoiceField):
    """A choice the row may not have made yet (stored as ""), answered as null: "" is in no enum."""

    def to_representation(self, value: Any) -> Any:
        return None if value == "" else super().to_representation(value)


def _model_field(model: type[models.Model], source: str) -> tuple[models.Field | None, bool]:
    """The model field a dotted ``source`` reads, and whether a relation on the way may be NULL
    (then the answer may be null whatever the field is); (None, ...) for a method or property."""
    field: Any = None
    through_null = False
    for part in source.split("."):
        if field is not None:
            if not field.is_relation or field.related_model is None:
                return None, through_null
            through_null = through_null or bool(field.null)
            model = field.related_model
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None, through_null
        if not field.concrete:  # a reverse relation or many-to-many: a list, never null
            return None, through_null
    return field, through_null


def _made_with(field: serializers.Field) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The arguments ``field`` was made with (DRF keeps them to copy a field), to make another."""
    return field._args, field._kwargs  # type: ignore[attr-defined]


class AnswerSerializer(serializers.ModelSerializer):
    """A row as the API answers it, described truthfully by the schema: a read-only field the
    database may leave NULL (or reaches through a relation that may be NULL) is nullable, and a
    choice that may be left blank is answered as null rather than "" (which its enum does not hold),
    and an e-mail address that may be left blank is text, not format "email".
    The fields are whatever the subclass declares or Meta names; nothing is added or dropped."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        model = self.Meta.model
        for name, field in list(fields.items()):
            if not field.read_only or isinstance(field, serializers.SerializerMethodField):
                continue
            model_field, through_null = _model_field(model, str(field.source or name))
            if model_field is None:
                continue
            if model_field.null or through_null:
                field.allow_null = True
            if model_field.choices and model_field.blank and type(field) is serializers.ChoiceField:
                args, kwargs = _made_with(field)
                fields[name] = BlankChoiceAsNull(*args, **{**kwargs, "allow_null": True})
            elif model_field.blank and isinstance(field, serializers.EmailField):
                # "" until one is recorded, which is no e-mail address: plain text in the schema.
                args, kwargs = _made_with(field)
                fields[name] = serializers.CharField(*args, **kwargs)
        return fields
