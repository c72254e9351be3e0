"""The clocks corrected against the regulations (issue 10): what a dismissal lapses, whose target is
the deadline, a notice judged anew when awareness moves, DORA as Delegated Regulation 2025/301
counts it, the provisional worst case, and a reopened incident's history."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from incidents.clocks.reminders import reminders_send_due
from incidents.errors import DomainError
from incidents.models import (
    Incident,
    IncidentState,
    Obligation,
    ObligationStatus,
    Organisation,
)
from incidents.services import incidents as service
from incidents.services.obligations import (
    obligation_explain_delay,
    obligation_mark_met,
    obligation_set_target,
    obligation_waive,
)
from tests.api_support import api_as, error_of, iso
from tests.builders import (
    assessed,
    aware_at_moved,
    clock,
    confirmed,
    decided,
    dismissed,
    events,
    facts,
    fresh,
)
from tests.conftest import refused_page, signed_in
from tests.factories import OrganisationFactory, incident_logged, patient_register, register_made
from tests.moments import HOUR, T0


def next_clock(incident: Incident) -> tuple[dt.datetime | None, str | None]:
    """The incident's next deadline and the code of the clock it belongs to (or stands for)."""
    incident = fresh(incident)
    template = incident.next_due_template
    return incident.next_due_at, template.code if template else None


def in_scope(**scope: Any) -> Any:
    """A register whose controller is in NIS2 and/or DORA scope."""
    return register_made(controller=OrganisationFactory(**scope))


# --- 1. A dismissal lapses the GDPR's clocks only ---------------------------------------------------


def test_dismissing_keeps_the_nis2_and_dora_clocks_of_the_security_incident(lead: User) -> None:
    register = in_scope(nis2_scope=True, dora_scope=True)
    incident = incident_logged(actor=lead, register=register, detected_at=T0 - 2 * HOUR, now=T0)
    facts(incident, lead, nis2_significant=True, dora_major_at=T0 - HOUR)
    dismissed(incident, lead, reason="No personal data: a DDoS.")
    statuses = dict(Obligation.objects.filter(incident=incident).values_list("template__code", "status"))
    assert statuses == {
        "nis2-early-warning": ObligationStatus.PENDING,
        "nis2-notification": ObligationStatus.PENDING,
        "nis2-final": ObligationStatus.PENDING,
        "dora-initial": ObligationStatus.PENDING,
        "dora-intermediate": ObligationStatus.PENDING,
        "dora-final": ObligationStatus.PENDING,
    }
    # The nearest of them is the dismissed incident's next deadline: DORA's 4 h from classification.
    assert next_clock(incident) == (T0 + 3 * HOUR, "dora-initial")


def test_a_dismissed_incident_with_an_open_clock_stays_on_the_dashboard_and_keeps_reminding(
    lead: User, dpo: User, django_capture_on_commit_callbacks: Any
) -> None:
    register = in_scope(nis2_scope=True)
    incident = incident_logged(
        actor=lead, register=register, detected_at=T0, now=T0, title="DDoS against the web shop"
    )
    facts(incident, lead, nis2_significant=True)
    dismissed(incident, lead, reason="No personal data.")
    dashboard = signed_in(lead).get("/").content.decode()
    assert "DDoS against the web shop" in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        result = reminders_send_due(now=T0 + 12 * HOUR)  # half of the 24 h early warning
    assert result.sent == 1
    sent = json.loads(events("reminder.sent").get().data)
    assert (sent["obligation"], sent["threshold"]) == ("nis2-early-warning", "p50")
    # Met or waived, one by one: only then does it leave the dashboard.
    for code in ("nis2-early-warning", "nis2-notification"):
        obligation_mark_met(
            obligation_id=clock(incident, code).pk,
            actor=lead,
            met_at=T0 + 13 * HOUR,
            note="Traficom",
            now=T0 + 13 * HOUR,
        )
    assert "DDoS against the web shop" in signed_in(lead).get("/").content.decode()
    obligation_waive(
        obligation_id=clock(incident, "nis2-final").pk,
        actor=dpo,
        reason="Final report in the notification.",
        now=T0 + 14 * HOUR,
    )
    assert fresh(incident).next_due_at is None
    assert "DDoS against the web shop" not in signed_in(lead).get("/").content.decode()


# --- 2. The DPO's target is the deadline -------------------------------------------------------------


