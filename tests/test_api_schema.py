"""The OpenAPI schema: served at /api/schema/, naming every endpoint, and valid OpenAPI 3."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command

from incidents.api.views.notices import STEPS as NOTICE_STEPS
from incidents.lifecycle.steps import STEPS
from tests.api_support import api_as


def test_the_schema_names_every_endpoint(auditor: User) -> None:
    response = api_as(auditor).get("/api/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/incidents/",
        "/api/incidents/{key}/",
        *(f"/api/incidents/{{key}}/transitions/{step}/" for step in STEPS),
        "/api/incidents/{key}/obligations/",
        "/api/obligations/",
        "/api/obligations/{obligation_id}/met/",
        "/api/obligations/{obligation_id}/waive/",
        "/api/obligations/{obligation_id}/delay-reason/",
        "/api/incidents/{key}/assessments/",
        "/api/incidents/{key}/decision-review/",
        "/api/incidents/{key}/notices/",
        "/api/notices/{notice_id}/",
        "/api/notices/{notice_id}/document/",
        "/api/notices/{notice_id}/merges/",
        "/api/merges/{merge_id}/",
        "/api/merges/{merge_id}/result/",
        "/api/merges/{merge_id}/sent/",
        *(f"/api/notices/{{notice_id}}/transitions/{step}/" for step in NOTICE_STEPS),
        "/api/notices/{notice_id}/sent/",
        "/api/registers/",
        "/api/registers/{id}/",
        "/api/organisations/",
        "/api/breach-record/",
        "/api/tokens/current/",
    }
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    # Each step is documented with its own inputs: reopen asks for a reason, confirm for none.
    inputs = schema["components"]["schemas"]
    assert inputs["ReopenInputRequest"]["required"] == ["reason"]
    assert "required" not in inputs["ConfirmInputRequest"]
    assert api_as(auditor).get("/api/schema/?format=yaml").content.startswith(b"openapi: 3.")


def test_the_schema_validates_without_warnings() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out, stderr=out)


def test_the_schema_says_what_may_be_null_and_how_long_a_page_is(auditor: User) -> None:
    schema = api_as(auditor).get("/api/schema/").json()
    incident = schema["components"]["schemas"]["Incident"]["properties"]
    assert incident["aware_at"]["nullable"] is True and incident["closed_at"]["nullable"] is True
    assert "nullable" not in incident["detected_at"]
    # Undecided is null, not "" (which its enum does not hold).
    assert incident["risk_decision"]["nullable"] is True
    parameters = {p["name"]: p for p in schema["paths"]["/api/incidents/"]["get"]["parameters"]}
    page_size = parameters["page_size"]["schema"]
    assert (page_size["minimum"], page_size["maximum"]) == (1, 200)
    assert "400" in schema["paths"]["/api/incidents/"]["get"]["responses"]


def test_an_undecided_incident_answers_null_for_its_decision(lead: User) -> None:
    body = (
        api_as(lead)
        .post(
            "/api/incidents/",
            {"title": "t", "description": "d", "detected_at": "2026-03-27T07:00:00Z"},
            format="json",
        )
        .json()
    )
    assert body["risk_decision"] is None and body["art34_exception"] is None
    assert body["aware_at"] is None


def test_a_page_size_past_the_most_is_refused_not_shortened(auditor: User) -> None:
    api = api_as(auditor)
    assert api.get("/api/incidents/", {"page_size": "200"}).status_code == 200
    response = api.get("/api/registers/", {"page_size": "201"})
    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]
