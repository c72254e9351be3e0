"""Acts on registers: what a register holds, as the audit trail records it, and editing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from incidents.audit import audit_record
from incidents.models import DataItem, Register
from incidents.registers.classification import DataClass, data_item_classify
from incidents.roles import Permission, require

# The fields a user edits and the audit trail compares, in the order they are shown.
REGISTER_FIELDS = (
    "name",
    "contact_person",
    "contact_email",
    "contact_phone",
    "purpose",
    "legal_basis",
    "data_subjects",
    "sources",
    "disclosures",
    "transfers_outside_eea",
    "transfers_details",
    "retention",
    "security_measures",
    "estimated_data_subjects",
)


@dataclass(frozen=True)
class DataItemValues:
    text: str
    data_class: DataClass
    special_category: bool
    henkilotunnus: bool
    # What the rules suggest for the item where it stands (under its group heading, say); None:
    # suggest from its own words.
    suggested_class: DataClass | None = field(default=None, compare=False)

    def describe(self) -> str:
        flags = [self.data_class.code]
        if self.special_category:
            flags.append("special category")
        if self.henkilotunnus:
            flags.append("henkilötunnus")
        return f"{self.text} ({', '.join(flags)})"


def data_items_of(register: Register) -> list[DataItemValues]:
    return [
        DataItemValues(
            item.text,
            DataClass(item.data_class),
            item.special_category,
            item.henkilotunnus,
            DataClass(item.suggested_class),
        )
        for item in register.data_items.all()
    ]


def register_snapshot(register: Register) -> dict[str, Any]:
    """The register as plain values, for before/after comparison in the audit trail."""
    snapshot: dict[str, Any] = {name: getattr(register, name) for name in REGISTER_FIELDS}
    snapshot["controller"] = register.controller.name if register.controller else None
    snapshot["joint_controllers"] = (
        sorted(register.joint_controllers.values_list("name", flat=True)) if register.pk else []
    )
    snapshot["data_items"] = [item.describe() for item in data_items_of(register)] if register.pk else []
    return snapshot


def snapshot_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def data_items_replace(register: Register, items: Sequence[DataItemValues]) -> None:
    """Replace the register's items; each keeps the class the rules suggest for it beside the
    class it is given, so a user's correction stays visible as one."""
    register.data_items.all().delete()
    DataItem.objects.bulk_create(
        DataItem(
            register=register,
            position=position,
            text=item.text,
            data_class=item.data_class,
            suggested_class=item.suggested_class or data_item_classify(item.text).data_class,
            special_category=item.special_category,
            henkilotunnus=item.henkilotunnus,
        )
        for position, item in enumerate(items)
    )


def register_update(
    *,
    actor: AbstractBaseUser | AnonymousUser,
    register: Register,
    values: Mapping[str, Any],
    items: Sequence[DataItemValues],
    now: dt.datetime,
    request: HttpRequest | None = None,
) -> dict[str, list[Any]]:
    """Save a user's edit of a register and record what changed, before and after."""
    require(actor, Permission.MANAGE_REGISTERS)
    with transaction.atomic():
        locked = Register.objects.select_for_update().get(pk=register.pk)
        before = register_snapshot(locked)
        for name in REGISTER_FIELDS:
            if name in values:
                setattr(locked, name, values[name])
        locked.save()
        data_items_replace(locked, items)
        changes = snapshot_changes(before, register_snapshot(locked))
        if changes:
            audit_record(
                action="register.changed",
                actor=actor,
                request=request,
                obj=locked,
                data={"changes": changes},
                now=now,
            )
    return changes


def registers_search(query: str) -> QuerySet[Register]:
    registers = Register.objects.select_related("controller").prefetch_related("data_items")
    for word in query.split():
        registers = registers.filter(
            Q(name__icontains=word)
            | Q(controller__name__icontains=word)
            | Q(controller__business_id__icontains=word)
            | Q(joint_controllers__name__icontains=word)
            | Q(purpose__icontains=word)
            | Q(data_items__text__icontains=word)
        )
    return registers.distinct().order_by("name", "pk")
