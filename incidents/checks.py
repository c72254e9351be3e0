"""System checks for what Breachclock's guarantees rest on."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections


@register(Tags.database)
def audit_trail_checks(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Run by `manage.py check --database default` and by migrate."""
    messages: list[CheckMessage] = []
    for alias in databases or []:
        connection = connections[alias]
        if (
            connection.vendor == "sqlite"
            and connection.settings_dict["OPTIONS"].get("transaction_mode") != "IMMEDIATE"
        ):
            messages.append(
                Error(
                    "SQLite must open transactions IMMEDIATE, or concurrent audit writers could fork "
                    "the chain.",
                    id="incidents.E001",
                )
            )
        from incidents.audit.verify import database_triggers_present

        if "incidents_auditevent" in connection.introspection.table_names() and not database_triggers_present(
            alias
        ):
            messages.append(
                Error(
                    "The audit trail's append-only triggers are missing.",
                    hint="Re-create them: manage.py audit_triggers_restore (never by unapplying "
                    "migrations, which would drop every table made after them)",
                    id="incidents.E002",
                )
            )
    return messages
