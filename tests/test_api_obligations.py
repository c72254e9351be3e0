"""The clocks over the API: deadlines in UTC and on the local clock, filters, met and waived."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import User

from incidents.models import ObligationStatus
from tests.api_support import api_as, error_of
from tests.builders import confirmed, facts
from tests.factories import incident_logged, register_made
from tests.moments import HOUR, T0


def test_an_obligation_shows_its_deadline_in_utc_and_on_the_local_clock(lead: User) -> None:
    incident = confirmed(incident_logged(actor=lead), lead)
    with time_machine.travel(T0 + HOUR, tick=False):
        body = api_as(lead).get(f"/api/incidents/{incident.reference}/obligations/").json()
    (art33,) = body["results"]
    assert art33["code"] == "gdpr-33-1"
    assert art33["incident"] == {"id": incident.pk, "reference": incident.reference}
    assert art33["status"] == ObligationStatus.PENDING
    assert art33["start_at"] == "2026-03-27T08:00:00Z"
    # 72 continuous hours; on the wall clock 11:00, as summer time began in between.
    assert art33["deadline"] == {
        "utc": "2026-03-30T08:00:00Z",
        "local": "2026-03-30T11:00:00+03:00",
        "time_zone": "Europe/Helsinki",
        "overdue": False,
        "provisional": False,
    }


def test_a_passed_deadline_is_overdue_until_it_is_sent_and_then_shows_sent_late(lead: User) -> None:
    incident = confirmed(incident_logged(actor=lead), lead)
    client = api_as(lead)
    with time_machine.travel(T0 + 73 * HOUR, tick=False):
        (art33,) = client.get("/api/obligations/?status=open").json()["results"]
        assert art33["deadline"]["overdue"] is True
        response = client.post(
            f"/api/obligations/{art33['id']}/met/",
            {"met_at": "2026-03-30T09:00:00Z", "note": "Online form, late", "complete": True},
            format="json",
        )
    body = response.json()
    assert (body["status"], body["met_at"], body["closed_by"]) == ("late", "2026-03-30T09:00:00Z", "alice")
    assert (body["deadline"]["overdue"], body["delay_reason"]) == (False, "")
    assert incident.obligations.get().status == ObligationStatus.LATE


def test_obligations_are_filtered_by_status_and_deadline(lead: User) -> None:
    early = confirmed(incident_logged(actor=lead), lead)
    confirmed(incident_logged(actor=lead, now=T0 + 24 * HOUR), lead, now=T0 + 24 * HOUR)
    client = api_as(lead)
    with time_machine.travel(T0 + 25 * HOUR, tick=False):
        all_open = client.get("/api/obligations/?status=open").json()
        assert [o["incident"]["reference"] for o in all_open["results"]] == [early.reference, "INC-2026-0002"]
        soon = client.get("/api/obligations/?status=open&due_before=2026-03-31T00:00:00Z").json()
        assert [o["incident"]["reference"] for o in soon["results"]] == [early.reference]
        assert client.get("/api/obligations/?status=met").json()["count"] == 0
        assert client.get(f"/api/obligations/?incident={early.reference}").json()["count"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=overdue", "status"), ("due_before=tomorrow", "due_before"), ("sort=due", "sort")],
)
def test_a_bad_filter_is_named(lead: User, query: str, field: str) -> None:
    response = api_as(lead).get(f"/api/obligations/?{query}")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]


def test_only_the_dpo_waives_and_a_reason_is_needed(lead: User, dpo: User) -> None:
    incident = confirmed(incident_logged(actor=lead), lead)
    art33 = incident.obligations.get()
    response = api_as(lead).post(
        f"/api/obligations/{art33.pk}/waive/", {"reason": "Duplicate."}, format="json"
    )
    assert response.status_code == 403
    assert error_of(response)["message"] == "Role: this needs a Data protection officer."
    as_dpo = api_as(dpo)
    response = as_dpo.post(f"/api/obligations/{art33.pk}/waive/", {}, format="json")
    assert error_of(response)["fields"] == {"reason": ["This field is required."]}
    response = as_dpo.post(
        f"/api/obligations/{art33.pk}/waive/", {"reason": "Duplicate of INC-2026-0007."}, format="json"
    )
    assert (response.json()["status"], response.json()["waived_reason"]) == (
        "waived",
        "Duplicate of INC-2026-0007.",
    )
    response = as_dpo.post(f"/api/obligations/{art33.pk}/waive/", {"reason": "Again."}, format="json")
    assert response.status_code == 400
    assert error_of(response)["message"] == "This obligation is already waived."


def test_a_notice_cannot_be_recorded_as_sent_in_the_future(lead: User) -> None:
    incident = confirmed(incident_logged(actor=lead), lead)
    with time_machine.travel(T0 + HOUR, tick=False):
        response = api_as(lead).post(
            f"/api/obligations/{incident.obligations.get().pk}/met/",
            {"met_at": "2026-03-28T08:00:00Z", "note": "Form"},
            format="json",
        )
    assert error_of(response)["fields"] == {"met_at": ["Sent at: cannot be in the future."]}


def test_an_unknown_obligation_is_404(lead: User) -> None:
    response = api_as(lead).post("/api/obligations/999/met/", {"met_at": "x", "note": "y"}, format="json")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_processor_deadline_names_its_recipient(lead: User) -> None:
    from incidents.models import Organisation

    register = register_made(controller__name="Asiakas Oy")
    incident = incident_logged(actor=lead, register=register, detected_at=T0, now=T0)
    processor = Organisation.objects.create(name="Palvelu Oy", role=Organisation.Role.PROCESSOR)
    confirmed(facts(incident, lead, organisation=processor), lead)
    (notice,) = api_as(lead).get(f"/api/incidents/{incident.pk}/obligations/").json()["results"]
    assert notice["recipient"].endswith(": Asiakas Oy")
