"""Incidents: intake, list, read, change facts, and take lifecycle steps."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.api.inputs import (
    DecisionKeepInput,
    IncidentCreateInput,
    IncidentFilter,
    IncidentUpdateInput,
    step_input,
)
from incidents.api.lookup import etag, expected_version, incident_get
from incidents.api.permissions import HANDLE, acting_user
from incidents.api.serializers import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorSerializer,
    IncidentSerializer,
    IncidentSummarySerializer,
)
from incidents.choices import OPEN_STATES
from incidents.lifecycle.steps import STEPS
from incidents.models import Incident, Organisation
from incidents.roles import Permission
from incidents.selectors.incidents import incidents_for_api
from incidents.services import incidents as service
from incidents.services.decisions import decision_keep
from incidents.services.incidents import step_service

KEY = OpenApiParameter("key", str, OpenApiParameter.PATH, description="Reference (INC-2026-0042) or id.")


def incident_response(request: Request, incident_id: int, *, code: int = status.HTTP_200_OK) -> Response:
    """The incident as it is now (re-read: a service returns the row it changed, not its relations)."""
    incident = incidents_for_api().get(pk=incident_id)
    body = IncidentSerializer(incident, context={"request": request, "now": timezone.now()}).data
    response = Response(body, status=code)
    response["ETag"] = etag(incident)
    return response


def _valid(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class IncidentListView(GenericAPIView):
    serializer_class = IncidentSummarySerializer

    @extend_schema(
        operation_id="incidents_list",
        parameters=[IncidentFilter],
        responses={200: IncidentSummarySerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Incidents, newest detection first; filter by ``state`` or ``open``."""
        filters = _valid(IncidentFilter, request.query_params)
        incidents = Incident.objects.order_by("-detected_at", "-pk")
        if "state" in filters:
            incidents = incidents.filter(state=filters["state"])
        if filters.get("open") is not None:
            open_filter = {"state__in": OPEN_STATES}
            incidents = (
                incidents.filter(**open_filter) if filters["open"] else incidents.exclude(**open_filter)
            )
        page = self.paginate_queryset(incidents)
        context = {"request": request, "now": timezone.now()}
        return self.get_paginated_response(IncidentSummarySerializer(page, many=True, context=context).data)

    @extend_schema(
        operation_id="incidents_create",
        request=IncidentCreateInput,
        responses={201: IncidentSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """Intake: log an incident. Its clock runs provisionally from ``detected_at`` until the
        breach is confirmed."""
        inputs = _valid(IncidentCreateInput, request.data)
        organisation = None
        if inputs.get("organisation") is not None:
            organisation = Organisation.objects.filter(pk=inputs["organisation"]).first()
            if organisation is None:
                raise ValidationError({"organisation": [_("No such organisation.")]})
        incident = service.incident_create(
            actor=acting_user(request),
            organisation=organisation,
            title=inputs["title"],
            description=inputs["description"],
            detected_at=inputs["detected_at"],
            register_ids=inputs["registers"],
            now=timezone.now(),
        )
        response = incident_response(request, incident.pk, code=status.HTTP_201_CREATED)
        response["Location"] = f"/api/incidents/{incident.reference}/"
        return response


class IncidentDetailView(APIView):
    @extend_schema(
        operation_id="incidents_read", parameters=[KEY], responses={200: IncidentSerializer, **READ_ERRORS}
    )
    def get(self, request: Request, key: str) -> Response:
        """One incident, with the steps you can take now and, for the others, why not."""
        return incident_response(request, incident_get(key).pk)

    @extend_schema(
        operation_id="incidents_update",
        parameters=[KEY],
        request=IncidentUpdateInput,
        responses={200: IncidentSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, key: str) -> Response:
        """Change facts of the incident and/or replace its affected registers, in one act. The
        organisation handling the breach is named by its id (an unknown one is refused as
        ``organisation``); changing it moves the clocks its role and scope decide."""
        incident = incident_get(key)
        inputs = _valid(IncidentUpdateInput, request.data)
        version = expected_version(request, inputs.pop("expected_version", None))
        registers = inputs.pop("registers", None)
        now = timezone.now()
        # One transaction: either every change of this request is made, or none is.
        with transaction.atomic():
            if inputs:
                changed = service.incident_update(
                    incident_id=incident.pk,
                    actor=acting_user(request),
                    expected_version=version,
                    changes=inputs,
                    now=now,
                )
                version = changed.version if version is not None else None
            if registers is not None:
                service.incident_set_registers(
                    incident_id=incident.pk,
                    actor=acting_user(request),
                    expected_version=version,
                    affected={row.pop("id"): row for row in registers},
                    now=now,
                )
        return incident_response(request, incident.pk)


def _step_permission(view: APIView) -> Permission:
    """Deciding is the DPO's; the other steps need the right to handle incidents."""
    step = view.kwargs.get("step", "")
    if step not in STEPS:
        return HANDLE  # the view answers 404 for it
    transitions = getattr(Incident, step)._django_fsm.transitions.values()
    return Permission.of(next(iter(transitions)).permission)


class IncidentStepView(APIView):
    """A step by a name that is no step: 404 naming the steps. Each real step has a view and a path
    of its own (:func:`incident_step_view`), so that the schema gives each step its own inputs."""

    write_permission = staticmethod(_step_permission)

    @extend_schema(exclude=True)
    def post(self, request: Request, key: str, step: str) -> Response:
        if step not in STEPS:
            raise NotFound(
                _("No such step: %(step)s. The steps: %(steps)s.") % {"step": step, "steps": ", ".join(STEPS)}
            )
        incident = incident_get(key)
        inputs = _valid(step_input(step), request.data)
        version = expected_version(request, inputs.pop("expected_version", None))
        step_service(step)(
            incident_id=incident.pk,
            actor=acting_user(request),
            expected_version=version,
            now=timezone.now(),
            **inputs,
        )
        return incident_response(request, incident.pk)


def incident_step_view(step: str) -> type[IncidentStepView]:
    """The view of one lifecycle step, documented with that step's inputs (its row of STEPS)."""
    view = type(f"Incident{step.title().replace('_', '')}View", (IncidentStepView,), {})
    schema = extend_schema(
        exclude=False,
        operation_id=f"incidents_{step}",
        summary=str(STEPS[step].label).capitalize(),
        description=STEP_HELP.get(step, "Take the step; it takes nothing but ``expected_version``."),
        parameters=[KEY],
        request=step_input(step),
        responses={
            200: IncidentSerializer,
            422: OpenApiResponse(ErrorSerializer, description="The step is refused; `reasons` says why."),
            **WRITE_ERRORS,
        },
    )
    return extend_schema_view(post=schema)(view)


STEP_HELP = {
    "confirm": "Confirm the breach: ``aware_at`` (when it was established) and ``aware_reason`` start the "
    "clocks from awareness.",
    "decide": "Decide whether to notify (DPO): ``notify_authority`` (``yes`` | ``no``), ``notify_subjects`` "
    "(``yes`` | ``no`` | ``a`` | ``b`` | ``c``, the Art. 34(3) exception), ``reason`` (required when the "
    "decision departs from the assessment's proposal, notifies no one or rests on an exception), "
    "``subjects_target_at`` and ``unlikely_confirmed``.",
    "dismiss": "Dismiss: not a personal-data breach, with the ``reason``.",
    "reopen": "Reopen a dismissed or closed incident, with the ``reason``.",
    "revise_decision": "Decide again (DPO), with the ``reason``.",
}


class IncidentDecisionReviewView(APIView):
    write_permission = Permission.DECIDE_NOTIFICATION

    @extend_schema(
        operation_id="incidents_decision_keep",
        parameters=[KEY],
        request=DecisionKeepInput,
        responses={200: IncidentSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, key: str) -> Response:
        """Keep the decision that a later, stricter assessment marked for review, with the reason
        it stands (DPO). To decide again instead, take the step ``revise_decision``."""
        incident = incident_get(key)
        inputs = _valid(DecisionKeepInput, request.data)
        decision_keep(
            incident_id=incident.pk,
            actor=acting_user(request),
            expected_version=expected_version(request, inputs.get("expected_version")),
            reason=inputs["reason"],
            now=timezone.now(),
        )
        return incident_response(request, incident.pk)
