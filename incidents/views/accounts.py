from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.views.i18n import set_language as django_set_language

# The language can be chosen on the login page too, before anyone is signed in.
set_language = login_not_required(django_set_language)
