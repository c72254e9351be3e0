"""What the API reads of the clocks."""

from __future__ import annotations

from django.db.models import F, QuerySet

from incidents.models import Obligation


def obligations_for_api() -> QuerySet[Obligation]:
    # Soonest deadline first; clocks that have not started yet (no deadline) last.
    return Obligation.objects.select_related("template", "incident", "closed_by").order_by(
        F("due_at").asc(nulls_last=True), "template__position", "pk"
    )
