"""The append-only triggers, taken from their migration, for tests that must get past them."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

_migration = importlib.import_module("incidents.migrations.0004_audit_append_only")


def _run(alias: str, which: str) -> None:
    connection = connections[alias]
    with connection.cursor() as cursor:
        for statement in _migration.TRIGGERS[connection.vendor][which]:
            cursor.execute(statement)


@contextmanager
def triggers_dropped(alias: str = "default") -> Iterator[None]:
    """What someone with raw access to the database could do: remove the triggers for a while."""
    _run(alias, "drop")
    try:
        yield
    finally:
        _run(alias, "create")
