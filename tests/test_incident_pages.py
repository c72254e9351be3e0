"""The incident pages as a browser without JavaScript uses them: intake, the acts, who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from incidents.clocks.display import local_moment
from incidents.models import Incident, IncidentState, Obligation, ObligationStatus, Register
from incidents.services import incidents as service
from tests.builders import assessed, confirmed, decided, fresh
from tests.conftest import refused_page, signed_in
from tests.factories import incident_logged, register_made
from tests.moments import HOUR, T0

pytestmark = pytest.mark.usefixtures("frozen_at_t0")


@pytest.fixture
def incident(lead: User) -> Incident:
    return incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0)


def act(client: Client, incident: Incident, action: str, **fields: Any) -> Any:
    data = {f"{action}-version": fresh(incident).version} | {f"{action}-{k}": v for k, v in fields.items()}
    return client.post(f"/incidents/{incident.pk}/act/{action}/", data)


def on_obligation(client: Client, obligation: Obligation, action: str, **fields: Any) -> Any:
    prefix = f"{action}-{obligation.pk}"
    data = {f"{prefix}-{k}": v for k, v in fields.items()}
    return client.post(f"/incidents/{obligation.incident_id}/obligations/{obligation.pk}/{action}/", data)


# --- Intake -------------------------------------------------------------------------------------


def test_intake_logs_an_incident_with_its_registers_and_opens_its_page(lead: User) -> None:
    register = register_made(name="Asiakasrekisteri")
    client = signed_in(lead)
    form = client.get("/incidents/new/").content.decode()
    assert 'value="2026-03-27T10:00"' in form  # detected at: now, on the local clock
    assert "Asiakasrekisteri" in form
    response = client.post(
        "/incidents/new/",
        {
            "title": "Phishing",
            "description": "A password was given away.",
            "detected_at": "2026-03-27T09:30",
            "registers": [register.pk],
        },
    )
    incident = Incident.objects.get()
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.detected_at == T0 - dt.timedelta(minutes=30)
    assert list(incident.registers.all()) == [register]
    assert incident.reporter == lead
    page = client.get(response["Location"]).content.decode()
    assert "Logged INC-2026-0001" in page
    assert "provisional: the shortest deadline this incident could have, counted from detection" in page


def test_intake_names_each_field_at_fault(lead: User) -> None:
    response = signed_in(lead).post(
        "/incidents/new/", {"title": "", "description": "", "detected_at": "soon"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field-error="title">Title: This field is required.' in html
    assert 'data-field-error="description">What happened: This field is required.' in html
    assert 'data-field-error="detected_at">Detected at: Enter a valid date/time.' in html
    assert not Incident.objects.exists()


@pytest.mark.parametrize("moment", ["0001-01-01T00:30", "1999-12-31T23:59", "9999-12-31T23:59"])
def test_a_moment_no_breach_can_have_is_refused_next_to_its_field(lead: User, moment: str) -> None:
    response = signed_in(lead).post(
        "/incidents/new/", {"title": "Phishing", "description": "Oops.", "detected_at": moment}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field-error="detected_at">Detected at: Give a time from the year 2000 to 2099.' in html
    assert not Incident.objects.exists()


def test_intake_shows_the_service_refusal_next_to_its_field(lead: User) -> None:
    response = signed_in(lead).post(
        "/incidents/new/", {"title": "Phishing", "description": "Oops.", "detected_at": "2026-03-28T10:00"}
    )
    assert response.status_code == 400
    assert 'data-field-error="detected_at">Detected at: cannot be in the future.' in response.content.decode()


# --- Access -------------------------------------------------------------------------------------


def test_an_auditor_reads_everything_but_gets_no_buttons_and_403_on_post(
    incident: Incident, auditor: User
) -> None:
    client = signed_in(auditor)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Laptop stolen from a car" in page
    assert "Your role can read this incident but not change it." in page
    assert "<button" not in page.split('id="actions-heading"')[1].split("</section>")[0]
    assert act(client, incident, "start_triage").status_code == 403
    assert client.get("/incidents/new/").status_code == 403
    assert fresh(incident).state == IncidentState.REPORTED


def test_a_user_without_a_role_may_neither_read_nor_act(incident: Incident, outsider: User) -> None:
    client = signed_in(outsider)
    assert client.get(f"/incidents/{incident.pk}/").status_code == 403
    assert client.get("/incidents/").status_code == 403
    assert act(client, incident, "start_triage").status_code == 403


# --- The lifecycle, one form after another --------------------------------------------------------


def test_the_steps_the_state_allows_are_offered_and_refused_ones_say_why(
    incident: Incident, lead: User
) -> None:
    Incident.objects.get(pk=incident.pk).affected.all().delete()
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    steps = page.split('id="actions-heading"')[1].split("</section>")[0]
    assert 'data-step="start_triage"' in steps and 'data-step="dismiss"' in steps
    confirm = steps.split('data-step="confirm"')[1].split("</form>")[0]
    assert "disabled" in confirm
    assert "Affected registers: name at least one register whose personal data was involved." in confirm
    dismiss = steps.split('data-step="dismiss"')[1].split("</form>")[0]
    assert "disabled" not in dismiss and "Reason for dismissal" in dismiss
    assert 'data-step="close"' not in steps


def test_triage_dismiss_and_reopen_through_their_forms(incident: Incident, lead: User) -> None:
    client = signed_in(lead)
    assert act(client, incident, "start_triage").status_code == 302
    refused = act(client, incident, "dismiss", reason="  ")
    refused = refused_page(refused)
    assert "Reason for dismissal: This field is required." in refused.content.decode()
    assert act(client, incident, "dismiss", reason="A test message, no personal data.").status_code == 302
    assert fresh(incident).state == IncidentState.DISMISSED
    assert (
        act(client, incident, "reopen", reason="The message held customer names after all.").status_code
        == 302
    )
    assert fresh(incident).state == IncidentState.TRIAGE


def test_confirming_with_an_earlier_awareness_needs_a_reason(incident: Incident, lead: User) -> None:
    client = signed_in(lead)
    refused = act(client, incident, "confirm", aware_at="2026-03-27T09:00", aware_reason="")
    refused = refused_page(refused)
    assert 'data-field-error="aware_reason">Reason: say why the organisation was aware earlier.' in (
        refused.content.decode()
    )
    assert fresh(incident).state == IncidentState.REPORTED
    done = act(client, incident, "confirm", aware_at="2026-03-27T09:00", aware_reason="The ticket said so.")
    assert done.status_code == 302
    assert fresh(incident).aware_at == T0 - HOUR


def test_facts_registers_and_awareness_are_changed_through_their_forms(
    incident: Incident, lead: User
) -> None:
    client = signed_in(lead)
    other = register_made(name="Henkilöstörekisteri")
    kept = Register.objects.get(pk=fresh(incident).affected.get().register_id)
    assert act(client, incident, "registers", registers=[kept.pk, other.pk]).status_code == 302
    assert set(fresh(incident).registers.all()) == {kept, other}
    facts = {"title": "Laptop stolen", "description": "From a car.", "cause_intent": "malicious"}
    facts |= {"cause_origin": "external", "breach_confidentiality": "on", "likely_consequences": "Fraud."}
    assert act(client, incident, "facts", **facts).status_code == 302
    assert fresh(incident).cause_intent == "malicious" and fresh(incident).breach_confidentiality
    confirmed(incident, lead)
    future = act(client, incident, "aware", aware_at="2026-03-27T11:00", reason="Checked the logs.")
    assert (
        'data-field-error="aware_at">Aware at: cannot be in the future.'
        in refused_page(future).content.decode()
    )
    assert (
        act(client, incident, "aware", aware_at="2026-03-27T09:00", reason="Checked the logs.").status_code
        == 302
    )
    assert fresh(incident).aware_at == T0 - HOUR


def test_a_refused_step_posted_anyway_shows_every_reason(incident: Incident, lead: User) -> None:
    client = signed_in(lead)
    confirmed(incident, lead)
    response = act(client, incident, "assess")
    response = refused_page(response)
    html = response.content.decode()
    assert "Breach types: choose confidentiality, integrity and/or availability." in html
    assert "Likely consequences: describe what could follow for the people concerned." in html
    assert "Risk assessment: record it by the ENISA method first." in html


def test_only_the_dpo_decides_and_the_lead_sees_why(incident: Incident, lead: User, dpo: User) -> None:
    assessed(confirmed(incident, lead), lead)
    lead_page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    decide = lead_page.split('data-step="decide"')[1].split("</form>")[0]
    assert "disabled" in decide and "Role: this needs a Data protection officer." in decide
    client = signed_in(dpo)
    high = act(
        client, incident, "decide", notify_authority="yes", notify_subjects="yes", reason="Health data."
    )
    high = refused_page(high)
    assert "Data subjects informed by: set the target time" in high.content.decode()
    done = act(
        client,
        incident,
        "decide",
        notify_authority="yes",
        notify_subjects="yes",
        reason="Health data.",
        subjects_target_at="2026-03-28T12:00",
    )
    assert done.status_code == 302
    decided = fresh(incident)
    assert decided.state == IncidentState.DECIDED
    assert decided.subjects_target_at == dt.datetime(2026, 3, 28, 10, 0, tzinfo=dt.UTC)


def test_obligations_are_met_waived_and_targeted_through_their_forms(
    incident: Incident, lead: User, dpo: User
) -> None:
    decided(
        assessed(confirmed(incident, lead), lead),
        dpo,
        "high",
        reason="Health data.",
        subjects_target_at=T0 + 24 * HOUR,
    )
    art33 = Obligation.objects.get(incident=incident, template__code="gdpr-33-1")
    art34 = Obligation.objects.get(incident=incident, template__code="gdpr-34")
    lead_client, dpo_client = signed_in(lead), signed_in(dpo)
    assert act(lead_client, incident, "start_notifying").status_code == 302

    missing = on_obligation(lead_client, art33, "met", met_at="2026-03-27T09:30", note="", complete="on")
    assert (
        "How it was sent (channel, case number): This field is required."
        in refused_page(missing).content.decode()
    )
    early = on_obligation(lead_client, art33, "met", met_at="2026-03-27T09:30", note="SA e-service")
    assert (
        'data-field-error="met_at">Sent at: cannot be before the clock started.'
        in refused_page(early).content.decode()
    )
    met = on_obligation(
        lead_client, art33, "met", met_at="2026-03-27T10:00", note="SA e-service", complete="on"
    )
    assert met.status_code == 302
    assert Obligation.objects.get(pk=art33.pk).status == ObligationStatus.MET

    by_lead = on_obligation(lead_client, art34, "waive", reason="Encrypted.")
    assert "Role: this needs a Data protection officer." in refused_page(by_lead).content.decode()
    past = on_obligation(dpo_client, art34, "target", due_at="2026-03-27T09:00")
    assert 'data-field-error="due_at">Target: cannot be in the past.' in refused_page(past).content.decode()
    assert on_obligation(dpo_client, art34, "target", due_at="2026-03-28T15:00").status_code == 302
    assert (
        on_obligation(dpo_client, art34, "waive", reason="A public notice was published.").status_code == 302
    )
    assert Obligation.objects.get(pk=art34.pk).status == ObligationStatus.WAIVED
    assert act(lead_client, incident, "finish_notifying").status_code == 302
    assert fresh(incident).state == IncidentState.NOTIFIED


def test_a_stale_form_says_someone_else_changed_the_incident(
    incident: Incident, lead: User, dpo: User
) -> None:
    client = signed_in(lead)
    seen = fresh(incident).version
    service.incident_start_triage(incident_id=incident.pk, actor=dpo, expected_version=None, now=T0)
    response = client.post(
        f"/incidents/{incident.pk}/act/dismiss/", {"dismiss-version": seen, "dismiss-reason": "No data."}
    )
    response = refused_page(response)
    html = response.content.decode()
    assert "Someone else changed this incident meanwhile" in html
    assert f'<a href="/incidents/{incident.pk}/">Reload the page to see their change</a>' in html
    assert fresh(incident).state == IncidentState.TRIAGE


# --- What the page shows ------------------------------------------------------------------------


def test_deadlines_are_shown_on_the_local_clock_with_the_offset_across_the_dst_change(
    incident: Incident, lead: User
) -> None:
    # Aware on Friday 27 March at 10:00 (UTC+02:00); summer time begins on Sunday 29 March, so the
    # 72 hours end on Monday at 11:00 local time (UTC+03:00), not at 10:00.
    confirmed(incident, lead)
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    assert '<dd data-testid="deadline">30 March 2026, 11:00 (UTC+03:00)</dd>' in page
    assert "27 March 2026, 10:00 (UTC+02:00)" in page  # aware at
    assert "3 d 00:00:00 left" in page
    due = dt.datetime(2026, 3, 30, 8, 0, tzinfo=dt.UTC)
    assert local_moment(due, "fi") == "30.3.2026 klo 11.00 (UTC+03:00)"
    assert local_moment(due, "sv") == "30.3.2026 kl. 11.00 (UTC+03:00)"
    with translation.override("fi"):
        finnish = (
            signed_in(lead).get(f"/incidents/{incident.pk}/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
        )
    assert "30.3.2026 klo 11.00 (UTC+03:00)" in finnish


def test_the_timeline_tells_the_transitions_in_words(incident: Incident, lead: User) -> None:
    client = signed_in(lead)
    act(client, incident, "start_triage")
    act(client, incident, "confirm", aware_at="", aware_reason="")
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    timeline = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert timeline.index("Logged the incident") < timeline.index("Started triage")
    assert timeline.index("Started triage") < timeline.index("Confirmed a personal-data breach")
    assert "State: In triage → Confirmed breach" in timeline
    assert "alice" in timeline
    assert "27 March 2026, 10:00 (UTC+02:00)" in timeline


def test_the_timeline_tells_reminders_and_a_missed_deadline_in_words(incident: Incident, lead: User) -> None:
    from incidents.clocks.reminders import reminders_send_due

    confirmed(incident, lead)
    reminders_send_due(now=T0 + 36 * HOUR)  # half of the 72 hours
    reminders_send_due(now=T0 + 72 * HOUR)  # the deadline, no notice sent
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    timeline = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert "<strong>reminder.sent</strong>" not in timeline  # not the bare code
    assert timeline.count("Sent a reminder") == 2
    assert "Half of the time was used" in timeline
    assert "The deadline was reached" in timeline
    assert "A deadline passed without the notice" in timeline
    assert "GDPR: Notification" in timeline
    assert "To: alice@breachclock.example" in timeline


# --- Under stress: post / redirect / get, safe buttons, the clock first --------------------------


def test_a_refused_form_sends_the_browser_back_to_the_page_and_a_reload_sends_nothing(
    incident: Incident, lead: User
) -> None:
    client = signed_in(lead)
    act(client, incident, "start_triage")
    response = act(client, incident, "confirm", aware_at="2026-03-27T08:30", aware_reason="")
    # The address is the incident's page again, not the form's.
    assert response.status_code == 303
    assert response["Location"] == f"/incidents/{incident.pk}/#actions-heading"
    page = client.get(response["Location"]).content.decode()
    assert 'data-field-error="aware_reason">Reason: say why the organisation was aware earlier.' in page
    assert 'value="2026-03-27T08:30"' in page  # what was typed is still there
    # A reload asks for the page only: nothing is sent again, and the refusal was shown once.
    version = fresh(incident).version
    again = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "say why the organisation was aware earlier" not in again
    assert fresh(incident).version == version and fresh(incident).state == IncidentState.TRIAGE


def test_ending_steps_are_secondary_and_behind_a_disclosure_and_the_next_step_is_primary(
    incident: Incident, lead: User
) -> None:
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    steps = page.split('id="actions-heading"')[1].split("</section>")[0]
    triage = steps.split('data-step="start_triage"')[1].split("</form>")[0]
    assert '<button type="submit" class="primary"' in triage
    disclosure = steps.split('<details class="step secondary-step"')[1].split("</details>")[0]
    assert "<summary>Dismiss…</summary>" in disclosure
    assert '<button type="submit" class="secondary"' in disclosure and "Reason for dismissal" in disclosure
    assert 'class="primary"' not in disclosure


def test_the_incident_page_opens_with_its_next_deadline_and_the_other_clocks_below_it(
    incident: Incident, lead: User, dpo: User
) -> None:
    incident = decided(
        assessed(confirmed(incident, lead), lead), dpo, "high", subjects_target_at=T0 + 48 * HOUR
    )
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    first = page.split("<main>")[1].split('class="card')[1]
    assert first.startswith(" next-clock")  # the first card of the page
    hero = page.split('data-testid="next-deadline"')[1].split("</section>")[0]
    # Which obligation, to whom: the data subjects' target (48 h) comes before the authority's 72 h.
    heading = hero.split('data-testid="next-clock">')[1].split("</h2>")[0]
    assert heading == "GDPR: Communication to data subjects → Data subjects"
    left = hero.split('class="deadline-left">')[1].split("</p>")[0]
    assert "data-countdown>2 d 00:00:00 left" in left  # time left, large, counting down
    others = hero.split('class="other-clocks"')[1]
    assert "GDPR: Notification → Supervisory authority" in others and "3 d 00:00:00 left" in others
    assert 'href="#obligation-' in others


def test_a_refused_page_names_the_role_it_needs_in_the_products_layout(auditor: User) -> None:
    response = signed_in(auditor).get("/incidents/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not for your role" in page
    assert "Role: this needs a Security lead or Data protection officer." in page
    assert "You are signed in as: Auditor." in page
    assert 'class="main-nav"' in page  # the navigation is there to go on from


def test_an_address_of_nothing_is_a_404_in_the_products_layout(lead: User) -> None:
    response = signed_in(lead).get("/incidents/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is nothing at this address" in page and 'class="main-nav"' in page
