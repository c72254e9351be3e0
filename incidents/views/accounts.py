from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.views.i18n import set_language as django_set_language

from incidents.models import Profile
from incidents.services.profiles import profile_language_set

# The language chosen on the login page, kept in the session until the person signs in.
CHOSEN_BEFORE_SIGN_IN = "language_chosen"


# The language can be chosen on the login page too, before anyone is signed in.
@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the page language; a signed-in user's choice is also kept for the e-mails they get."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            profile_language_set(user=request.user, language=language)
        else:
            request.session[CHOSEN_BEFORE_SIGN_IN] = language
    return response


class SignIn(LoginView):
    """The login page. Signed in, a person reads the pages in their own language, on any browser:
    the one they chose on this page just now (kept for their e-mails too), else the one they chose
    before (their profile), else the browser's."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        chosen = self.request.session.get(CHOSEN_BEFORE_SIGN_IN)
        response = super().form_valid(form)  # the session keeps its data through login's new key
        user = form.get_user()
        if chosen in dict(settings.LANGUAGES):
            profile_language_set(user=user, language=chosen)
            self.request.session.pop(CHOSEN_BEFORE_SIGN_IN, None)
            return response
        profile = Profile.objects.filter(user=user).first()  # none: they never chose
        if profile is not None and profile.language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                profile.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
