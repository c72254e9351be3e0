"""Organisations: the controllers and processors, with their role, scope and DPO."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from incidents.api.inputs import Paging
from incidents.api.serializers import LIST_ERRORS, OrganisationSerializer
from incidents.api.views.incidents import _valid
from incidents.selectors.registers import organisations_for_api


class OrganisationListView(GenericAPIView):
    serializer_class = OrganisationSerializer

    @extend_schema(
        operation_id="organisations_list",
        parameters=[Paging],
        responses={200: OrganisationSerializer(many=True), **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Organisations by name. ``role``, ``nis2_scope`` and ``dora_scope`` decide which clocks
        an incident handled by one of them starts; ``processor_notice_hours`` is the contractual
        Art. 33(2) deadline when we are its processor (null: the template's 24 hours)."""
        _valid(Paging, request.query_params)
        page = self.paginate_queryset(organisations_for_api())
        return self.get_paginated_response(OrganisationSerializer(page, many=True).data)
