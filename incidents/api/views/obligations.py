"""Obligations (the clocks): list them with their deadlines, record one met, waive one (DPO)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from incidents.api.inputs import (
    OPEN,
    ObligationDelayReasonInput,
    ObligationFilter,
    ObligationMetInput,
    ObligationWaiveInput,
    Paging,
)
from incidents.api.lookup import incident_get
from incidents.api.permissions import DECIDE, HANDLE, acting_user
from incidents.api.serializers import LIST_ERRORS, WRITE_ERRORS, ObligationSerializer
from incidents.api.views.incidents import KEY, _valid
from incidents.choices import OPEN_OBLIGATION_STATUSES
from incidents.models import Obligation
from incidents.roles import Permission
from incidents.selectors.obligations import obligations_for_api
from incidents.services.obligations import obligation_explain_delay, obligation_mark_met, obligation_waive

OBLIGATION_ID = OpenApiParameter("obligation_id", int, OpenApiParameter.PATH)


class _ObligationPages(GenericAPIView):
    serializer_class = ObligationSerializer

    def page_of(self, request: Request, obligations: QuerySet[Obligation]) -> Response:
        page = self.paginate_queryset(obligations)
        context = {"request": request, "now": timezone.now()}
        return self.get_paginated_response(ObligationSerializer(page, many=True, context=context).data)


class ObligationListView(_ObligationPages):
    @extend_schema(
        operation_id="obligations_list",
        parameters=[ObligationFilter],
        responses={200: ObligationSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Every incident's clocks, soonest deadline first.

        ``?status=open&due_before=2026-04-01T00:00:00Z`` lists those still to be met before then."""
        filters = _valid(ObligationFilter, request.query_params)
        obligations = obligations_for_api()
        status = filters.get("status")
        if status == OPEN:
            obligations = obligations.filter(status__in=OPEN_OBLIGATION_STATUSES)
        elif status:
            obligations = obligations.filter(status=status)
        if "due_before" in filters:
            obligations = obligations.filter(due_at__lt=filters["due_before"])
        if "incident" in filters:
            obligations = obligations.filter(incident=incident_get(filters["incident"]))
        return self.page_of(request, obligations)


class IncidentObligationsView(_ObligationPages):
    @extend_schema(
        operation_id="incidents_obligations",
        parameters=[KEY, Paging],
        responses={200: ObligationSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request, key: str) -> Response:
        """The incident's clocks with their deadlines."""
        _valid(Paging, request.query_params)
        incident = incident_get(key)
        return self.page_of(request, obligations_for_api().filter(incident=incident))


def _obligation_response(request: Request, obligation_id: int) -> Response:
    obligation = obligations_for_api().get(pk=obligation_id)
    return Response(
        ObligationSerializer(obligation, context={"request": request, "now": timezone.now()}).data
    )


def _obligation_act(
    operation_id: str,
    inputs: type[serializers.Serializer],
    service: Callable[..., Obligation],
    permission: Permission,
    doc: str,
) -> type[GenericAPIView]:
    """An act on one clock: its inputs are the service's keyword arguments."""

    @extend_schema(
        operation_id=operation_id,
        parameters=[OBLIGATION_ID],
        request=inputs,
        responses={200: ObligationSerializer, **WRITE_ERRORS},
        description=doc,
    )
    def post(self: GenericAPIView, request: Request, obligation_id: int) -> Response:
        obligation = get_object_or_404(Obligation, pk=obligation_id)
        values = _valid(inputs, request.data)
        service(obligation_id=obligation.pk, actor=acting_user(request), now=timezone.now(), **values)
        return _obligation_response(request, obligation.pk)

    name = "".join(part.capitalize() for part in operation_id.split("_")) + "View"
    attributes = {"serializer_class": ObligationSerializer, "write_permission": permission, "post": post}
    return type(name, (GenericAPIView,), attributes)


ObligationMetView = _obligation_act(
    "obligations_met",
    ObligationMetInput,
    obligation_mark_met,
    HANDLE,
    "Record that the notice was sent (``complete: false`` for a preliminary Art. 33 notice).",
)
ObligationWaiveView = _obligation_act(
    "obligations_waive",
    ObligationWaiveInput,
    obligation_waive,
    DECIDE,
    "The DPO decides this clock does not apply here, with a reason.",
)
ObligationDelayReasonView = _obligation_act(
    "obligations_delay_reason",
    ObligationDelayReasonInput,
    obligation_explain_delay,
    HANDLE,
    "Give the reasons for the delay of a notice sent after its deadline (Art. 33(1)).",
)
