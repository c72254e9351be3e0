"""What the API reads of the registers and the organisations they name."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from incidents.models import DataItem, Organisation, Register


def registers_for_api() -> QuerySet[Register]:
    """Registers by name, each with its controller, joint controllers and data items, so that a
    page of them costs the same few queries however many registers it holds."""
    return (
        Register.objects.select_related("controller")
        .prefetch_related(
            Prefetch("joint_controllers", queryset=Organisation.objects.order_by("name", "pk")),
            Prefetch("data_items", queryset=DataItem.objects.order_by("position", "pk")),
        )
        .order_by("name", "pk")
    )


def organisations_for_api() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name", "pk")
