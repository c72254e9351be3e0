"""The OpenAPI schema: served at /api/schema/, naming every endpoint, and valid OpenAPI 3."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command

from tests.api_support import api_as


def test_the_schema_names_every_endpoint(auditor: User) -> None:
    response = api_as(auditor).get("/api/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/incidents/",
        "/api/incidents/{key}/",
        "/api/incidents/{key}/transitions/{step}/",
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
        "/api/notices/{notice_id}/transitions/{step}/",
        "/api/notices/{notice_id}/sent/",
        "/api/registers/",
        "/api/registers/{id}/",
        "/api/organisations/",
        "/api/breach-record/",
        "/api/tokens/current/",
    }
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    assert api_as(auditor).get("/api/schema/?format=yaml").content.startswith(b"openapi: 3.")


def test_the_schema_validates_without_warnings() -> None:
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out, stderr=out)
