"""Django's flush, able to empty the audit trail between tests that commit their data.

Only in tests (tests.settings): in the product, flush is refused by the append-only triggers,
as it should be. After emptying, the data the migrations seed is put back: the role groups with
their migration's own code, the obligation templates as they were before the flush (every later
migration that corrects them included).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.core.management.commands import flush
from django.db import connections

from incidents.models import ObligationTemplate
from tests.support.triggers import triggers_dropped

# The data the migrations seed and that the migrations' own code puts back.
SEEDS = (("0002_roles", "create_roles"),)


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        templates = list(ObligationTemplate.objects.using(database).order_by("pk").values())
        with triggers_dropped(database):
            super().handle(**options)
        for module, seed in SEEDS:
            getattr(importlib.import_module(f"incidents.migrations.{module}"), seed)(apps, None)
        # Rows first, then the stage each starts after (a row may point to a later one).
        ObligationTemplate.objects.using(database).bulk_create(
            [ObligationTemplate(**{**row, "start_after_id": None}) for row in templates]
        )
        for row in templates:
            if row["start_after_id"] is not None:
                ObligationTemplate.objects.using(database).filter(pk=row["id"]).update(
                    start_after_id=row["start_after_id"]
                )
        # The rows came with their ids: a template made later must not be given one of them.
        connection = connections[database]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [ObligationTemplate]):
                cursor.execute(sql)
