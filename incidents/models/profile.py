from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class Profile(models.Model):
    """What a person prefers, kept beside Django's user: for now, the language they are written in.

    Made on first need (:meth:`for_user`), so users created by an administrator, a command or an
    import have none until they choose; until then they get the site's language.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"

    @classmethod
    def for_user(cls, user: AbstractBaseUser) -> Profile:
        """The user's profile, made now if they have none yet."""
        try:
            with transaction.atomic():
                profile, _created = cls.objects.get_or_create(user=user)
        except IntegrityError:
            # Two requests of the same user made it at once: the other one's row is the profile.
            profile = cls.objects.get(user=user)
        return profile

    @staticmethod
    def language_of(user: Any) -> str:
        """The language to write to this user in, without making a profile for them."""
        try:
            language = str(user.profile.language)
        except Profile.DoesNotExist:
            return str(settings.LANGUAGE_CODE)
        return language if language in dict(settings.LANGUAGES) else str(settings.LANGUAGE_CODE)
