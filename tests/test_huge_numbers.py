"""Numbers past what the database holds (2^63 for an id, 2^31 for a count or a version): in an
address they are no such page, in a form or an API body a refusal that names the field; never a
server error, and nothing written."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from incidents.models import Incident
from tests.api_support import api_as, error_of
from tests.conftest import signed_in
from tests.factories import incident_logged, register_made
from tests.url_support import every_route

HUGE = 2**64
LONG_ID = "9" * 19  # past 2^63 - 1, the largest id


ROUTES = [route.route for route in every_route() if "<id:" in route.route]


def test_every_address_with_an_id_is_found_by_the_url_configuration() -> None:
    assert len(ROUTES) >= 25  # the pages' and the API's, so that the next test covers them all


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_an_id_past_the_database_is_no_such_page(lead: User, dpo: User, route: str) -> None:
    path = "/" + re.sub(r"<id:\w+>", LONG_ID, route)
    path = re.sub(r"<(?:str|slug):\w+>", "x", path)
    statuses = []
    for person in (lead, dpo):  # an act one role may not do is refused before anything is looked up
        client = api_as(person) if path.startswith("/api/") else signed_in(person)
        response = client.get(path)
        if response.status_code == 405:  # an act: asked as it is made
            response = client.post(path, {})
        statuses.append(response.status_code)
    assert 404 in statuses and set(statuses) <= {403, 404}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"registers": [HUGE]}, "registers.0"),
        ({"organisation": HUGE}, "organisation"),
    ],
)
def test_an_intake_with_a_number_past_the_database_names_the_field(
    lead: User, fields: dict[str, object], field: str
) -> None:
    body = {"title": "t", "description": "d", "detected_at": "2026-03-27T07:00:00Z", **fields}
    response = api_as(lead).post("/api/incidents/", body, format="json")
    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert not Incident.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"expected_version": HUGE, "title": "New"}, "expected_version"),
        ({"organisation": HUGE}, "organisation"),
        ({"registers": [{"id": 1, "approx_subjects": HUGE}]}, "registers"),
    ],
)
def test_a_change_with_a_number_past_the_database_names_the_field(
    lead: User, body: dict[str, object], field: str
) -> None:
    incident = incident_logged(actor=lead, register=register_made())
    api: APIClient = api_as(lead)
    response = api.patch(f"/api/incidents/{incident.reference}/", body, format="json")
    assert response.status_code == 400
    assert any(name.startswith(field) for name in error_of(response)["fields"])
    incident.refresh_from_db()
    assert incident.version == 1


@pytest.mark.django_db
def test_a_version_past_the_database_in_if_match_is_refused(lead: User) -> None:
    incident = incident_logged(actor=lead, register=register_made())
    response = api_as(lead).patch(
        f"/api/incidents/{incident.reference}/", {"title": "New"}, format="json", HTTP_IF_MATCH=f'"{HUGE}"'
    )
    assert response.status_code == 400
    assert "If-Match" in error_of(response)["fields"]


@pytest.mark.django_db
def test_an_incident_key_of_non_ascii_digits_is_no_such_incident(lead: User) -> None:
    assert api_as(lead).get("/api/incidents/²³/").status_code == 404
    assert api_as(lead).get(f"/api/incidents/{LONG_ID}/").status_code == 404


@pytest.mark.django_db
def test_json_nested_5000_deep_is_bad_json_in_the_apis_error_shape(lead: User) -> None:
    body = "[" * 5000 + "]" * 5000
    response = api_as(lead).post("/api/incidents/", body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_in_the_apis_error_shape(lead: User) -> None:
    body = '{"title": "' + "x" * (3 * 1024 * 1024) + '"}'
    response = api_as(lead).post("/api/incidents/", body, content_type="application/json")
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "too_large" and "MB" in error["message"]


@pytest.mark.django_db
def test_a_page_form_over_the_limit_is_told_in_the_layout_and_saves_nothing(lead: User) -> None:
    register = register_made()
    page = signed_in(lead)
    response = page.post(
        "/incidents/new/",
        {"title": "x" * (3 * 1024 * 1024), "description": "d", "registers": [register.pk]},
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert "Too much at once" in text and "MB" in text and "nothing of it was saved" in text
    assert 'action="/accounts/logout/"' in text  # the product's layout, with its navigation
    assert not Incident.objects.exists()


@pytest.mark.django_db
def test_a_form_of_more_fields_than_taken_is_told_in_the_layout(lead: User, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    fields = {f"field-{number}": "x" for number in range(60)}
    response = signed_in(lead).post("/incidents/new/", fields)
    assert response.status_code == 400
    text = response.content.decode()
    assert "more than 50 fields" in text and 'action="/accounts/logout/"' in text


@pytest.mark.django_db
def test_a_form_without_its_security_token_is_explained_in_the_layout(lead: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post("/incidents/new/", {"title": "t"})
    assert response.status_code == 403
    text = response.content.decode()
    assert "the page it was on is out of date" in text and 'class="main-nav"' in text
    assert not Incident.objects.exists()
