"""Registers (the records of processing): list them with their classified data, read one whole."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.api.inputs import Paging
from incidents.api.serializers import LIST_ERRORS, READ_ERRORS, RegisterSerializer, RegisterSummarySerializer
from incidents.api.views.incidents import _valid
from incidents.selectors.registers import registers_for_api

# The URL names it ``pk``; the schema calls it ``id``, as the register's own field is called.
REGISTER_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The register's id.")


class RegisterListView(GenericAPIView):
    serializer_class = RegisterSummarySerializer

    @extend_schema(
        operation_id="registers_list",
        parameters=[Paging],
        responses={200: RegisterSummarySerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Registers by name, each with its controllers and its data items, classified."""
        _valid(Paging, request.query_params)
        page = self.paginate_queryset(registers_for_api())
        return self.get_paginated_response(RegisterSummarySerializer(page, many=True).data)


class RegisterDetailView(APIView):
    @extend_schema(
        operation_id="registers_detail",
        parameters=[REGISTER_ID],
        responses={200: RegisterSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        """One register with everything it records: purpose, legal basis, data subjects, sources,
        disclosures, transfers, retention, security measures, contact and its data items."""
        return Response(RegisterSerializer(get_object_or_404(registers_for_api(), pk=pk)).data)
