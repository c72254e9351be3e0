from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Breach handling")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from incidents import checks  # noqa: F401 (registers the system checks)
        from incidents.audit import signals  # noqa: F401 (connects the receivers)


class AuditedAdminConfig(admin_apps.AdminConfig):
    """Django admin on a site that records every admin act in the audit trail."""

    default = False  # named in INSTALLED_APPS; IncidentsConfig stays this module's default

    default_site = "incidents.admin_site.AuditedAdminSite"
