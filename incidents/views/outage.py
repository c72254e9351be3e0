"""The database lost in the middle of a request: its transaction has rolled back, so nothing of
the act was written, and the person is told so (503) instead of meeting a server error. The page
is written without the layout, whose navigation would ask the database again."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from incidents.errors import error_body

logger = logging.getLogger(__name__)


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("The database was lost during %s %s: %s", request.method, request.path, exception)
        message = _("The database could not be reached; nothing of this was saved. Try again in a moment.")
        if request.path.startswith("/api/"):
            return JsonResponse(error_body("database_unavailable", message), status=503)
        context = {"message": message, "language": translation.get_language() or "en"}
        return HttpResponse(render_to_string("errors/database_unavailable.html", context), status=503)
