"""A user's own preferences."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _

from incidents.errors import DomainError
from incidents.models import Profile


def profile_language_set(*, user: AbstractBaseUser | Any, language: str) -> Profile:
    """Keep the language the user chose, for what is written to them outside a page (e-mail).

    Not audited: a preference of one's own, not an act on incidents, registers or roles.
    """
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Language: choose one of the offered languages."), field="language")
    profile = Profile.for_user(user)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])
    return profile
