from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Breach handling")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from incidents import checks  # noqa: F401 (registers the system checks)
        from incidents.audit import signals  # noqa: F401 (connects the receivers)