def test_a_target_the_dpo_sets_replaces_the_decisions_and_sticks(lead: User, dpo: User) -> None:
    incident = confirmed(incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0), lead)
    decided(assessed(incident, lead), dpo, "high", subjects_target_at=T0 + 24 * HOUR)
    art34 = clock(incident, "gdpr-34")
    assert art34.due_at == T0 + 24 * HOUR  # the decision seeds it
    obligation_set_target(obligation_id=art34.pk, actor=dpo, due_at=T0 + 8 * HOUR, now=T0 + HOUR)
    assert clock(incident, "gdpr-34").due_at == T0 + 8 * HOUR
    # Any later refresh of the clocks (here: a fact changed) keeps the DPO's target.
    facts(incident, lead, now=T0 + 2 * HOUR, measures="Passwords reset.")
    assert clock(incident, "gdpr-34").due_at == T0 + 8 * HOUR
    target_set = json.loads(events("obligation.target_set").get().data)
    assert target_set["changes"]["due_at"] == ["2026-03-28T08:00:00.000000Z", "2026-03-27T16:00:00.000000Z"]
    reminders = dict(clock(incident, "gdpr-34").reminders.values_list("threshold", "fire_at"))
    assert reminders["due"] == T0 + 8 * HOUR


# --- 3. Correcting awareness judges a sent notice anew -----------------------------------------------


def test_awareness_moved_earlier_makes_a_notice_sent_in_time_late_and_asks_for_the_reasons(
    lead: User,
) -> None:
    incident = incident_logged(actor=lead, detected_at=T0 - 10 * HOUR, now=T0)
    confirmed(incident, lead)
    art33 = clock(incident, "gdpr-33-1")
    sent = T0 + 70 * HOUR
    obligation_mark_met(obligation_id=art33.pk, actor=lead, met_at=sent, note="SA e-service", now=sent)
    assert clock(incident, "gdpr-33-1").status == ObligationStatus.MET
    aware_at_moved(
        incident,
        lead,
        aware_at=T0 - 5 * HOUR,
        reason="The ticket showed customer data five hours before confirmation.",
        now=T0 + 71 * HOUR,
    )
    art33 = clock(incident, "gdpr-33-1")
    assert (art33.status, art33.due_at) == (ObligationStatus.LATE, T0 + 67 * HOUR)
    assert art33.delay_reason_owed
    # The trail shows both: the correction, and the notice judged anew against it.
    rejudged = events("obligation.rejudged").get()
    assert rejudged.seq > events("incident.aware_at_changed").get().seq
    assert rejudged.actor_username == lead.username
    assert json.loads(rejudged.data)["changes"] == {
        "due_at": ["2026-03-30T08:00:00.000000Z", "2026-03-30T03:00:00.000000Z"],
        "status": ["met", "late"],
    }
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    assert "Missed (sent late)" in page
    assert "give the reasons for the delay (GDPR Art. 33(1))" in page
    obligation_explain_delay(
        obligation_id=art33.pk,
        actor=lead,
        reason="Awareness was first dated at confirmation.",
        now=T0 + 72 * HOUR,
    )
    assert not clock(incident, "gdpr-33-1").delay_reason_owed
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    assert "Awareness was first dated at confirmation." in page
    assert "give the reasons for the delay (GDPR Art. 33(1))" not in page


def test_awareness_moved_back_makes_the_notice_in_time_again(lead: User) -> None:
    incident = incident_logged(actor=lead, detected_at=T0 - 10 * HOUR, now=T0)
    confirmed(incident, lead, aware_at=T0 - 5 * HOUR, aware_reason="Seen in the logs.")
    sent = T0 + 70 * HOUR
    obligation_mark_met(
        obligation_id=clock(incident, "gdpr-33-1").pk, actor=lead, met_at=sent, note="SA", now=sent
    )
    assert clock(incident, "gdpr-33-1").status == ObligationStatus.LATE
    aware_at_moved(incident, lead, aware_at=T0, reason="The logs were of another system.", now=sent)
    assert clock(incident, "gdpr-33-1").status == ObligationStatus.MET


def test_reasons_for_the_delay_are_refused_for_a_notice_sent_in_time(lead: User) -> None:
    incident = confirmed(incident_logged(actor=lead, detected_at=T0, now=T0), lead)
    art33 = clock(incident, "gdpr-33-1")
    obligation_mark_met(obligation_id=art33.pk, actor=lead, met_at=T0 + HOUR, note="SA", now=T0 + HOUR)
    with pytest.raises(DomainError, match="only a notice sent after its deadline") as refused:
        obligation_explain_delay(obligation_id=art33.pk, actor=lead, reason="-", now=T0 + HOUR)
    assert refused.value.field == "reason"


