"""Registers and organisations over the API: a register whole, with its data classified for the
ENISA method; lists by name at a constant cost; every role reads, no one else."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from incidents.models import DataItem, Organisation, Register
from tests.api_support import api_as, error_of
from tests.factories import OrganisationFactory, RegisterFactory

# The token (two), the role (two), the count, the page, its joint controllers and its data items:
# none of them once per register.
QUERIES_PER_PAGE = 8


def _items(register: Register, *rows: tuple[str, int, dict[str, bool]]) -> list[DataItem]:
    return [
        DataItem.objects.create(
            register=register, position=position, text=text, data_class=dpc, suggested_class=dpc, **flags
        )
        for position, (text, dpc, flags) in enumerate(rows)
    ]


@pytest.fixture
def patients(db: None) -> Register:
    """A clinic's patient register: a health item (GDPR Art. 9) and the henkilötunnus among its data."""
    register = Register.objects.create(
        name="Potilasrekisteri",
        controller=Organisation.objects.create(name="Klinikka Oy", business_id="1234567-1"),
        contact_person="Tietosuojavastaava",
        contact_email="tietosuoja@klinikka.example",
        contact_phone="+358 9 123 4567",
        purpose="Potilaan hoidon järjestäminen.",
        legal_basis="Lakisääteinen velvoite (potilaslaki 785/1992).",
        data_subjects="Klinikan potilaat.",
        sources="Potilaalta itseltään ja hoitavalta lääkäriltä.",
        disclosures="Kelalle lain nojalla.",
        transfers_outside_eea=Register.Transfers.NONE,
        transfers_details="Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.",
        retention="12 vuotta potilaan kuolemasta.",
        security_measures="Pääsy vain hoitohenkilökunnalla, lokitus.",
        estimated_data_subjects=4200,
    )
    register.joint_controllers.add(
        Organisation.objects.create(name="Laboratorio Oy", business_id="7654321-2")
    )
    _items(
        register,
        ("Nimi", 1, {}),
        ("Terveydentilatiedot", 4, {"special_category": True}),
        ("Henkilötunnus", 4, {"henkilotunnus": True}),
    )
    return register


def test_a_register_reads_whole_with_its_data_classified(lead: User, patients: Register) -> None:
    response = api_as(lead).get(f"/api/registers/{patients.pk}/")
    assert response.status_code == 200
    controller = patients.controller
    assert controller is not None
    joint = patients.joint_controllers.get()
    name, health, hetu = patients.data_items.order_by("position")
    assert response.json() == {
        "id": patients.pk,
        "name": "Potilasrekisteri",
        "controller": {"id": controller.pk, "name": "Klinikka Oy", "business_id": "1234567-1"},
        "joint_controllers": [{"id": joint.pk, "name": "Laboratorio Oy", "business_id": "7654321-2"}],
        "data_items": [
            {
                "id": name.pk,
                "text": "Nimi",
                "data_class": "simple",
                "dpc": 1,
                "special_category": False,
                "henkilotunnus": False,
            },
            {
                "id": health.pk,
                "text": "Terveydentilatiedot",
                "data_class": "sensitive",
                "dpc": 4,
                "special_category": True,
                "henkilotunnus": False,
            },
            {
                "id": hetu.pk,
                "text": "Henkilötunnus",
                "data_class": "sensitive",
                "dpc": 4,
                "special_category": False,
                "henkilotunnus": True,
            },
        ],
        "contact_person": "Tietosuojavastaava",
        "contact_email": "tietosuoja@klinikka.example",
        "contact_phone": "+358 9 123 4567",
        "purpose": "Potilaan hoidon järjestäminen.",
        "legal_basis": "Lakisääteinen velvoite (potilaslaki 785/1992).",
        "data_subjects": "Klinikan potilaat.",
        "sources": "Potilaalta itseltään ja hoitavalta lääkäriltä.",
        "disclosures": "Kelalle lain nojalla.",
        "transfers_outside_eea": "none",
        "transfers_details": "Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.",
        "retention": "12 vuotta potilaan kuolemasta.",
        "security_measures": "Pääsy vain hoitohenkilökunnalla, lokitus.",
        "estimated_data_subjects": 4200,
    }


