"""Put back the audit trail's append-only triggers, as migration 0004 made them, after someone
with raw access to the database removed them (system check incidents.E002 says so). Nothing else
is touched: unapplying migrations to redo 0004 would drop every table made after it."""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from incidents.audit.verify import database_triggers_present

_migration = importlib.import_module("incidents.migrations.0004_audit_append_only")


class Command(BaseCommand):
    help = "Re-create the audit trail's append-only triggers (see system check incidents.E002)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, database: str, **options: Any) -> None:
        connection = connections[database]
        if connection.vendor not in _migration.TRIGGERS:
            raise CommandError(f"The audit trail's triggers are not written for {connection.vendor}.")
        with transaction.atomic(using=database), connection.cursor() as cursor:
            for which in ("drop", "create"):  # drop first: a half-removed set is made whole
                for statement in _migration.TRIGGERS[connection.vendor][which]:
                    cursor.execute(statement)
        if not database_triggers_present(database):
            raise CommandError("The triggers could not be re-created.")
        self.stdout.write("The audit trail's append-only triggers are in place again.")
