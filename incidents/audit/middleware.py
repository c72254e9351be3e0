from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from incidents.audit.context import request_context


class AuditContextMiddleware:
    """Makes the signed-in user and client address the actor of events recorded during a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_context(request):
            return self.get_response(request)
