"""Who may call the API: tokens, roles as in the UI, and the one error format for refusals."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.api.tokens import api_token_issue
from incidents.audit.context import SYSTEM
from incidents.models import Incident
from tests.api_support import api_as, error_of, token_for
from tests.factories import incident_logged
from tests.moments import T0

INTAKE = {"title": "Alert", "description": "From the SIEM.", "detected_at": "2026-03-27T07:00:00Z"}


@pytest.fixture
def incident(lead: User) -> Incident:
    return incident_logged(actor=lead, detected_at=T0, now=T0)


def reads(incident: Incident) -> list[str]:
    return [
        "/api/incidents/",
        f"/api/incidents/{incident.reference}/",
        f"/api/incidents/{incident.reference}/obligations/",
        f"/api/incidents/{incident.reference}/assessments/",
        "/api/obligations/",
        "/api/registers/",
        f"/api/registers/{incident.affected.get().register_id}/",
        "/api/organisations/",
        "/api/breach-record/",
        "/api/schema/",
    ]


def writes(incident: Incident) -> list[tuple[str, str, dict]]:
    return [
        ("post", "/api/incidents/", INTAKE),
        ("patch", f"/api/incidents/{incident.reference}/", {"title": "Changed"}),
        ("post", f"/api/incidents/{incident.reference}/transitions/start_triage/", {}),
        ("post", "/api/obligations/1/met/", {"met_at": "2026-03-27T07:00:00Z", "note": "x"}),
        ("post", "/api/obligations/1/waive/", {"reason": "x"}),
        ("post", "/api/obligations/1/delay-reason/", {"reason": "x"}),
        ("post", f"/api/incidents/{incident.reference}/assessments/", {}),
    ]


def test_without_a_token_every_call_is_401_json_not_a_login_redirect(incident: Incident) -> None:
    client = APIClient()
    for address in reads(incident):
        response = client.get(address)
        assert response.status_code == 401, address
        assert response["WWW-Authenticate"] == "Token"
        assert error_of(response)["code"] == "not_authenticated"
    response = client.post("/api/incidents/", INTAKE, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Token bc_0000000000000000", "Token", "Token a b", "Token ÿÿÿ"])
def test_a_wrong_token_is_401(incident: Incident, header: str) -> None:
    response = APIClient().get("/api/incidents/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_an_expired_token_stops_working(lead: User) -> None:
    _row, secret = api_token_issue(user=lead, actor=SYSTEM, ttl=dt.timedelta(days=1), now=timezone.now())
    client = APIClient(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get("/api/incidents/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert client.get("/api/incidents/").status_code == 401


def test_a_user_with_no_role_gets_403_on_everything(outsider: User, lead: User, incident: Incident) -> None:
    # A role taken away after the token was issued: the token still authenticates, but allows nothing.
    client = api_as(lead)
    lead.groups.clear()
    for address in reads(incident):
        response = client.get(address)
        assert response.status_code == 403, address
        assert error_of(response)["message"] == (
            "Role: this needs a Security lead or Data protection officer or Auditor."
        )
    for method, address, body in writes(incident):
        assert getattr(client, method)(address, body, format="json").status_code == 403, address
    assert Incident.objects.count() == 1


def test_a_token_is_not_issued_to_a_user_without_a_role(outsider: User) -> None:
    from incidents.errors import DomainError

    with pytest.raises(DomainError, match="mallory has no role"):
        token_for(outsider)


def test_an_auditor_reads_everything_and_changes_nothing(auditor: User, incident: Incident) -> None:
    client = api_as(auditor)
    for address in reads(incident):
        assert client.get(address).status_code == 200, address
    for method, address, body in writes(incident):
        response = getattr(client, method)(address, body, format="json")
        assert response.status_code == 403, address
        assert error_of(response)["code"] == "permission_denied"
    incident.refresh_from_db()
    assert (incident.title, incident.state, Incident.objects.count()) == (
        "Laptop stolen from a car",
        "reported",
        1,
    )


def test_a_signed_in_browser_reads_with_its_session_and_writes_only_with_csrf(lead: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(lead)
    assert browser.get("/api/incidents/").status_code == 200
    response = browser.post("/api/incidents/", INTAKE, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]
    assert not Incident.objects.exists()


def test_an_unknown_address_under_api_is_404_json(lead: User) -> None:
    response = api_as(lead).get("/api/nothing/here/")
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such API endpoint: /api/nothing/here/"


def test_a_caller_revokes_its_own_token(auditor: User) -> None:
    client = api_as(auditor)
    assert client.delete("/api/tokens/current/").status_code == 204
    assert client.get("/api/incidents/").status_code == 401


def test_a_token_call_to_an_unknown_address_is_404_json_not_a_csrf_page(lead: User) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token_for(lead)}")
    response = client.post("/api/nothing/here/", INTAKE, content_type="application/json")
    assert response.status_code == 404
    assert error_of(response)["message"] == "No such API endpoint: /api/nothing/here/"


def test_a_server_error_under_api_answers_in_the_apis_error_shape(
    lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from incidents.api.views import incidents as views

    def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")  # a fault, as the server would meet it

    monkeypatch.setattr(views.IncidentListView, "get", failing)
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token_for(lead)}")
    response = client.get("/api/incidents/")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error" and "logged" in error["message"]
    assert "database went away" not in response.content.decode()  # nothing of the failure leaks
