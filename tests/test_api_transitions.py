"""Taking an incident through its lifecycle over the API: each step, its inputs and its refusals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from incidents.models import Incident, IncidentState
from tests.api_support import api_as, error_of
from tests.builders import ANSWERS
from tests.factories import incident_logged
from tests.moments import HOUR, T0


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def incident(lead: User) -> Incident:
    return incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0)


@pytest.fixture
def as_lead(lead: User) -> APIClient:
    return api_as(lead)


@pytest.fixture
def as_dpo(dpo: User) -> APIClient:
    return api_as(dpo)


def step(client: APIClient, incident: Incident, name: str, **inputs: object) -> tuple[int, dict]:
    response = client.post(f"/api/incidents/{incident.reference}/transitions/{name}/", inputs, format="json")
    return response.status_code, response.json()


def test_confirming_starts_the_72_hour_clock(as_lead: APIClient, incident: Incident) -> None:
    code, body = step(as_lead, incident, "confirm")
    assert code == 200
    assert (body["state"], body["aware_at"], body["version"]) == ("confirmed", "2026-03-27T08:00:00Z", 2)
    assert body["next_deadline"]["utc"] == "2026-03-30T08:00:00Z"
    assert body["next_deadline"]["provisional"] is False


def test_confirming_with_an_earlier_awareness_needs_a_reason(as_lead: APIClient, incident: Incident) -> None:
    code, body = step(as_lead, incident, "confirm", aware_at="2026-03-27T09:00:00+02:00")
    assert code == 400
    assert body["error"]["fields"] == {
        "aware_reason": ["Reason: say why the organisation was aware earlier."]
    }
    code, body = step(
        as_lead,
        incident,
        "confirm",
        aware_at="2026-03-27T09:00:00+02:00",
        aware_reason="The ticket showed rows.",
    )
    assert (code, body["aware_at"]) == (200, "2026-03-27T07:00:00Z")


def test_awareness_in_the_future_is_refused_naming_the_field(as_lead: APIClient, incident: Incident) -> None:
    code, body = step(as_lead, incident, "confirm", aware_at="2026-03-27T09:00:00Z", aware_reason="x")
    assert code == 400
    assert body["error"]["fields"] == {"aware_at": ["Aware at: cannot be in the future."]}
    assert Incident.objects.get().state == IncidentState.REPORTED


def test_a_refused_step_gives_every_reason_and_the_fields(as_lead: APIClient, incident: Incident) -> None:
    step(as_lead, incident, "confirm")
    code, body = step(as_lead, incident, "assess")
    assert code == 422
    reasons = [
        "Breach types: choose confidentiality, integrity and/or availability.",
        "Likely consequences: describe what could follow for the people concerned.",
        "Risk assessment: record it by the ENISA method first.",
    ]
    assert body["error"] == {
        "code": "transition_refused",
        "message": "Cannot record the assessment: " + "; ".join(reasons),
        "fields": {
            "breach_types": [reasons[0]],
            "likely_consequences": [reasons[1]],
            "assessment": [reasons[2]],
        },
        "reasons": reasons,
    }


def test_a_step_from_the_wrong_state_says_the_state(as_lead: APIClient, incident: Incident) -> None:
    code, body = step(as_lead, incident, "close")
    assert code == 422
    assert body["error"]["reasons"] == ["the incident is reported."]


def test_an_unknown_step_is_404(as_lead: APIClient, incident: Incident) -> None:
    code, body = step(as_lead, incident, "explode")
    assert code == 404
    assert body["error"]["message"].startswith("No such step: explode.")


def test_a_step_cannot_be_read(as_lead: APIClient, incident: Incident) -> None:
    response = as_lead.get(f"/api/incidents/{incident.reference}/transitions/confirm/")
    assert response.status_code == 405
    assert error_of(response) == {
        "code": "method_not_allowed",
        "message": 'Method "GET" not allowed.',
        "fields": {},
        "reasons": [],
    }


def assessed(as_lead: APIClient, incident: Incident) -> None:
    step(as_lead, incident, "confirm")
    as_lead.patch(
        f"/api/incidents/{incident.reference}/",
        {"breach_confidentiality": True, "likely_consequences": "Phishing against customers."},
        format="json",
    )
    answers = ANSWERS | {"confidentiality": "unknown_recipients"}
    assert (
        as_lead.post(f"/api/incidents/{incident.reference}/assessments/", answers, format="json").status_code
        == 201
    )
    assert step(as_lead, incident, "assess")[0] == 200


def test_only_the_dpo_decides(as_lead: APIClient, as_dpo: APIClient, incident: Incident) -> None:
    assessed(as_lead, incident)
    code, body = step(
        as_lead,
        incident,
        "decide",
        notify_authority="yes",
        notify_subjects="no",
        reason="Names and e-mail addresses.",
    )
    assert code == 403
    assert body["error"]["code"] == "permission_denied"
    assert body["error"]["message"] == "Role: this needs a Data protection officer."
    code, body = step(
        as_dpo,
        incident,
        "decide",
        notify_authority="yes",
        notify_subjects="no",
        reason="Names and e-mail addresses.",
    )
    assert (code, body["state"], body["decided_by"]) == (200, "decided", "bob")


def test_a_high_risk_decision_needs_a_target_for_the_data_subjects(
    as_lead: APIClient, as_dpo: APIClient, incident: Incident
) -> None:
    assessed(as_lead, incident)
    code, body = step(
        as_dpo, incident, "decide", notify_authority="yes", notify_subjects="yes", reason="Health data."
    )
    assert code == 422
    assert list(body["error"]["fields"]) == ["subjects_target_at"]
    code, body = step(as_dpo, incident, "decide", notify_authority="yes", notify_subjects="maybe", reason="x")
    assert body["error"]["fields"]["notify_subjects"] == ['"maybe" is not a valid choice.']
    code, body = step(
        as_dpo,
        incident,
        "decide",
        notify_authority="yes",
        notify_subjects="yes",
        reason="Health data.",
        subjects_target_at="2026-03-28T12:00:00+02:00",
    )
    assert (code, body["subjects_target_at"]) == (200, "2026-03-28T10:00:00Z")


def test_the_whole_path_to_closed(as_lead: APIClient, as_dpo: APIClient, incident: Incident) -> None:
    assessed(as_lead, incident)
    step(
        as_dpo,
        incident,
        "decide",
        notify_authority="yes",
        notify_subjects="no",
        reason="Names and e-mail addresses.",
    )
    assert step(as_lead, incident, "start_notifying")[1]["state"] == "notifying"
    code, body = step(as_lead, incident, "finish_notifying")
    assert body["error"]["fields"] == {
        "obligations": ["Obligations: every deadline must be met, or waived with a reason, first."]
    }
    (art33,) = as_lead.get(f"/api/incidents/{incident.reference}/obligations/").json()["results"]
    response = as_lead.post(
        f"/api/obligations/{art33['id']}/met/",
        {"met_at": "2026-03-27T08:00:00Z", "note": "Online form, case TSV/123/2026"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert step(as_lead, incident, "finish_notifying")[1]["state"] == "notified"
    code, body = step(as_lead, incident, "close")
    assert body["error"]["fields"] == {"measures": ["Measures: record the remediation done before closing."]}
    as_lead.patch(f"/api/incidents/{incident.reference}/", {"measures": "Disk encryption"}, format="json")
    code, body = step(as_lead, incident, "close")
    assert (code, body["state"], body["next_deadline"]) == (200, "closed", None)
    code, body = step(as_lead, incident, "reopen", reason="Further rows found.")
    assert (code, body["state"]) == (200, "triage")


def test_no_notification_leads_to_documented(
    as_lead: APIClient, as_dpo: APIClient, incident: Incident
) -> None:
    assessed(as_lead, incident)
    step(
        as_dpo, incident, "decide", notify_authority="no", notify_subjects="no", reason="Encrypted, key safe."
    )
    code, body = step(as_lead, incident, "start_notifying")
    assert code == 422
    assert body["error"]["reasons"] == [
        "No notification is due: record the incident as documented (Art. 33(5)) instead."
    ]
    assert step(as_lead, incident, "document")[1]["state"] == "documented"


def test_dismissing_needs_a_reason_and_triage_comes_first(as_lead: APIClient, incident: Incident) -> None:
    assert step(as_lead, incident, "start_triage")[1]["state"] == "triage"
    code, body = step(as_lead, incident, "dismiss")
    assert body["error"]["fields"] == {"reason": ["This field is required."]}
    code, body = step(as_lead, incident, "dismiss", reason="   ")
    assert (code, body["error"]["fields"]) == (400, {"reason": ["This field may not be blank."]})
    code, body = step(as_lead, incident, "dismiss", reason="Test data only.")
    assert (body["state"], body["dismissed_reason"]) == ("dismissed", "Test data only.")


def test_a_stale_step_is_409(as_lead: APIClient, as_dpo: APIClient, incident: Incident) -> None:
    step(as_dpo, incident, "start_triage")
    code, body = step(as_lead, incident, "confirm", expected_version=1)
    assert code == 409
    assert body["error"]["code"] == "changed_meanwhile"
    assert Incident.objects.get().state == IncidentState.TRIAGE
