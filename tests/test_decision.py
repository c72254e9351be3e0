"""The DPO's decision: two questions answered against the assessment's proposal, the reasons
where the decision departs from it, and the review a later, stricter assessment asks for."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from incidents.errors import DomainError
from incidents.models import Incident, IncidentState, ObligationStatus
from incidents.roles import RoleNeeded
from incidents.services import incidents as service
from incidents.services.decisions import decision_keep, incident_decide
from tests.api_support import api_as
from tests.builders import assessed, clock, confirmed, decided, events, fresh, risk_assessed, speaks
from tests.conftest import refused_page, signed_in
from tests.factories import incident_logged
from tests.moments import HOUR, T0

pytestmark = pytest.mark.usefixtures("frozen_at_t0")

# Names and e-mail addresses (DPC 1), by proposal: unlikely (SE 0.75), risk (SE 2), high (SE 3).
UNLIKELY: dict[str, Any] = {}
RISK = {"ease_of_identification": "maximum", "confidentiality": "unknown_recipients", "malicious": True}
HIGH = RISK | {"dpc_adjustments": [{"step": 1, "reason": "40,000 customers, the whole customer base."}]}


def proposed(lead: User, answers: dict[str, Any]) -> Incident:
    """A confirmed breach assessed with ``answers``, waiting for the DPO's decision."""
    return assessed(confirmed(incident_logged(actor=lead), lead), lead, answers=answers)


def decide(incident: Incident, dpo: User, authority: str, subjects: str, **more: Any) -> Incident:
    return incident_decide(
        incident_id=incident.pk,
        actor=dpo,
        expected_version=None,
        notify_authority=authority,
        notify_subjects=subjects,
        now=T0,
        **more,
    )


def refused_field(incident: Incident, dpo: User, authority: str, subjects: str, **more: Any) -> str | None:
    with pytest.raises(DomainError) as refused:
        decide(incident, dpo, authority, subjects, **more)
    assert fresh(incident).state == IncidentState.ASSESSED  # nothing half-written
    return refused.value.field


@pytest.mark.parametrize(
    ("authority", "subjects", "risk", "exception", "clocks"),
    [
        ("yes", "no", "risk", "", {"gdpr-33-1": ObligationStatus.PENDING}),
        (
            "yes",
            "yes",
            "high",
            "",
            {"gdpr-33-1": ObligationStatus.PENDING, "gdpr-34": ObligationStatus.PENDING},
        ),
        ("yes", "a", "high", "a", {"gdpr-33-1": ObligationStatus.PENDING}),
        ("yes", "b", "high", "b", {"gdpr-33-1": ObligationStatus.PENDING}),
        (
            "yes",
            "c",
            "high",
            "c",
            {"gdpr-33-1": ObligationStatus.PENDING, "gdpr-34-3-c": ObligationStatus.PENDING},
        ),
    ],
)
def test_the_two_answers_start_the_clocks_they_mean(
    lead: User, dpo: User, authority: str, subjects: str, risk: str, exception: str, clocks: dict[str, str]
) -> None:
    incident = proposed(lead, HIGH)
    target = T0 + 24 * HOUR if subjects in ("yes", "c") else None
    done = decide(incident, dpo, authority, subjects, reason="As the facts show.", subjects_target_at=target)
    assert (done.state, done.risk_decision, done.art34_exception) == (IncidentState.DECIDED, risk, exception)
    assert (done.notify_authority, done.notify_subjects) == (authority, subjects)
    assert {o.template.code: o.status for o in done.obligations.select_related("template")} == clocks
    if target is not None:
        told = "gdpr-34" if subjects == "yes" else "gdpr-34-3-c"
        assert clock(incident, told).due_at == target


def test_not_notifying_the_authority_waives_its_clock_with_the_dpos_reason(lead: User, dpo: User) -> None:
    incident = proposed(lead, UNLIKELY)
    done = decide(incident, dpo, "no", "no", reason="The recipient deleted the message unread.")
    assert done.risk_decision == "unlikely"
    art33 = clock(incident, "gdpr-33-1")
    assert art33.status == ObligationStatus.WAIVED
    assert "The recipient deleted the message unread." in art33.waived_reason