def test_a_notice_recorded_late_with_its_reasons_keeps_them_on_the_record(lead: User) -> None:
    incident = confirmed(incident_logged(actor=lead, detected_at=T0, now=T0), lead)
    late = T0 + 80 * HOUR
    response = api_as(lead).post(
        f"/api/obligations/{clock(incident, 'gdpr-33-1').pk}/met/",
        {"met_at": iso(late), "note": "SA e-service", "delay_reason": "The processor told us on day 3."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["delay_reason"]) == (
        "late",
        "The processor told us on day 3.",
    )
    assert (
        json.loads(events("obligation.met").get().data)["delay_reason"] == "The processor told us on day 3."
    )


# --- 4. DORA as Delegated Regulation (EU) 2025/301 counts it ----------------------------------------


def test_confirming_the_breach_never_moves_a_dora_deadline_nor_revives_a_missed_one(lead: User) -> None:
    register = in_scope(dora_scope=True)
    incident = incident_logged(actor=lead, register=register, detected_at=T0 - 30 * HOUR, now=T0)
    facts(incident, lead, dora_major_at=T0 - 29 * HOUR)
    initial = clock(incident, "dora-initial")
    assert (initial.due_at, initial.status) == (T0 - 25 * HOUR, ObligationStatus.MISSED)
    confirmed(incident, lead)  # aware_at = T0: the GDPR's awareness, not the ICT incident's
    initial = clock(incident, "dora-initial")
    assert (initial.due_at, initial.status) == (T0 - 25 * HOUR, ObligationStatus.MISSED)
    # A later classification moves the deadline later, but what was missed stays missed.
    facts(incident, lead, dora_major_at=T0 - HOUR)
    initial = clock(incident, "dora-initial")
    assert (initial.due_at, initial.status) == (T0 - 6 * HOUR, ObligationStatus.MISSED)


def test_a_classification_before_detection_is_refused_naming_the_field(lead: User) -> None:
    incident = incident_logged(
        actor=lead, register=in_scope(dora_scope=True), detected_at=T0 - 2 * HOUR, now=T0
    )
    with pytest.raises(DomainError, match="cannot be before the incident was detected") as refused:
        facts(incident, lead, dora_major_at=T0 - 3 * HOUR)
    assert refused.value.field == "dora_major_at"
    response = api_as(lead).patch(
        f"/api/incidents/{incident.reference}/", {"dora_major_at": iso(T0 - 3 * HOUR)}, format="json"
    )
    assert response.status_code == 400
    assert "dora_major_at" in error_of(response)["fields"]
    assert fresh(incident).dora_major_at is None


# --- 5. The provisional clock is the worst case ----------------------------------------------------


@pytest.mark.parametrize(
    ("organisation", "hours", "code"),
    [
        ({"role": Organisation.Role.CONTROLLER}, 72, "gdpr-33-1"),
        ({"role": Organisation.Role.CONTROLLER, "nis2_scope": True}, 24, "nis2-early-warning"),
        ({"role": Organisation.Role.CONTROLLER, "dora_scope": True}, 24, "dora-initial"),
        ({"role": Organisation.Role.PROCESSOR}, 24, "gdpr-33-2"),
    ],
)
def test_before_confirmation_the_clock_is_the_shortest_the_incident_could_have(
    lead: User, organisation: dict[str, Any], hours: int, code: str
) -> None:
    incident = incident_logged(actor=lead, detected_at=T0, now=T0)
    facts(incident, lead, organisation=OrganisationFactory(**organisation))
    assert next_clock(incident) == (T0 + hours * HOUR, code)
    assert fresh(incident).next_due_provisional is True


def test_a_customers_twelve_hour_contract_is_the_provisional_clock_on_the_page_and_dashboard(
    lead: User,
) -> None:
    customer = OrganisationFactory(name="Asiakas Oy", processor_notice_hours=12)
    processor = OrganisationFactory(name="Palvelu Oy", role=Organisation.Role.BOTH)
    incident = incident_logged(
        actor=lead,
        register=register_made(controller=customer),
        detected_at=T0,
        now=T0,
        title="Backup exposed",
    )
    facts(incident, lead, organisation=processor)
    assert next_clock(incident) == (T0 + 12 * HOUR, "gdpr-33-2")
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    assert "GDPR: Processor notice → Controller (customer)" in page
    assert "provisional: the shortest deadline this incident could have" in page
    dashboard = signed_in(lead).get("/").content.decode()
    assert "provisional: GDPR: Processor notice, counted from detection" in dashboard


# --- 6. Reopening keeps history -------------------------------------------------------------------


def test_reopening_a_closed_incident_keeps_its_met_notices_and_shows_no_overdue_provisional_clock(
    lead: User, dpo: User
) -> None:
    incident = confirmed(incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0), lead)
    decided(assessed(incident, lead), dpo, "risk")
    service.incident_start_notifying(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)
    obligation_mark_met(
        obligation_id=clock(incident, "gdpr-33-1").pk, actor=lead, met_at=T0 + HOUR, note="SA", now=T0 + HOUR
    )
    service.incident_finish_notifying(
        incident_id=incident.pk, actor=lead, expected_version=None, now=T0 + HOUR
    )
    facts(incident, lead, now=T0 + HOUR, measures="Mailbox rules removed.")
    service.incident_close(incident_id=incident.pk, actor=lead, expected_version=None, now=T0 + HOUR)
    later = T0 + 10 * 24 * HOUR
    service.incident_reopen(
        incident_id=incident.pk, actor=lead, expected_version=None, reason="More mailboxes found.", now=later
    )
    incident = fresh(incident)
    assert incident.state == IncidentState.TRIAGE
    art33 = clock(incident, "gdpr-33-1")
    assert (art33.status, art33.met_at) == (ObligationStatus.MET, T0 + HOUR)
    assert (incident.next_due_at, incident.next_due_provisional) == (None, False)
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    assert 'data-testid="provisional"' not in page
    assert 'class="countdown urgency-overdue"' not in page
    # Confirmed again, the notice sent stays sent: nothing is owed twice.
    confirmed(incident, lead, now=later)
    assert clock(incident, "gdpr-33-1").status == ObligationStatus.MET


