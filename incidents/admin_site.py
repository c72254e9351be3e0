"""Django admin, with every admin act in the audit trail.

The admin writes its own log through ``ModelAdmin.log_addition`` / ``log_change`` /
``log_deletions``; a deletion of several objects at once writes those log entries with
``bulk_create``, which sends no signal, so the trail listens at those methods instead of on the
log's rows. Every ModelAdmin registered on this site (Django's own user and group admins too) gets
that listening mixed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.http import HttpRequest

_ADMIN_ACTIONS = {ADDITION: "admin.added", CHANGE: "admin.changed", DELETION: "admin.deleted"}


def _entries_record(request: HttpRequest, entries: LogEntry | Iterable[LogEntry]) -> None:
    from django.contrib.contenttypes.models import ContentType

    from incidents.audit.context import actor_of
    from incidents.audit.record import audit_record_now

    actor = actor_of(request.user, request)
    for entry in [entries] if isinstance(entries, LogEntry) else entries:
        content_type = (
            ContentType.objects.get_for_id(entry.content_type_id) if entry.content_type_id else None
        )
        audit_record_now(
            action=_ADMIN_ACTIONS.get(entry.action_flag, "admin.other"),
            actor=actor,
            object_type=f"{content_type.app_label}.{content_type.model}" if content_type else None,
            object_id=entry.object_id,
            data={"object": entry.object_repr, "change": entry.get_change_message()},
        )


class AuditedModelAdmin(admin.ModelAdmin):
    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_addition(request, obj, message)
        _entries_record(request, entry)
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        _entries_record(request, entry)
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        entries = super().log_deletions(request, queryset)
        _entries_record(request, entries)
        return entries


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedModelAdmin):
            base = type(base.__name__, (AuditedModelAdmin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)
