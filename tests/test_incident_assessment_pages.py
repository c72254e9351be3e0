"""The incident page: the data involved per affected register, and the risk assessment with its
suggestion, its reasons and its earlier versions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from incidents.models import Incident
from tests.builders import confirmed, fresh
from tests.conftest import refused_page, signed_in
from tests.factories import incident_logged, patient_register


def _patients(lead: User) -> Incident:
    register = patient_register(items=[("Nimi", 1), ("Puhelinnumero", 1)])
    return confirmed(incident_logged(actor=lead, register=register), lead)


def test_the_lead_records_which_data_items_were_involved_and_how_many_people(lead: User) -> None:
    incident = _patients(lead)
    row = incident.affected.get()
    response = signed_in(lead).post(
        f"/incidents/{incident.pk}/affected/{row.register_id}/",
        {
            f"affected-{row.register_id}-version": fresh(incident).version,
            f"affected-{row.register_id}-register": row.register_id,
            f"affected-{row.register_id}-data_items": ["Nimi", "Terveystiedot"],
            f"affected-{row.register_id}-approx_subjects": "1200",
            f"affected-{row.register_id}-approx_records": "5400",
        },
    )
    assert response.status_code == 302
    row = incident.affected.get()
    assert (row.data_items, row.approx_subjects, row.approx_records) == (
        ["Nimi", "Terveystiedot"],
        1200,
        5400,
    )
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    assert "Data items involved: Nimi, Terveystiedot" in page
    assert "about 1200 data subjects" in page and "about 5400 records" in page


def test_a_negative_count_is_refused_naming_the_field_and_nothing_is_saved(lead: User) -> None:
    incident = _patients(lead)
    register_id = incident.affected.get().register_id
    prefix = f"affected-{register_id}"
    response = signed_in(lead).post(
        f"/incidents/{incident.pk}/affected/{register_id}/",
        {
            f"{prefix}-version": fresh(incident).version,
            f"{prefix}-register": register_id,
            f"{prefix}-approx_subjects": "-3",
        },
    )
    response = refused_page(response)
    assert "Approximate number of data subjects: Ensure this value is greater than or equal to 0." in (
        response.content.decode()
    )
    assert incident.affected.get().approx_subjects is None


def test_the_form_suggests_ei_from_the_affected_items_and_explains_it(lead: User) -> None:
    incident = _patients(lead)
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    assert "A name with contact details or a date of birth identifies the person: EI maximum." in page
    form = page.split('aria-labelledby="assessment-heading"')[1].split("</form>")[0]
    assert 'value="maximum" required id="id_assessment-ease_of_identification_3" checked' in form


def _assessment_post(incident: Incident, **changes: str) -> dict[str, object]:
    return {
        "assessment-version": fresh(incident).version,
        "assessment-ease_of_identification": "maximum",
        "assessment-confidentiality": "unknown_recipients",
        "assessment-integrity": "none",
        "assessment-availability": "none",
        "assessment-malicious": "on",
        "assessment-step_0": "1",
        "assessment-reason_0": "Over a thousand patients",
        **changes,
    }


def test_an_assessment_shows_its_proposal_and_every_reason_and_keeps_earlier_versions(
    lead: User, dpo: User
) -> None:
    incident = _patients(lead)
    response = signed_in(lead).post(f"/incidents/{incident.pk}/act/assessment/", _assessment_post(incident))
    assert response.status_code == 302
    signed_in(dpo).post(
        f"/incidents/{incident.pk}/act/assessment/",
        _assessment_post(
            incident, **{"assessment-confidentiality": "known_recipients", "assessment-step_0": ""}
        ),
    )
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    latest, earlier = page.split('data-testid="assessment"')[1:3]
    assert "Version 2" in latest and "Bob Officer" in latest
    # Health data: DPC 4; EI 1; known recipients 0.25 + malicious 0.5: SE 4.75.
    assert "Proposal: high risk" in latest and "SE 4.75" in latest
    assert "SE = DPC × EI + CB = 4 × 1 + 0.75 = 4.75: severity very high" in latest
    assert "Version 1" in earlier and "Alice Lead" in earlier
    assert "Over a thousand patients: DPC +1, kept within 1 to 4 → DPC 4" in earlier


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("fi", ["SE 4,75", "= 4 × 1 + 0,75 = 4,75", "(+0,25)", "→ +0,5"]),
        ("sv", ["SE 4,75", "= 4 × 1 + 0,75 = 4,75", "(+0,25)", "→ +0,5"]),
        ("en", ["SE 4.75", "= 4 × 1 + 0.75 = 4.75", "(+0.25)", "→ +0.5"]),
    ],
)
def test_the_scores_are_written_with_the_decimal_mark_of_the_page(
    lead: User, language: str, shown: list[str]
) -> None:
    """A Finnish DPO reads 0,75 in the reasons as in the answers, never 0.75 beside 0,25."""
    incident = _patients(lead)
    client = signed_in(lead)
    client.post(
        f"/incidents/{incident.pk}/act/assessment/",
        _assessment_post(incident, **{"assessment-confidentiality": "known_recipients"}),
    )
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    latest = client.get(f"/incidents/{incident.pk}/").content.decode().split('data-testid="assessment"')[1]
    assert all(text in latest for text in shown), [text for text in shown if text not in latest]
    other_mark = "." if language != "en" else ","
    assert f"0{other_mark}75" not in latest and f"0{other_mark}5 " not in latest


def test_an_adjustment_without_its_reason_is_refused_beside_it(lead: User) -> None:
    incident = _patients(lead)
    response = signed_in(lead).post(
        f"/incidents/{incident.pk}/act/assessment/", _assessment_post(incident, **{"assessment-reason_0": ""})
    )
    response = refused_page(response)
    assert "Reason for adjustment 1: give the reason for this step." in response.content.decode()
    assert not incident.assessments.exists()


def test_an_auditor_sees_the_assessment_but_cannot_record_one(lead: User, auditor: User) -> None:
    incident = _patients(lead)
    assert (
        signed_in(auditor)
        .post(f"/incidents/{incident.pk}/act/assessment/", _assessment_post(incident))
        .status_code
        == 403
    )
    assert (
        "Save the risk assessment"
        not in signed_in(auditor).get(f"/incidents/{incident.pk}/").content.decode()
    )


def test_the_decision_is_in_the_trail_with_the_proposal_it_answered(lead: User, dpo: User) -> None:
    import json

    from tests.builders import assessed, decided, events

    # Health data: DPC 4 × EI 0.5 (limited) + 0.25 (known recipients) = 2.25, medium: a risk.
    incident = assessed(_patients(lead), lead)
    decided(
        incident,
        dpo,
        "unlikely",
        reason="The recipient is a doctor bound by secrecy.",
        unlikely_confirmed=True,
    )
    data = json.loads(events("incident.decided").get().data)
    assert data["proposal"] == {"assessment": 1, "proposal": "risk"}
    assert data["against_proposal"] is True


def test_a_step_to_assessed_needs_a_recorded_assessment(lead: User) -> None:
    from incidents.errors import TransitionRefused
    from incidents.services import incidents as service
    from tests.builders import facts

    incident = _patients(lead)
    facts(incident, lead, breach_confidentiality=True, likely_consequences="Phishing.")
    try:
        service.incident_assess(
            incident_id=incident.pk, actor=lead, expected_version=None, now=fresh(incident).updated_at
        )
    except TransitionRefused as refused:
        assert refused.fields == {"assessment": ["Risk assessment: record it by the ENISA method first."]}
    else:
        raise AssertionError("assessed without an assessment")


def test_a_count_past_what_the_database_holds_is_refused_naming_the_field(lead: User) -> None:
    incident = _patients(lead)
    register_id = incident.affected.get().register_id
    prefix = f"affected-{register_id}"
    response = signed_in(lead).post(
        f"/incidents/{incident.pk}/affected/{register_id}/",
        {
            f"{prefix}-version": fresh(incident).version,
            f"{prefix}-register": register_id,
            f"{prefix}-approx_records": str(2**64),
        },
    )
    response = refused_page(response)
    assert "Approximate number of records: Ensure this value is less than or equal to 2147483647." in (
        response.content.decode()
    )
    assert incident.affected.get().approx_records is None