# --- 10. The decision form starts with nothing chosen ---------------------------------------------


def _sensitive_incident(lead: User) -> Incident:
    register = patient_register()
    incident = confirmed(incident_logged(actor=lead, register=register, detected_at=T0, now=T0), lead)
    return assessed(incident, lead)


def test_the_decision_form_offers_no_preselected_answer(lead: User, dpo: User) -> None:
    incident = _sensitive_incident(lead)
    page = signed_in(dpo).get(f"/incidents/{incident.pk}/").content.decode()
    form = page.split('data-step="decide"')[1].split("</form>")[0]
    # Authority yes / no; data subjects yes / no / exception (a), (b), (c): none chosen.
    assert form.count('name="decide-notify_authority"') == 2
    assert form.count('name="decide-notify_subjects"') == 5
    assert "checked" not in form


def test_risk_unlikely_for_health_data_asks_for_an_explicit_confirmation(lead: User, dpo: User) -> None:
    incident = _sensitive_incident(lead)
    post = {
        "decide-version": fresh(incident).version,
        "decide-notify_authority": "no",
        "decide-notify_subjects": "no",
        "decide-reason": "Encrypted.",
    }
    response = signed_in(dpo).post(f"/incidents/{incident.pk}/act/decide/", post)
    response = refused_page(response)
    page = response.content.decode()
    assert 'data-field-error="unlikely_confirmed"' in page
    assert "Potilasrekisteri hold special categories of personal data" in page
    assert fresh(incident).state == IncidentState.ASSESSED
    assert clock(incident, "gdpr-33-1").status == ObligationStatus.PENDING
    response = signed_in(dpo).post(
        f"/incidents/{incident.pk}/act/decide/", {**post, "decide-unlikely_confirmed": "on"}
    )
    assert response.status_code == 302
    assert fresh(incident).state == IncidentState.DECIDED
    assert json.loads(events("incident.decided").get().data)["unlikely_confirmed_for"] == ["Potilasrekisteri"]


def test_the_api_asks_the_same_confirmation(lead: User, dpo: User) -> None:
    incident = _sensitive_incident(lead)
    path = f"/api/incidents/{incident.reference}/transitions/decide/"
    body = {"notify_authority": "no", "notify_subjects": "no", "reason": "Encrypted at rest."}
    response = api_as(dpo).post(path, body, format="json")
    assert response.status_code == 400
    assert "unlikely_confirmed" in error_of(response)["fields"]
    response = api_as(dpo).post(path, {**body, "unlikely_confirmed": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["risk_decision"] == "unlikely"