def test_registers_are_listed_by_name_each_with_its_controllers_and_data(
    auditor: User, patients: Register
) -> None:
    RegisterFactory(name="Työnhakijarekisteri", controller=None, items=[("Ansioluettelo", 1)])
    RegisterFactory(name="Asiakasrekisteri", items=[("Tilinumero", 3), ("Ostohistoria", 2)])
    body = api_as(auditor).get("/api/registers/").json()
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert [register["name"] for register in body["results"]] == [
        "Asiakasrekisteri",
        "Potilasrekisteri",
        "Työnhakijarekisteri",
    ]
    customers, clinic, applicants = body["results"]
    assert set(clinic) == {"id", "name", "controller", "joint_controllers", "data_items"}
    assert clinic["joint_controllers"][0]["name"] == "Laboratorio Oy"
    assert [(item["text"], item["data_class"], item["dpc"]) for item in customers["data_items"]] == [
        ("Tilinumero", "financial", 3),
        ("Ostohistoria", "behavioural", 2),
    ]
    assert (applicants["controller"], applicants["joint_controllers"]) == (None, [])


@pytest.mark.parametrize("registers", [5, 30])
def test_a_page_of_registers_costs_the_same_few_queries_however_many_it_holds(
    lead: User, registers: int, django_assert_max_num_queries: Any
) -> None:
    partner = OrganisationFactory(name="Kumppani Oy")
    for register in RegisterFactory.create_batch(registers):
        register.joint_controllers.add(partner)
    client = api_as(lead)
    with django_assert_max_num_queries(QUERIES_PER_PAGE):
        body = client.get("/api/registers/").json()
    assert body["count"] == registers
    assert all(
        register["controller"] and register["joint_controllers"] and len(register["data_items"]) == 2
        for register in body["results"]
    )


def test_an_unknown_register_is_404_in_the_api_error_shape(lead: User) -> None:
    client = api_as(lead)
    for address in ("/api/registers/999999/", "/api/registers/99999999999999999999/"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert error_of(response) == {
            "code": "not_found",
            "message": "Not found.",
            "fields": {},
            "reasons": [],
        }
    # Not an id at all: no such address under /api/.
    response = client.get("/api/registers/potilasrekisteri/")
    assert (response.status_code, error_of(response)["code"]) == (404, "not_found")


def test_organisations_are_listed_by_name_with_their_role_scope_and_dpo(dpo: User) -> None:
    Organisation.objects.create(name="Yhteistyö Oy")
    bank = Organisation.objects.create(
        name="Esimerkkipankki Oyj",
        business_id="1234567-1",
        role=Organisation.Role.BOTH,
        nis2_scope=True,
        dora_scope=True,
        processor_notice_hours=12,
        dpo_name="Tiina Tietosuoja",
        dpo_email="dpo@pankki.example",
        dpo_phone="+358 40 123 4567",
    )
    body = api_as(dpo).get("/api/organisations/").json()
    assert [organisation["name"] for organisation in body["results"]] == [
        "Esimerkkipankki Oyj",
        "Yhteistyö Oy",
    ]
    assert body["results"][0] == {
        "id": bank.pk,
        "name": "Esimerkkipankki Oyj",
        "business_id": "1234567-1",
        "role": "both",
        "nis2_scope": True,
        "dora_scope": True,
        "processor_notice_hours": 12,
        "dpo_name": "Tiina Tietosuoja",
        "dpo_email": "dpo@pankki.example",
        "dpo_phone": "+358 40 123 4567",
    }
    assert body["results"][1]["processor_notice_hours"] is None


@pytest.mark.parametrize("persona", ["lead", "dpo", "auditor"])
def test_every_role_reads_registers_and_organisations(
    request: pytest.FixtureRequest, persona: str, patients: Register
) -> None:
    client = api_as(request.getfixturevalue(persona))
    for address in ("/api/registers/", f"/api/registers/{patients.pk}/", "/api/organisations/"):
        assert client.get(address).status_code == 200, address


def test_a_user_without_a_role_is_refused_and_an_anonymous_caller_asked_to_authenticate(
    outsider: User, patients: Register
) -> None:
    signed_in = APIClient()
    signed_in.force_login(outsider)
    anonymous = APIClient()
    for address in ("/api/registers/", f"/api/registers/{patients.pk}/", "/api/organisations/"):
        response = signed_in.get(address)
        assert response.status_code == 403, address
        assert error_of(response)["message"] == (
            "Role: this needs a Security lead or Data protection officer or Auditor."
        )
        response = anonymous.get(address)
        assert response.status_code == 401, address
        assert error_of(response)["code"] == "not_authenticated"
