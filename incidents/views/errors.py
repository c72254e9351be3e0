"""A request Django refuses before any view runs (handler400): a body over the upload limit (413)
or a form of too many fields (400) is told as such in the product's layout, or in the API's error
format under /api/; any other bad request keeps Django's answer."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from incidents.errors import error_body


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, TooManyFieldsSent):
        message = _(
            "The form has more than %(fields)d fields, the most Breachclock takes at once; "
            "nothing of it was saved."
        ) % {"fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
        return _too_much(request, message, status=400)
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    message = _(
        "What was sent is over %(mb).1f MB, the most Breachclock takes at once; nothing of it was saved."
    ) % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024}
    return _too_much(request, message, status=413)


def _too_much(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("too_large", message), status=status)
    return render(request, "errors/too_large.html", {"message": message}, status=status)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without its security token (a page left open past a sign-in
    or sign-out, or sent from elsewhere), told in the product's layout; nothing was done."""
    message = _(
        "This form could not be accepted: the page it was on is out of date (you signed in or out "
        "since, or it came from another site), so nothing was done. Open the page again and send it anew."
    )
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("csrf_failed", message), status=403)
    return render(request, "403.html", {"exception": message}, status=403)
