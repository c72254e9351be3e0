"""An incident's risk assessments: record a new version (ENISA method), list the versions."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from incidents.api.fields import UtcDateTimeField
from incidents.api.inputs import StrictSerializer
from incidents.api.lookup import incident_get
from incidents.api.permissions import acting_user
from incidents.api.serializers import READ_ERRORS, WRITE_ERRORS
from incidents.api.views.incidents import KEY, _valid
from incidents.models import Assessment
from incidents.risk.scoring import Availability, Band, Confidentiality, Identification, Integrity, Proposal
from incidents.services.assessments import assessment_answers, assessment_record, assessment_result


def _choices(values: type[StrEnum]) -> list[str]:
    return [value.value for value in values]


class AdjustmentInput(StrictSerializer):
    step = serializers.ChoiceField(choices=[1, -1], help_text="One whole step of the DPC: 1 or -1.")
    reason = serializers.CharField(help_text="Why: volume, vulnerable people, data already public, ...")


class AssessmentInput(StrictSerializer):
    """The assessor's answers to the ENISA method."""

    dpc_adjustments = AdjustmentInput(many=True, required=False, default=list)
    ease_of_identification = serializers.ChoiceField(choices=_choices(Identification))
    confidentiality = serializers.ChoiceField(choices=_choices(Confidentiality))
    integrity = serializers.ChoiceField(choices=_choices(Integrity))
    availability = serializers.ChoiceField(choices=_choices(Availability))
    malicious = serializers.BooleanField()
    vulnerable_subjects = serializers.BooleanField(help_text="Children or other vulnerable people affected.")


class AssessmentSerializer(serializers.Serializer):
    """One version: its numbers, band and proposal, and the reasons in the request's language."""

    version = serializers.IntegerField()
    dpc_base = serializers.IntegerField()
    dpc = serializers.IntegerField()
    ei = serializers.FloatField()
    cb = serializers.FloatField()
    score = serializers.FloatField()
    band = serializers.ChoiceField(choices=_choices(Band))
    proposal = serializers.ChoiceField(choices=_choices(Proposal))
    art34_exceptions = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())
    answers = AssessmentInput()
    created_by = serializers.CharField()
    created_at = UtcDateTimeField()


def assessment_data(assessment: Assessment) -> dict[str, Any]:
    result = assessment_result(assessment)
    return {
        "version": assessment.version,
        "dpc_base": result.dpc_base,
        "dpc": result.dpc,
        "ei": result.ei,
        "cb": result.cb,
        "score": result.score,
        "band": result.band.value,
        "proposal": result.proposal.value,
        "art34_exceptions": list(result.art34_exceptions),
        "reasons": result.reasons,
        "answers": assessment_answers(assessment),
        "created_by": assessment.created_by.get_username(),
        "created_at": assessment.created_at,
    }


class IncidentAssessmentsView(GenericAPIView):
    serializer_class = AssessmentSerializer
    pagination_class = None  # every version, however many: an incident has a handful

    @extend_schema(
        operation_id="incidents_assessments",
        parameters=[KEY],
        responses={200: AssessmentSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, key: str) -> Response:
        """Every version of the incident's risk assessment, the first first."""
        incident = incident_get(key)
        versions = incident.assessments.select_related("created_by").order_by("version")
        return Response(AssessmentSerializer([assessment_data(a) for a in versions], many=True).data)

    @extend_schema(
        operation_id="incidents_assessments_create",
        parameters=[KEY],
        request=AssessmentInput,
        responses={201: AssessmentSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, key: str) -> Response:
        """Record a new version of the assessment; the reasons come in the request's language."""
        incident = incident_get(key)
        values = _valid(AssessmentInput, request.data)
        assessment = assessment_record(
            incident_id=incident.pk, actor=acting_user(request), values=values, now=timezone.now()
        )
        data = AssessmentSerializer(assessment_data(assessment)).data
        return Response(data, status=status.HTTP_201_CREATED)