def test_telling_the_data_subjects_without_the_authority_is_refused(lead: User, dpo: User) -> None:
    incident = proposed(lead, HIGH)
    for subjects in ("yes", "a", "b", "c"):
        assert refused_field(incident, dpo, "no", subjects, reason="x", subjects_target_at=T0 + HOUR) == (
            "notify_subjects"
        )


def test_an_answer_that_is_not_offered_is_refused_by_its_field(lead: User, dpo: User) -> None:
    incident = proposed(lead, RISK)
    assert refused_field(incident, dpo, "", "no") == "notify_authority"
    assert refused_field(incident, dpo, "yes", "d") == "notify_subjects"


def test_a_decision_that_follows_the_proposal_needs_no_reason(lead: User, dpo: User) -> None:
    incident = proposed(lead, RISK)
    done = decide(incident, dpo, "yes", "no")
    assert (done.state, done.decision_reason) == (IncidentState.DECIDED, "")
    data = json.loads(events("incident.decided").get().data)
    assert data["proposal"] == {"assessment": 1, "proposal": "risk"}
    assert data["against_proposal"] is False
    assert (data["notify_authority"], data["notify_subjects"]) == ("yes", "no")


@pytest.mark.parametrize(
    ("answers", "authority", "subjects", "why"),
    [
        # Departs from the proposal, stricter or milder.
        (RISK, "yes", "yes", "departs from the assessment's proposal"),
        (HIGH, "yes", "no", "departs from the assessment's proposal"),
        # Follows the proposal, but notifies no one (Art. 33(5)).
        (UNLIKELY, "no", "no", "why the supervisory authority is not notified"),
        # Follows the proposal, but rests on an exception of Art. 34(3).
        (HIGH, "yes", "b", "why the Art. 34(3) exception applies"),
    ],
)
def test_the_reasons_are_required_where_the_decision_departs_or_does_not_notify(
    lead: User, dpo: User, answers: dict[str, Any], authority: str, subjects: str, why: str
) -> None:
    incident = proposed(lead, answers)
    target = T0 + HOUR if subjects == "yes" else None
    with pytest.raises(DomainError) as refused:
        decide(incident, dpo, authority, subjects, subjects_target_at=target)
    assert refused.value.field == "reason"
    assert why in refused.value.message
    done = decide(incident, dpo, authority, subjects, subjects_target_at=target, reason="Because.")
    assert done.state == IncidentState.DECIDED
    assert json.loads(events("incident.decided").get().data)["against_proposal"] is (
        done.risk_decision != incident.assessments.get().proposal
    )


def test_a_decision_without_an_assessment_is_refused(lead: User) -> None:
    incident = confirmed(incident_logged(actor=lead), lead)
    with pytest.raises(DomainError) as refused:
        service.incident_assess(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)
    assert "assessment" in refused.value.fields  # type: ignore[attr-defined]
    assert not incident.assessments.exists()


# --- Review after a stricter assessment ---------------------------------------------------------


@pytest.fixture
def decided_risk(lead: User, dpo: User) -> Incident:
    """Decided "risk", as proposed: the authority is notified, the data subjects are not told."""
    return decided(proposed(lead, RISK), dpo, "risk", reason="")


def test_a_stricter_assessment_marks_the_decision_and_tells_every_dpo(
    decided_risk: Incident, lead: User, dpo: User, django_capture_on_commit_callbacks: Any
) -> None:
    other = User.objects.create_user("dora", "dora@breachclock.example", "x", first_name="Dora")
    other.groups.add(*dpo.groups.all())
    speaks(other, "fi")
    with django_capture_on_commit_callbacks(execute=True):
        assessment = risk_assessed(decided_risk, lead, now=T0 + HOUR, **HIGH)
    incident = fresh(decided_risk)
    assert incident.decision_review_of == assessment
    assert incident.state == IncidentState.DECIDED  # the decision and its clocks stand meanwhile
    data = json.loads(events("incident.decision_review_needed").get().data)
    assert (data["assessment"], data["proposal"], data["risk_decision"]) == (2, "high", "risk")
    letters = {address: message for message in mail.outbox for address in message.to}
    assert set(letters) == {dpo.email, other.email}
    assert letters[dpo.email].subject.startswith(
        f"[Breachclock] {incident.reference}: review the notification"
    )
    assert "version 2, by Alice Lead (SE 3)" in letters[dpo.email].body
    assert f"/incidents/{incident.pk}/" in letters[dpo.email].body
    assert "tarkista ilmoituspäätös" in letters[other.email].subject
    assert "Ehdotus:" in letters[other.email].body


