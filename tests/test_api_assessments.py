"""POST and GET /api/incidents/{key}/assessments/: the ENISA assessment as other tools record it."""

from __future__ import annotations

import json

from django.contrib.auth.models import User

from incidents.models import Incident
from tests.api_support import api_as, error_of
from tests.builders import confirmed, events
from tests.factories import incident_logged, patient_register

ANSWERS = {
    "dpc_adjustments": [{"step": 1, "reason": "About 12,000 patients"}],
    "ease_of_identification": "maximum",
    "confidentiality": "unknown_recipients",
    "integrity": "none",
    "availability": "temporary",
    "malicious": True,
    "vulnerable_subjects": False,
}


def _health_incident(lead: User) -> Incident:
    return confirmed(incident_logged(actor=lead, register=patient_register()), lead)


def test_an_assessment_answers_201_with_the_numbers_the_proposal_and_the_reasons(lead: User) -> None:
    incident = _health_incident(lead)
    response = api_as(lead).post(f"/api/incidents/{incident.reference}/assessments/", ANSWERS, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    # Health data is sensitive (DPC 4), one step up stays at 4; EI 1; CB 0.5 + 0.25 + 0.5 = 1.25.
    assert {
        key: body[key] for key in ("version", "dpc_base", "dpc", "ei", "cb", "score", "band", "proposal")
    } == {
        "version": 1,
        "dpc_base": 4,
        "dpc": 4,
        "ei": 1.0,
        "cb": 1.25,
        "score": 5.25,
        "band": "very_high",
        "proposal": "high",
    }
    assert body["art34_exceptions"] == ["a", "b", "c"]
    assert body["reasons"][0] == "Terveystiedot: Sensitive (DPC 4) → DPC 4"
    assert "About 12,000 patients: DPC +1, kept within 1 to 4 → DPC 4" in body["reasons"]
    assert "SE = DPC × EI + CB = 4 × 1 + 1.25 = 5.25: severity very high" in body["reasons"]
    recorded = json.loads(events("assessment.recorded").get().data)
    assert (recorded["version"], recorded["proposal"], recorded["score"]) == (1, "high", 5.25)


def test_each_new_assessment_is_a_new_version_and_the_earlier_ones_stay(lead: User, dpo: User) -> None:
    incident = _health_incident(lead)
    path = f"/api/incidents/{incident.reference}/assessments/"
    api_as(lead).post(path, ANSWERS, format="json")
    api_as(dpo).post(path, {**ANSWERS, "confidentiality": "none", "malicious": False}, format="json")
    versions = api_as(lead).get(path).json()
    assert [(v["version"], v["created_by"], v["score"]) for v in versions] == [
        (1, "alice", 5.25),
        (2, "bob", 4.25),
    ]


def test_the_reasons_come_in_the_language_of_the_request(lead: User) -> None:
    incident = _health_incident(lead)
    client = api_as(lead)
    response = client.post(
        f"/api/incidents/{incident.reference}/assessments/", ANSWERS, format="json", HTTP_ACCEPT_LANGUAGE="fi"
    )
    reasons = response.json()["reasons"]
    assert reasons[-1].startswith("Arvioitavat 34 artiklan 3 kohdan poikkeukset")


def test_an_unconfirmed_incident_is_not_assessed_and_the_error_names_the_field(lead: User) -> None:
    incident = incident_logged(actor=lead)
    response = api_as(lead).post(f"/api/incidents/{incident.reference}/assessments/", ANSWERS, format="json")
    assert response.status_code == 400
    assert "incident" in error_of(response)["fields"]
    assert not incident.assessments.exists()


def test_bad_answers_are_refused_by_the_field_they_are_in(lead: User) -> None:
    incident = _health_incident(lead)
    path = f"/api/incidents/{incident.reference}/assessments/"
    for field, value in (
        ("ease_of_identification", "total"),
        ("dpc_adjustments", [{"step": 2, "reason": "x"}]),
    ):
        response = api_as(lead).post(path, {**ANSWERS, field: value}, format="json")
        assert response.status_code == 400, field
        assert any(name.split(".")[0] == field for name in error_of(response)["fields"]), field
    assert not incident.assessments.exists()


def test_an_auditor_reads_the_assessments_but_cannot_record_one(lead: User, auditor: User) -> None:
    incident = _health_incident(lead)
    path = f"/api/incidents/{incident.reference}/assessments/"
    assert api_as(auditor).post(path, ANSWERS, format="json").status_code == 403
    assert api_as(auditor).get(path).status_code == 200
