"""A request Django refuses before any view runs (handler400): a body over the upload limit is
told as such (413) in the product's layout, or in the API's error format under /api/; any other
bad request keeps Django's answer."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from incidents.errors import error_body


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    message = _(
        "What was sent is over %(mb).1f MB, the most Breachclock takes at once; nothing of it was saved."
    ) % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024}
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("too_large", message), status=413)
    return render(request, "errors/too_large.html", {"message": message}, status=413)