def test_an_assessment_that_proposes_no_more_leaves_the_decision_alone(
    decided_risk: Incident, lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        risk_assessed(decided_risk, lead, now=T0 + HOUR, **RISK)
        risk_assessed(decided_risk, lead, now=T0 + HOUR, **UNLIKELY)
    assert fresh(decided_risk).decision_review_of is None
    assert not events("incident.decision_review_needed").exists()
    assert mail.outbox == []


def test_an_assessment_before_the_decision_marks_nothing(lead: User) -> None:
    incident = proposed(lead, RISK)
    risk_assessed(incident, lead, now=T0 + HOUR, **HIGH)
    assert fresh(incident).decision_review_of is None


def test_the_dpo_keeps_the_decision_with_the_reason_it_stands(
    decided_risk: Incident, lead: User, dpo: User
) -> None:
    risk_assessed(decided_risk, lead, now=T0 + HOUR, **HIGH)
    with pytest.raises(RoleNeeded):
        decision_keep(incident_id=decided_risk.pk, actor=lead, expected_version=None, reason="x", now=T0)
    with pytest.raises(DomainError) as refused:
        decision_keep(incident_id=decided_risk.pk, actor=dpo, expected_version=None, reason=" ", now=T0)
    assert refused.value.field == "reason"
    kept = decision_keep(
        incident_id=decided_risk.pk,
        actor=dpo,
        expected_version=None,
        reason="The 40,000 were test accounts; the real customers number 12.",
        now=T0 + 2 * HOUR,
    )
    assert kept.decision_review_of is None
    assert kept.decision_review_reason.startswith("The 40,000 were test accounts")
    assert (kept.state, kept.risk_decision) == (IncidentState.DECIDED, "risk")
    data = json.loads(events("incident.decision_kept").get().data)
    assert data["review_of"] == {"assessment": 2, "proposal": "high"}
    with pytest.raises(DomainError) as again:
        decision_keep(incident_id=decided_risk.pk, actor=dpo, expected_version=None, reason="x", now=T0)
    assert again.value.field == "decision_review"


def test_revising_takes_the_decision_back_and_the_new_one_adds_the_data_subjects(
    decided_risk: Incident, lead: User, dpo: User
) -> None:
    risk_assessed(decided_risk, lead, now=T0 + HOUR, **HIGH)
    service.incident_start_notifying(incident_id=decided_risk.pk, actor=lead, expected_version=None, now=T0)
    revised = service.incident_revise_decision(
        incident_id=decided_risk.pk,
        actor=dpo,
        expected_version=None,
        reason="The whole customer base was copied.",
        now=T0 + 2 * HOUR,
    )
    assert (revised.state, revised.decision_review_of) == (IncidentState.ASSESSED, None)
    # The authority's clock runs on while the DPO decides again.
    assert clock(revised, "gdpr-33-1").status == ObligationStatus.PENDING
    data = json.loads(events("incident.decision_revised").get().data)
    assert data["review_of"] == {"assessment": 2, "proposal": "high"}
    again = decide(revised, dpo, "yes", "yes", subjects_target_at=T0 + 24 * HOUR)
    assert again.risk_decision == "high"
    assert clock(again, "gdpr-34").due_at == T0 + 24 * HOUR
    assert json.loads(events("incident.decided").order_by("-seq").first().data)["proposal"] == {  # type: ignore[union-attr]
        "assessment": 2,
        "proposal": "high",
    }


def test_the_dashboard_and_the_page_show_the_decision_to_review(
    decided_risk: Incident, lead: User, dpo: User
) -> None:
    risk_assessed(decided_risk, lead, now=T0 + HOUR, **HIGH)
    dashboard = signed_in(dpo).get("/").content.decode()
    reviews = dashboard.split('data-testid="decision-reviews"')[1].split("</section>")[0]
    assert decided_risk.reference in reviews and "assessment version 2" in reviews
    page = signed_in(dpo).get(f"/incidents/{decided_risk.pk}/").content.decode()
    banner = page.split('data-testid="decision-review"')[1].split("</section>")[0]
    assert "Assessment version 2, by Alice Lead, proposes more than the decision." in banner
    assert "Keep the decision" in banner
    lead_banner = signed_in(lead).get(f"/incidents/{decided_risk.pk}/").content.decode()
    assert "A DPO keeps or revises the decision." in lead_banner
    response = signed_in(dpo).post(
        f"/incidents/{decided_risk.pk}/act/decision_keep/",
        {"decision_keep-version": fresh(decided_risk).version, "decision_keep-reason": ""},
    )
    response = refused_page(response)
    assert 'data-field-error="reason"' in response.content.decode()
    response = signed_in(dpo).post(
        f"/incidents/{decided_risk.pk}/act/decision_keep/",
        {"decision_keep-version": fresh(decided_risk).version, "decision_keep-reason": "Test accounts."},
    )
    assert response.status_code == 302
    assert 'data-testid="decision-reviews"' not in signed_in(dpo).get("/").content.decode()
    page = signed_in(dpo).get(f"/incidents/{decided_risk.pk}/").content.decode()
    assert 'data-testid="decision-review"' not in page
    assert "Test accounts." in page.split('data-testid="review-reason"')[1].split("</dd>")[0]


def test_the_decision_form_shows_the_proposal_with_its_reasons(lead: User, dpo: User) -> None:
    incident = proposed(lead, HIGH)
    page = signed_in(dpo).get(f"/incidents/{incident.pk}/").content.decode()
    form = page.split('data-step="decide"')[1].split("</form>")[0]
    box = form.split('data-testid="decision-proposal"')[1].split("</div>")[0]
    assert "The proposal of assessment version 1:" in box
    assert "High risk: notify the authority and the data subjects" in box
    assert "40,000 customers, the whole customer base." in box
    assert "Finnish supervisory authority" in box  # exception (b) with the SA's position


def test_the_page_decides_and_refuses_a_missing_reason_beside_its_field(lead: User, dpo: User) -> None:
    incident = proposed(lead, RISK)
    post = {
        "decide-version": fresh(incident).version,
        "decide-notify_authority": "yes",
        "decide-notify_subjects": "yes",
        "decide-subjects_target_at": "2026-03-28T12:00",
    }
    response = signed_in(dpo).post(f"/incidents/{incident.pk}/act/decide/", post)
    response = refused_page(response)
    page = response.content.decode()
    assert 'data-field-error="reason"' in page
    assert "departs from the assessment&#x27;s proposal" in page
    response = signed_in(dpo).post(
        f"/incidents/{incident.pk}/act/decide/", post | {"decide-reason": "Customers' passwords too."}
    )
    assert response.status_code == 302
    assert fresh(incident).risk_decision == "high"


def test_the_api_decides_reviews_and_keeps(decided_risk: Incident, lead: User, dpo: User) -> None:
    address = f"/api/incidents/{decided_risk.reference}/"
    assert api_as(dpo).get(address).json()["decision_review"] is None
    risk_assessed(decided_risk, lead, now=T0 + HOUR, **HIGH)
    body = api_as(dpo).get(address).json()
    assert body["decision_review"] == {
        "assessment": 2,
        "proposal": "high",
        "assessed_at": "2026-03-27T09:00:00Z",
    }
    assert (body["notify_authority"], body["notify_subjects"]) == ("yes", "no")
    response = api_as(lead).post(f"{address}decision-review/", {"reason": "x"}, format="json")
    assert response.status_code == 403
    response = api_as(dpo).post(f"{address}decision-review/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    response = api_as(dpo).post(f"{address}decision-review/", {"reason": "Test accounts."}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["decision_review"], response.json()["decision_review_reason"]) == (
        None,
        "Test accounts.",
    )
    response = api_as(dpo).post(
        f"{address}transitions/revise_decision/", {"reason": "New facts."}, format="json"
    )
    assert (response.status_code, response.json()["state"]) == (200, "assessed")
