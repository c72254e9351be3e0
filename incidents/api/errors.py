"""One error format for every refusal the API gives:

    {"error": {"code": "...", "message": "...", "fields": {"name": ["problem"]}, "reasons": [...]}}

``fields`` names each input at fault and what is wrong with it; ``reasons`` lists every reason a
lifecycle step was refused. Both are always present (possibly empty), so a client needs one parser.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from incidents.errors import ChangedMeanwhile, DomainError, NotFound, TransitionRefused, error_body
from incidents.roles import RoleNeeded

__all__ = ["api_exception_handler", "api_not_found", "error_body", "server_error"]


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as {"registers.0.id": ["..."]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = str(key) if not prefix else f"{prefix}.{key}"
            flat.update(_flatten(value, name))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(item) for item in items]}


def _validation(error: exceptions.ValidationError) -> Response:
    fields = _flatten(error.detail)
    general = fields.pop("non_field_errors", [])
    parts = general + [f"{name}: {problems[0]}" for name, problems in fields.items()]
    return Response(
        error_body("validation_error", " ".join(parts) or _("The request is not valid."), fields=fields),
        status=status.HTTP_400_BAD_REQUEST,
    )


def _domain(error: DomainError) -> Response:
    if isinstance(error, ChangedMeanwhile):
        return Response(error_body("changed_meanwhile", error.message), status=status.HTTP_409_CONFLICT)
    if isinstance(error, TransitionRefused):
        # 422: the request is understood, but the incident's facts or state do not allow the step
        # yet; the reasons say what to fill in first.
        return Response(
            error_body(
                "transition_refused",
                error.message,
                fields=error.fields,
                reasons=error.reasons,
            ),
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(error, RoleNeeded):
        return Response(error_body("permission_denied", error.message), status=status.HTTP_403_FORBIDDEN)
    if isinstance(error, NotFound):
        # A service's "no such object" (e.g. deleted between lookup and lock) is a 404.
        return Response(error_body("not_found", error.message), status=status.HTTP_404_NOT_FOUND)
    fields = {error.field: [error.message]} if error.field else {}
    return Response(error_body("invalid", error.message, fields=fields), status=status.HTTP_400_BAD_REQUEST)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every refusal in the one format. Programming errors (anything
    else) stay exceptions, so they are logged and answered 500 as anywhere in the app."""
    if isinstance(exc, DomainError):
        return _domain(exc)
    if isinstance(exc, RequestDataTooBig):
        message = _("The request body is over %(mb).1f MB, the most the API takes.") % {
            "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
        }
        return Response(error_body("too_large", message), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, exceptions.ValidationError):
        return _validation(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    detail = exc.detail
    message = str(detail) if not isinstance(detail, dict | list) else _("The request was refused.")
    response.data = error_body(str(exc.default_code), message)
    return response


@csrf_exempt  # a token call (no CSRF cookie) to a wrong address gets this 404, not a CSRF page
def api_not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any /api/ address that names no endpoint: 404 in the API's format, not the HTML page."""
    message = _("No such API endpoint: %(path)s") % {"path": request.path}
    return JsonResponse(error_body("not_found", message), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: under /api/ the API's format, so that a client parses even this; the pages get
    Django's page. The error itself is logged where it happened, as always."""
    if request.path.startswith("/api/"):
        message = _(
            "Something failed on the server; it has been logged. Try again, or tell the administrator."
        )
        return JsonResponse(error_body("server_error", message), status=500)
    return defaults.server_error(request)
