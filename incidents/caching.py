"""No copy of a page or an API answer in any cache: what the tool shows is personal data and the
facts of breaches, which a shared computer's browser or a proxy must not keep."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Cache-Control: no-store (with Django's never-cache set) on every answer of the
    application; static files, served before this by WhiteNoise, keep their long cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
