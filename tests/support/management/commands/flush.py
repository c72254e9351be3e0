"""Django's flush, able to empty the audit trail between tests that commit their data.

Only in tests (tests.settings): in the product, flush is refused by the append-only triggers,
as it should be. After emptying, the data the migrations seed (the role groups) is put back.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.commands import flush

from tests.support.triggers import triggers_dropped


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with triggers_dropped(options["database"]):
            super().handle(**options)
        importlib.import_module("incidents.migrations.0002_roles").create_roles(apps, None)
