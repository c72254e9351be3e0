"""No page or API answer is kept by a browser or a proxy: each holds personal data or the facts of
a breach."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.api_support import api_as
from tests.conftest import signed_in
from tests.factories import incident_logged, register_made


@pytest.mark.django_db
def test_pages_and_api_answers_are_never_stored(lead: User) -> None:
    incident = incident_logged(actor=lead, register=register_made())
    answers = [
        signed_in(lead).get("/"),
        signed_in(lead).get(f"/incidents/{incident.pk}/"),
        signed_in(lead).get("/registers/"),
        api_as(lead).get(f"/api/incidents/{incident.reference}/"),
        api_as(lead).get("/api/nothing/"),
        Client().get("/accounts/login/"),
    ]
    for response in answers:
        assert response.status_code in (200, 404), response
        assert "no-store" in response["Cache-Control"], response
        assert "private" in response["Cache-Control"]
