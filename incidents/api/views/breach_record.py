"""The breach record (GDPR Art. 33(5)) for API clients: the same incidents and filters as the page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from incidents.api.fields import ID_MAX, AnswerSerializer, UtcDateTimeField
from incidents.api.inputs import Paging
from incidents.api.serializers import (
    LIST_ERRORS,
    AffectedRegisterSerializer,
    ObligationSerializer,
    OrganisationOfIncident,
)
from incidents.breach_record.entries import BREACH_TYPES, breach_types
from incidents.breach_record.forms import BreachRecordFilterForm
from incidents.breach_record.selectors import breach_record_incidents
from incidents.choices import IncidentState, RiskDecision
from incidents.models import Incident

# A day of the years a breach can have (moments.moment_in_range).
DAY = {
    "type": "string",
    "format": "date",
    "pattern": r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
}
_DAY_RANGE = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2099, 12, 31))]

# The query parameters are the page's filter form, field for field (a test holds them in step).
FILTER_PARAMETERS = [
    OpenApiParameter(
        "detected_from",
        DAY,
        OpenApiParameter.QUERY,
        description="Detected on or after this day (local), from the year 2000 to 2099.",
    ),
    OpenApiParameter(
        "detected_to",
        DAY,
        OpenApiParameter.QUERY,
        description="Detected on or before this day (local), from the year 2000 to 2099.",
    ),
    OpenApiParameter("state", str, OpenApiParameter.QUERY, enum=IncidentState.values),
    OpenApiParameter("risk_decision", str, OpenApiParameter.QUERY, enum=RiskDecision.values),
    OpenApiParameter(
        "register",
        {"type": "integer", "minimum": 1, "maximum": ID_MAX},
        OpenApiParameter.QUERY,
        description="Id of an affected register; an id of no register matches no incident.",
    ),
    OpenApiParameter(
        "organisation",
        {"type": "integer", "minimum": 1, "maximum": ID_MAX},
        OpenApiParameter.QUERY,
        description="Id of the organisation handling the breach; an id of no organisation matches none.",
    ),
]
PAGING = tuple(Paging().fields)


class BreachRecordQuery(BreachRecordFilterForm):
    """The page's filters, but a register or organisation by its id as a number (the page offers
    only those that exist, while a client filtering by an id that names none gets no incidents, as
    a filter does, rather than an error), and days only in the years a breach can have."""

    detected_from = forms.DateField(required=False, validators=_DAY_RANGE)
    detected_to = forms.DateField(required=False, validators=_DAY_RANGE)
    register = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)  # type: ignore[assignment]
    organisation = forms.IntegerField(required=False, min_value=1, max_value=ID_MAX)  # type: ignore[assignment]


class BreachRecordEntrySerializer(OrganisationOfIncident, AnswerSerializer):
    """One incident of the breach record: facts, effects, remedial action, decisions and reasons,
    and each obligation with its status, deadline and how it was met or why it does not apply."""

    detected_at = UtcDateTimeField(read_only=True)
    aware_at = UtcDateTimeField(read_only=True)
    occurred_from = UtcDateTimeField(read_only=True)
    occurred_to = UtcDateTimeField(read_only=True)
    decided_at = UtcDateTimeField(read_only=True)
    organisation = serializers.SerializerMethodField()
    breach_types = serializers.SerializerMethodField()
    registers = AffectedRegisterSerializer(source="affected", many=True, read_only=True)
    obligations = ObligationSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "title",
            "state",
            "organisation",
            "description",
            "detected_at",
            "aware_at",
            "occurred_from",
            "occurred_to",
            "breach_types",
            "registers",
            "likely_consequences",
            "measures",
            "risk_decision",
            "decision_reason",
            "art34_exception",
            "decision_review_reason",
            "decided_at",
            "dismissed_reason",
            "obligations",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=[code for code, _f, _w in BREACH_TYPES]))
    )
    def get_breach_types(self, incident: Incident) -> list[str]:
        return breach_types(incident)


def _valid_filters(request: Request) -> BreachRecordFilterForm:
    """The filter form, valid, or 400 naming each parameter at fault."""
    form = BreachRecordQuery(request.query_params)
    problems: dict[str, list[str]] = {
        key: [_("Unknown filter: use one of %(names)s.") % {"names": ", ".join([*form.fields, *PAGING])}]
        for key in sorted(set(request.query_params) - set(form.fields) - set(PAGING))
    }
    # The page's form sends every filter, empty ones too; a client leaves out what it does not ask.
    problems |= {
        key: [_("Give a value, or leave the parameter out.")]
        for key in sorted(set(request.query_params) & set(form.fields))
        if request.query_params[key] == ""
    }
    asked = request.query_params.copy()
    for key in set(asked) - set(PAGING):
        del asked[key]
    paging = Paging(data=asked)
    if not paging.is_valid():
        problems |= {key: [str(error) for error in errors] for key, errors in paging.errors.items()}
    if not form.is_valid():
        for key, errors in form.errors.items():
            problems["non_field_errors" if key == "__all__" else key] = [str(error) for error in errors]
    if problems:
        raise ValidationError(problems)
    return form


class BreachRecordListView(GenericAPIView):
    serializer_class = BreachRecordEntrySerializer

    @extend_schema(
        operation_id="breach_record_list",
        parameters=FILTER_PARAMETERS,
        responses={200: BreachRecordEntrySerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """The breach record (GDPR Art. 33(5)): every incident, dismissed and not notified ones
        included, the most recently detected first; the same filters as the page /breach-record/."""
        filters = _valid_filters(request).filters()
        page = self.paginate_queryset(breach_record_incidents(filters))
        context: dict[str, Any] = {"request": request, "now": timezone.now()}
        return self.get_paginated_response(BreachRecordEntrySerializer(page, many=True, context=context).data)
