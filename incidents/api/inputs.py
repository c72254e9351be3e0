"""What the API accepts: each write's inputs and the list filters, checked before any service runs."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents.api.fields import ID_MAX, NUMBER_MAX, IdRelatedField, UtcDateTimeField
from incidents.lifecycle.steps import STEPS, InputKind
from incidents.lifecycle.steps import StepInput as StepSpec
from incidents.models import (
    CauseIntent,
    CauseOrigin,
    IncidentState,
    ObligationStatus,
    Organisation,
)


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know: a misspelt or read-only field silently ignored would look
    to the client like a change that was made."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("Unknown field: it cannot be set here.")] for key in unknown}
                )
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


class IncidentFilter(StrictSerializer):
    state = serializers.ChoiceField(choices=IncidentState.choices, required=False)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)
    page = serializers.IntegerField(min_value=1, max_value=NUMBER_MAX, required=False)


OPEN = "open"


class ObligationFilter(StrictSerializer):
    status = serializers.ChoiceField(
        choices=[(OPEN, "open (pending or missed)"), *ObligationStatus.choices], required=False
    )
    due_before = UtcDateTimeField(required=False)
    incident = serializers.CharField(required=False, help_text="The incident's reference or id.")
    page = serializers.IntegerField(min_value=1, max_value=NUMBER_MAX, required=False)
