"""factory_boy factories for the domain objects tests need."""

from __future__ import annotations

import datetime as dt
from typing import cast

import factory

from incidents.models import DataItem, Incident, Organisation, Register
from tests.moments import HOUR, T0


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Esimerkki Oy {n}")
    role = Organisation.Role.CONTROLLER


class RegisterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Register
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Asiakasrekisteri {n}")
    controller = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def items(obj: Register, create: bool, extracted: list[tuple[str, int]] | None, **kwargs: object) -> None:
        for position, (text, data_class) in enumerate(extracted or [("Nimi", 1), ("Sähköpostiosoite", 1)]):
            DataItem.objects.create(
                register=obj, position=position, text=text, data_class=data_class, suggested_class=data_class
            )


def register_made(**kwargs: object) -> Register:
    """A register with its controller and two simple data items."""
    return cast(Register, RegisterFactory(**kwargs))


def patient_register(**kwargs: object) -> Register:
    """A patient register: its controller's simple items, and health data (a special category)."""
    register = register_made(name="Potilasrekisteri", **kwargs)
    DataItem.objects.create(
        register=register,
        position=5,
        text="Terveystiedot",
        data_class=4,
        suggested_class=4,
        special_category=True,
    )
    return register


def incident_logged(
    *,
    actor: object,
    register: Register | None = None,
    detected_at: dt.datetime | None = None,
    now: dt.datetime = T0,
    **kwargs: object,
) -> Incident:
    """An incident logged through the service at ``now``, as a user would; detected two hours
    before, unless ``detected_at`` says otherwise."""
    from incidents.services.incidents import incident_create

    register = register or register_made()
    return incident_create(
        actor=actor,  # type: ignore[arg-type]
        title=str(kwargs.pop("title", "Laptop stolen from a car")),
        description=str(kwargs.pop("description", "An unencrypted laptop with customer data was stolen.")),
        detected_at=now - 2 * HOUR if detected_at is None else detected_at,
        register_ids=[register.pk],
        now=now,
        **kwargs,  # type: ignore[arg-type]
    )
