"""What the API accepts: each write's inputs and the list filters, checked before any service runs."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents.api.fields import ID_MAX, NUMBER_MAX, IdRelatedField, UtcDateTimeField
from incidents.api.pagination import MAX_PAGE_SIZE, PAGE_SIZE
from incidents.lifecycle.steps import STEPS, InputKind
from incidents.lifecycle.steps import StepInput as StepSpec
from incidents.models import (
    CauseIntent,
    CauseOrigin,
    IncidentState,
    ObligationStatus,
    Organisation,
)


def _json_type_problem(field: serializers.Field, value: Any) -> Any:
    """What is wrong with the JSON type of ``value`` for ``field``: None, a message, or for a list
    or object the messages by index or key (so the error names "registers.0"). DRF would turn 5
    into "5", "1" into 1 and 0 into false; a client that sends the wrong type has a bug, and the
    schema promises a type, so the value is refused instead."""
    if value is None:
        return None  # allow_null decides
    if isinstance(field, serializers.ListField | serializers.DictField):
        container, items = (
            (list, enumerate) if isinstance(field, serializers.ListField) else (dict, dict.items)
        )
        if not isinstance(value, container):
            return str(_("Give a list.") if container is list else _("Give an object."))
        problems = {key: _json_type_problem(field.child, item) for key, item in items(value)}
        problems = {
            key: problem if isinstance(problem, dict) else [problem]
            for key, problem in problems.items()
            if problem
        }
        return problems or None
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else str(_("Give true or false."))
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        whole = isinstance(value, int) and not isinstance(value, bool)
        return None if whole else str(_("Give a whole number."))
    if isinstance(field, serializers.FloatField):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return None if number else str(_("Give a number."))
    if isinstance(field, serializers.ChoiceField):
        if all(isinstance(choice, int) for choice in field.choices):
            whole = isinstance(value, int) and not isinstance(value, bool)
            return None if whole else str(_("Give a whole number."))
        return None if isinstance(value, str) else str(_("Give text."))
    if isinstance(field, serializers.CharField | serializers.DateTimeField):
        return None if isinstance(value, str) else str(_("Give text."))
    return None


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, and, in a JSON body, values of another JSON type than the
    field's: a misspelt or read-only field silently ignored would look to the client like a change
    that was made, and a number taken as text like input that was understood.

    Query strings and form uploads carry only text, so there the fields read it as DRF does."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            problems: dict[str, Any] = {
                key: [str(_("Unknown field: it cannot be set here."))]
                for key in sorted(set(data) - set(self.fields))
            }
            for name, field in self.fields.items():
                if field.read_only or name not in data:
                    continue
                if isinstance(data, QueryDict):
                    # DRF would take "?state=" as no filter at all; say it is empty instead.
                    blank = data[name] == "" and not getattr(field, "allow_blank", False)
                    problem = str(_("Give a value, or leave the parameter out.")) if blank else None
                else:
                    problem = _json_type_problem(field, data[name])
                if problem:
                    problems[name] = problem if isinstance(problem, dict) else [problem]
            if problems:
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)


class VersionedInput(StrictSerializer):
    expected_version = serializers.IntegerField(
        min_value=1,
        max_value=NUMBER_MAX,
        required=False,
        help_text="The incident's version this change is based on; refused with 409 if it changed meanwhile. "
        "An If-Match header with the version does the same.",
    )


class IncidentCreateInput(StrictSerializer):
    """An intake: what a SIEM or ticketing system knows when it raises the incident."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    detected_at = UtcDateTimeField()
    registers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        required=False,
        default=list,
        help_text="Ids of the affected registers, if known; the incident can be confirmed only with one.",
    )
    organisation = serializers.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        required=False,
        allow_null=True,
        help_text="Defaults to the first register's controller.",
    )


class AffectedRegisterInput(StrictSerializer):
    id = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    data_items = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list
    )
    approx_subjects = serializers.IntegerField(
        min_value=0, max_value=NUMBER_MAX, required=False, allow_null=True
    )
    approx_records = serializers.IntegerField(
        min_value=0, max_value=NUMBER_MAX, required=False, allow_null=True
    )


