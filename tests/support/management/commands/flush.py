"""Django's flush, able to empty the audit trail between tests that commit their data.

Only in tests (tests.settings): in the product, flush is refused by the append-only triggers,
as it should be. After emptying, the data the migrations seed (role groups, obligation
templates) is put back with their own code.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.commands import flush

from tests.support.triggers import triggers_dropped

# The data the migrations seed, put back with the migrations' own code.
SEEDS = (("0002_roles", "create_roles"), ("0007_obligation_templates", "seed"))


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with triggers_dropped(options["database"]):
            super().handle(**options)
        for module, seed in SEEDS:
            getattr(importlib.import_module(f"incidents.migrations.{module}"), seed)(apps, None)
