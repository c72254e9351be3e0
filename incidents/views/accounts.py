from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.i18n import set_language as django_set_language

from incidents.services.profiles import profile_language_set


# The language can be chosen on the login page too, before anyone is signed in.
@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language; a signed-in user's choice is also kept for the e-mails they get."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        profile_language_set(user=request.user, language=language)
    return response
