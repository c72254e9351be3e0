"""Intake from a SIEM or ticketing system, reading incidents, and changing their facts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from incidents.models import Incident, IncidentState, Register
from tests.api_support import api_as, error_of
from tests.factories import register_made

pytestmark = pytest.mark.usefixtures("frozen_at_t0")  # 10:00 in Helsinki (EET, +02:00)


@pytest.fixture
def api(lead: User) -> APIClient:
    return api_as(lead)


@pytest.fixture
def register(db: None) -> Register:
    return register_made(name="Asiakasrekisteri")


def intake(api: APIClient, **fields: object) -> dict:
    body = {
        "title": "EDR alert: exfiltration from CRM",
        "description": "Large outbound transfer from the CRM database server.",
        "detected_at": "2026-03-27T09:30:00+02:00",
        **fields,
    }
    response = api.post("/api/incidents/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_siem_logs_an_incident_against_a_register(api: APIClient, register: Register) -> None:
    body = intake(api, registers=[register.pk])
    assert body["reference"] == "INC-2026-0001"
    assert body["state"] == IncidentState.REPORTED
    assert body["detected_at"] == "2026-03-27T07:30:00Z"
    assert body["reporter"] == "alice"
    assert [r["name"] for r in body["registers"]] == ["Asiakasrekisteri"]
    assert register.controller is not None
    assert body["organisation"]["name"] == register.controller.name
    # Until confirmed, the clock counts 72 hours from detection, marked provisional.
    assert body["next_deadline"] == {
        "utc": "2026-03-30T07:30:00Z",
        "local": "2026-03-30T10:30:00+03:00",  # summer time has begun meanwhile
        "time_zone": "Europe/Helsinki",
        "overdue": False,
        "provisional": True,
    }
    confirm = next(step for step in body["steps"] if step["step"] == "confirm")
    assert confirm == {"step": "confirm", "allowed": True, "reasons": []}


def test_the_intake_answers_with_where_the_incident_lives(api: APIClient) -> None:
    response = api.post(
        "/api/incidents/",
        {"title": "Phishing", "description": "Reported by staff.", "detected_at": "2026-03-27T07:00:00Z"},
        format="json",
    )
    assert response["Location"] == "/api/incidents/INC-2026-0001/"
    assert response["ETag"] == '"1"'


def test_an_intake_without_registers_is_logged_but_cannot_be_confirmed_yet(api: APIClient) -> None:
    body = intake(api)
    assert body["registers"] == [] and body["organisation"] is None
    confirm = next(step for step in body["steps"] if step["step"] == "confirm")
    assert confirm["allowed"] is False
    assert confirm["reasons"] == [
        "Affected registers: name at least one register whose personal data was involved."
    ]


@pytest.mark.parametrize(
    ("fields", "field", "problem"),
    [
        ({"title": ""}, "title", "This field may not be blank."),
        ({"detected_at": "yesterday"}, "detected_at", "Give an ISO-8601 time"),
        ({"detected_at": "2026-03-27T09:30:00"}, "detected_at", "Give the time with its UTC offset"),
        ({"detected_at": "2026-02-30T09:30:00Z"}, "detected_at", "Give an ISO-8601 time"),
        ({"detected_at": "0001-01-01T00:30:00+02:00"}, "detected_at", "from the year 2000 to 2099"),
        ({"detected_at": "1999-12-31T23:59:59Z"}, "detected_at", "from the year 2000 to 2099"),
        ({"detected_at": "9999-12-31T23:59:59-05:00"}, "detected_at", "from the year 2000 to 2099"),
        ({"registers": ["x"]}, "registers.0", "Give a whole number."),
        ({"registers": [1, "2"]}, "registers.1", "Give a whole number."),
        # The JSON type the schema gives, not one that converts to it.
        ({"description": 5}, "description", "Give text."),
        ({"title": True}, "title", "Give text."),
        ({"organisation": "1"}, "organisation", "Give a whole number."),
        ({"severity": "high"}, "severity", "Unknown field"),
        ({"organisation": 999}, "organisation", "No such organisation."),
    ],
)
def test_bad_input_names_the_field_and_the_problem(
    api: APIClient, fields: dict, field: str, problem: str
) -> None:
    body = {"title": "t", "description": "d", "detected_at": "2026-03-27T07:00:00Z", **fields}
    response = api.post("/api/incidents/", body, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert problem in error["fields"][field][0]
    assert field in error["message"]
    assert not Incident.objects.exists()


def test_a_missing_field_is_named(api: APIClient) -> None:
    error = error_of(api.post("/api/incidents/", {"title": "t"}, format="json"))
    assert error["fields"] == {
        "description": ["This field is required."],
        "detected_at": ["This field is required."],
    }


def test_the_services_refusals_name_their_field(api: APIClient, register: Register) -> None:
    response = api.post(
        "/api/incidents/",
        {"title": "t", "description": "d", "detected_at": "2026-03-28T07:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert error_of(response) == {
        "code": "invalid",
        "message": "Detected at: cannot be in the future.",
        "fields": {"detected_at": ["Detected at: cannot be in the future."]},
        "reasons": [],
    }
    response = api.post(
        "/api/incidents/",
        {
            "title": "t",
            "description": "d",
            "detected_at": "2026-03-27T07:00:00Z",
            "registers": [register.pk, 999],
        },
        format="json",
    )
    assert error_of(response)["fields"] == {
        "registers": ["Affected registers: one of the registers does not exist."]
    }
    assert not Incident.objects.exists()


def test_a_body_that_is_not_json_is_refused_in_the_same_format(api: APIClient) -> None:
    response = api.post("/api/incidents/", "title=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"
    response = api.post("/api/incidents/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_incidents_are_read_by_reference_or_id_and_listed(api: APIClient, register: Register) -> None:
    first = intake(api, registers=[register.pk])
    intake(api, title="Lost phone", detected_at="2026-03-27T06:00:00Z")
    assert api.get("/api/incidents/INC-2026-0001/").json()["title"] == first["title"]
    assert api.get("/api/incidents/inc-2026-0001/").json()["id"] == first["id"]
    detail = api.get(f"/api/incidents/{first['id']}/")
    assert detail.json()["reference"] == "INC-2026-0001"
    assert detail["ETag"] == '"1"'
    listing = api.get("/api/incidents/").json()
    assert listing["count"] == 2
    assert [i["reference"] for i in listing["results"]] == ["INC-2026-0001", "INC-2026-0002"]
    assert set(listing["results"][0]) == {
        "id",
        "reference",
        "title",
        "state",
        "version",
        "detected_at",
        "aware_at",
        "next_deadline",
    }


def test_the_list_filters_by_state_and_refuses_an_unknown_one(api: APIClient, register: Register) -> None:
    first = intake(api, registers=[register.pk])
    intake(api)
    api.post(f"/api/incidents/{first['reference']}/transitions/confirm/", {}, format="json")
    confirmed = api.get("/api/incidents/?state=confirmed").json()
    assert [i["reference"] for i in confirmed["results"]] == [first["reference"]]
    assert api.get("/api/incidents/?open=false").json()["count"] == 0
    error = error_of(api.get("/api/incidents/?state=burning"))
    assert error["fields"]["state"] == ['"burning" is not a valid choice.']


def test_an_unknown_incident_is_404(api: APIClient) -> None:
    for address in ("/api/incidents/INC-2026-0099/", "/api/incidents/42/", "/api/incidents/nonsense/"):
        response = api.get(address)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


def test_facts_and_registers_change_in_one_act(api: APIClient, register: Register) -> None:
    body = intake(api)
    response = api.patch(
        f"/api/incidents/{body['reference']}/",
        {
            "expected_version": 1,
            "breach_confidentiality": True,
            "likely_consequences": "Phishing against customers.",
            "registers": [{"id": register.pk, "approx_subjects": 1200, "data_items": ["Nimi"]}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    changed = response.json()
    assert changed["breach_confidentiality"] is True
    assert changed["registers"] == [
        {
            "id": register.pk,
            "name": "Asiakasrekisteri",
            "data_items": ["Nimi"],
            "approx_subjects": 1200,
            "approx_records": None,
        }
    ]
    assert changed["version"] == 3


def test_a_patch_that_fails_half_way_changes_nothing(api: APIClient) -> None:
    body = intake(api)
    response = api.patch(
        f"/api/incidents/{body['reference']}/",
        {"measures": "Reset passwords", "registers": [{"id": 999}]},
        format="json",
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "registers": ["Affected registers: one of the registers does not exist."]
    }
    incident = Incident.objects.get()
    assert (incident.measures, incident.version) == ("", 1)


def test_read_only_facts_cannot_be_patched(api: APIClient) -> None:
    body = intake(api)
    response = api.patch(f"/api/incidents/{body['reference']}/", {"state": "closed"}, format="json")
    assert error_of(response)["fields"] == {"state": ["Unknown field: it cannot be set here."]}
    assert Incident.objects.get().state == IncidentState.REPORTED


@pytest.mark.parametrize("how", ["body", "if-match"])
def test_a_stale_version_is_409_and_overwrites_nothing(api: APIClient, dpo: User, how: str) -> None:
    body = intake(api)
    address = f"/api/incidents/{body['reference']}/"
    api_as(dpo).patch(address, {"title": "Exfiltration confirmed by EDR"}, format="json")
    if how == "body":
        response = api.patch(address, {"title": "False alarm?", "expected_version": 1}, format="json")
    else:
        response = api.patch(address, {"title": "False alarm?"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "changed_meanwhile"
    assert error["message"].startswith("Someone else changed INC-2026-0001 meanwhile.")
    assert Incident.objects.get().title == "Exfiltration confirmed by EDR"


def test_if_match_and_expected_version_must_agree(api: APIClient) -> None:
    body = intake(api)
    response = api.patch(
        f"/api/incidents/{body['reference']}/",
        {"title": "x", "expected_version": 1},
        format="json",
        HTTP_IF_MATCH='"2"',
    )
    assert error_of(response)["fields"] == {
        "expected_version": ["It differs from the If-Match header; give one version."]
    }