class IncidentUpdateInput(VersionedInput):
    """The facts a security lead or DPO may change (services.incidents.EDITABLE_FACTS), and the
    affected registers (replacing the earlier list)."""

    organisation = IdRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No such organisation.")},
        help_text="Id of the organisation handling this breach: its role and its NIS2 and DORA scope "
        "decide the clocks.",
    )
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False)
    occurred_from = UtcDateTimeField(required=False, allow_null=True)
    occurred_to = UtcDateTimeField(required=False, allow_null=True)
    breach_confidentiality = serializers.BooleanField(required=False)
    breach_integrity = serializers.BooleanField(required=False)
    breach_availability = serializers.BooleanField(required=False)
    cause_intent = serializers.ChoiceField(choices=CauseIntent.choices, required=False)
    cause_origin = serializers.ChoiceField(choices=CauseOrigin.choices, required=False)
    processor_involved = serializers.BooleanField(required=False)
    processor_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    measures = serializers.CharField(required=False, allow_blank=True)
    likely_consequences = serializers.CharField(required=False, allow_blank=True)
    nis2_significant = serializers.BooleanField(required=False)
    dora_major_at = UtcDateTimeField(required=False, allow_null=True)
    registers = AffectedRegisterInput(many=True, required=False)

    def validate_registers(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [row["id"] for row in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Name each register once."))
        return value


class StepInput(VersionedInput):
    """A lifecycle step: its fields are the inputs of its row in lifecycle.steps.STEPS."""


def _step_field(spec: StepSpec) -> serializers.Field:
    help_text = str(spec.help_text) if spec.help_text else None
    if spec.kind == InputKind.MOMENT:
        return UtcDateTimeField(required=spec.required, allow_null=not spec.required, help_text=help_text)
    if spec.kind == InputKind.TEXT:
        if spec.required:
            return serializers.CharField(help_text=help_text)
        return serializers.CharField(required=False, allow_blank=True, default="", help_text=help_text)
    if spec.kind == InputKind.FLAG:
        return serializers.BooleanField(required=False, default=False, help_text=help_text)
    assert spec.choices is not None
    if spec.required:
        return serializers.ChoiceField(choices=spec.choices.choices, help_text=help_text)
    return serializers.ChoiceField(
        choices=spec.choices.choices, required=False, default="", help_text=help_text
    )


@cache
def step_input(step: str) -> type[StepInput]:
    """The API input of a step, made from its row of STEPS: field names are the service's keyword
    arguments, as in the web form. A step without inputs takes StepInput itself."""
    specs = STEPS[step].inputs
    if not specs:
        return StepInput
    name = "".join(part.capitalize() for part in step.split("_")) + "Input"
    return type(name, (StepInput,), {spec.name: _step_field(spec) for spec in specs})


class ObligationMetInput(StrictSerializer):
    met_at = UtcDateTimeField(help_text="When the notice was sent.")
    note = serializers.CharField(help_text="The channel and, if given, the authority's case number.")
    complete = serializers.BooleanField(
        required=False, default=True, help_text="False for a preliminary notice (starts Art. 33(4))."
    )
    delay_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The reasons for the delay, for a notice sent after its deadline (Art. 33(1)).",
    )


class DecisionKeepInput(VersionedInput):
    reason = serializers.CharField(
        help_text="Why the decision stands against the later assessment's proposal."
    )


class ObligationWaiveInput(StrictSerializer):
    reason = serializers.CharField()


class ObligationDelayReasonInput(StrictSerializer):
    reason = serializers.CharField(help_text="Why the notice was sent after its deadline.")


class Paging(StrictSerializer):
    """The query of every paged list: which page, and how long one is. A list takes nothing else
    unless its filter adds it; an unknown parameter is refused rather than ignored."""

    page = serializers.IntegerField(
        min_value=1, max_value=NUMBER_MAX, required=False, help_text="The page, from 1; past the last: 404."
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        help_text=f"Entries a page, {PAGE_SIZE} unless given, at most {MAX_PAGE_SIZE}.",
    )


class IncidentFilter(Paging):
    state = serializers.ChoiceField(choices=IncidentState.choices, required=False)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)


OPEN = "open"


class ObligationFilter(Paging):
    status = serializers.ChoiceField(
        choices=[(OPEN, "open (pending or missed)"), *ObligationStatus.choices], required=False
    )
    due_before = UtcDateTimeField(required=False, help_text="From the year 2000 to 2099.")
    incident = serializers.CharField(required=False, help_text="The incident's reference or id.")
