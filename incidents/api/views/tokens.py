"""The caller's own token: revoke it (after a leak, or when rotating to a new one)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.api.permissions import READ, acting_user
from incidents.api.serializers import READ_ERRORS, ErrorSerializer
from incidents.api.tokens import api_token_revoke


class CurrentTokenView(APIView):
    # Revoking one's own credential changes no incident, so an auditor may do it too.
    write_permission = READ

    @extend_schema(
        operation_id="token_revoke_current",
        request=None,
        responses={204: None, 400: OpenApiResponse(ErrorSerializer), **READ_ERRORS},
    )
    def delete(self, request: Request) -> Response:
        """Revoke the token this request was made with; it stops working at once."""
        from knox.models import AuthToken

        if not isinstance(request.auth, AuthToken):
            raise ValidationError({"Authorization": [_("This request was not made with an API token.")]})
        api_token_revoke(token=request.auth, actor=acting_user(request), now=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)
