"""Organisations: who may see and edit them, and how their role and scope start, move and waive the
clocks of the incidents they handle (GDPR Art. 33(2), NIS2, DORA)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError

from incidents.errors import DomainError
from incidents.models import AuditEvent, Incident, Obligation, ObligationStatus, Organisation
from incidents.services import incidents as service
from incidents.services.obligations import obligation_mark_met
from incidents.services.organisations import ORGANISATION_FIELDS, organisation_update
from tests.api_support import api_as, error_of
from tests.builders import clocks, confirmed, facts, fresh
from tests.conftest import signed_in
from tests.factories import incident_logged, register_made
from tests.moments import HOUR, T0

VALID_BUSINESS_ID = "2511641-3"

pytestmark = pytest.mark.usefixtures("frozen_at_t0")


def edit_form(organisation: Organisation, **changes: Any) -> dict[str, Any]:
    """The edit page's form as a browser posts it: every field, as saved, but for the changes."""
    values = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS} | changes
    posted = {name: "" if value is None else value for name, value in values.items()}
    for name in ("nis2_scope", "dora_scope"):
        if posted[name]:
            posted[name] = "on"
        else:
            del posted[name]  # an unticked box is not sent at all
    return posted


def updated(organisation: Organisation, actor: User, *, now: dt.datetime = T0, **values: Any) -> Any:
    return organisation_update(actor=actor, organisation_id=organisation.pk, values=values, now=now)


# --- The pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["dpo", "lead"])
def test_a_dpo_or_lead_edits_an_organisation_and_the_trail_keeps_before_and_after(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    organisation = Organisation.objects.create(name="Asiakas Oy")
    client = signed_in(user)
    assert client.get(f"/organisations/{organisation.pk}/edit/").status_code == 200
    form = edit_form(
        organisation,
        name="  Asiakas Oyj ",
        business_id=VALID_BUSINESS_ID,
        dpo_email="tietosuoja@asiakas.example",
        role=Organisation.Role.BOTH,
        processor_notice_hours=36,
    )
    response = client.post(f"/organisations/{organisation.pk}/edit/", form, follow=True)
    assert response.redirect_chain[-1][0] == f"/organisations/#organisation-{organisation.pk}"
    page = response.content.decode()
    assert "Saved. Changed: Name, Business ID (Y-tunnus), DPO e-mail, Role, Hours to notify" in page
    assert "36 hours" in page
    organisation.refresh_from_db()
    assert (organisation.name, organisation.business_id, organisation.role) == (
        "Asiakas Oyj",
        VALID_BUSINESS_ID,
        Organisation.Role.BOTH,
    )
    event = AuditEvent.objects.get(action="organisation.changed")
    assert (event.actor_username, event.object_type, event.object_id) == (
        user.username,
        "incidents.organisation",
        str(organisation.pk),
    )
    assert json.loads(event.data)["changes"] == {
        "name": ["Asiakas Oy", "Asiakas Oyj"],
        "business_id": ["", VALID_BUSINESS_ID],
        "dpo_email": ["", "tietosuoja@asiakas.example"],
        "role": ["controller", "both"],
        "processor_notice_hours": [None, 36],
    }


def test_saving_the_form_unchanged_records_nothing(dpo: User) -> None:
    organisation = Organisation.objects.create(name="Asiakas Oy", nis2_scope=True)
    response = signed_in(dpo).post(
        f"/organisations/{organisation.pk}/edit/", edit_form(organisation), follow=True
    )
    assert "Nothing was changed." in response.content.decode()
    assert not AuditEvent.objects.filter(action="organisation.changed").exists()


def test_an_auditor_sees_the_list_but_may_change_nothing(auditor: User) -> None:
    organisation = Organisation.objects.create(name="Asiakas Oy", nis2_scope=True)
    register_made(controller=organisation)
    client = signed_in(auditor)
    listing = client.get("/organisations/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert '<a href="/organisations/">Organisations</a>' in page  # in the main navigation
    assert f'id="organisation-{organisation.pk}"' in page and "Asiakas Oy" in page
    assert f"/organisations/{organisation.pk}/edit/" not in page
    edit = f"/organisations/{organisation.pk}/edit/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, edit_form(organisation, name="Hacked Oy")).status_code == 403
    with pytest.raises(DomainError, match="Role: this needs a Security lead or Data protection officer"):
        updated(organisation, auditor, name="Hacked Oy")
    organisation.refresh_from_db()
    assert organisation.name == "Asiakas Oy"
    assert not AuditEvent.objects.filter(action="organisation.changed").exists()


def test_a_user_without_a_role_may_not_read_the_organisations(outsider: User) -> None:
    client = signed_in(outsider)
    assert client.get("/organisations/").status_code == 403
    assert "/organisations/" not in client.get("/").content.decode()


def test_a_register_links_to_its_controller(auditor: User) -> None:
    register = register_made(controller__name="Asiakas Oy")
    page = signed_in(auditor).get(f"/registers/{register.pk}/").content.decode()
    assert f'<a href="/organisations/#organisation-{register.controller_id}">Asiakas Oy</a>' in page


def test_a_bad_business_id_names_the_field_and_saves_nothing(dpo: User) -> None:
    organisation = Organisation.objects.create(name="Asiakas Oy")
    form = edit_form(organisation, name="Asiakas Oyj", business_id="2511641-4", nis2_scope=True)
    response = signed_in(dpo).post(f"/organisations/{organisation.pk}/edit/", form)
    assert response.status_code == 400
    assert (
        'data-field-error="business_id">Business ID (Y-tunnus): 2511641-4 is not a valid business ID'
        in response.content.decode()
    )
    with pytest.raises(DomainError, match="Business ID \\(Y-tunnus\\): 2511641-4 is not a valid") as refused:
        updated(organisation, dpo, name="Asiakas Oyj", business_id="2511641-4", nis2_scope=True)
    assert refused.value.field == "business_id"
    organisation.refresh_from_db()
    assert (organisation.name, organisation.business_id, organisation.nis2_scope) == ("Asiakas Oy", "", False)
    assert not AuditEvent.objects.filter(action="organisation.changed").exists()


def test_a_business_id_or_name_taken_by_another_organisation_is_refused_by_its_field(dpo: User) -> None:
    Organisation.objects.create(name="Toinen Oy", business_id=VALID_BUSINESS_ID)
    Organisation.objects.create(name="Kolmas Oy")
    organisation = Organisation.objects.create(name="Asiakas Oy")
    response = signed_in(dpo).post(
        f"/organisations/{organisation.pk}/edit/", edit_form(organisation, business_id=VALID_BUSINESS_ID)
    )
    assert response.status_code == 400
    taken = f"Business ID (Y-tunnus): another organisation already has {VALID_BUSINESS_ID}."
    assert f'data-field-error="business_id">{taken}' in response.content.decode()
    with pytest.raises(
        DomainError, match="Name: another organisation without a business ID already has this name"
    ) as refused:
        updated(organisation, dpo, name="KOLMAS OY")
    assert refused.value.field == "name"
    organisation.refresh_from_db()
    assert (organisation.name, organisation.business_id) == ("Asiakas Oy", "")


def test_contractual_hours_must_be_a_positive_whole_number(dpo: User) -> None:
    organisation = Organisation.objects.create(name="Asiakas Oy")
    response = signed_in(dpo).post(
        f"/organisations/{organisation.pk}/edit/", edit_form(organisation, processor_notice_hours=0)
    )
    assert response.status_code == 400
    assert 'data-field-error="processor_notice_hours">Hours to notify this controller' in (
        response.content.decode()
    )
    with pytest.raises(DomainError) as refused:
        updated(organisation, dpo, processor_notice_hours=0)
    assert refused.value.field == "processor_notice_hours"
    organisation.refresh_from_db()
    assert organisation.processor_notice_hours is None


def test_a_change_whose_event_cannot_be_written_is_undone_with_its_clocks(
    dpo: User, lead: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0)
    facts(incident, lead, nis2_significant=True)
    organisation = fresh(incident).organisation
    assert organisation is not None

    def refuse(self: AuditEvent, *args: object, **kwargs: object) -> None:
        raise DatabaseError("the audit trail is out of space")

    monkeypatch.setattr(AuditEvent, "save", refuse)
    with pytest.raises(DatabaseError, match="out of space"):
        updated(organisation, dpo, nis2_scope=True)
    organisation.refresh_from_db()
    assert organisation.nis2_scope is False
    assert clocks(incident) == {}


# --- NIS2 ---------------------------------------------------------------------------------------


def test_turning_on_nis2_scope_gives_a_significant_open_incident_its_nis2_clocks_and_off_waives_them(
    lead: User, dpo: User
) -> None:
    incident = incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0)
    facts(incident, lead, nis2_significant=True)
    organisation = fresh(incident).organisation
    assert organisation is not None and clocks(incident) == {}  # not in NIS2 scope yet

    updated(organisation, dpo, nis2_scope=True)
    assert clocks(incident) == {
        ("nis2-early-warning", ""): ("pending", T0 - 2 * HOUR + 24 * HOUR),
        ("nis2-notification", ""): ("pending", T0 - 2 * HOUR + 72 * HOUR),
        ("nis2-final", ""): ("pending", None),
    }
    assert fresh(incident).next_due_at == T0 + 22 * HOUR
    event = AuditEvent.objects.get(action="organisation.changed")
    assert json.loads(event.data)["incidents_refreshed"] == [incident.reference]

    updated(organisation, dpo, nis2_scope=False, now=T0 + HOUR)
    waived = Obligation.objects.filter(incident=incident)
    assert {o.status for o in waived} == {ObligationStatus.WAIVED}
    assert {o.waived_reason for o in waived} == {
        "No longer applies: In NIS2 scope and the incident is significant."
    }
    assert fresh(incident).next_due_at == T0 - 2 * HOUR + 72 * HOUR  # the provisional clock again


def test_an_organisation_in_nis2_scope_gets_no_nis2_clocks_for_an_incident_that_is_not_significant(
    lead: User, dpo: User
) -> None:
    incident = incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0)
    organisation = fresh(incident).organisation
    assert organisation is not None
    updated(organisation, dpo, nis2_scope=True)
    incident = confirmed(incident, lead)
    assert set(clocks(incident)) == {("gdpr-33-1", "")}


def test_a_significant_incident_out_of_nis2_scope_gets_no_nis2_clocks(lead: User) -> None:
    incident = incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0)
    facts(incident, lead, nis2_significant=True)
    incident = confirmed(incident, lead)
    assert set(clocks(incident)) == {("gdpr-33-1", "")}


# --- GDPR Art. 33(2): a processor's notice to each controller customer -------------------------


@pytest.fixture
def two_customers(lead: User) -> tuple[Incident, Organisation, Organisation]:
    """An incident at our end touching the registers of two controller customers; the first one's
    contract gives us 36 hours, the second's says nothing (the template's 24 hours)."""
    first = register_made(controller__name="Asiakas Oy", controller__processor_notice_hours=36)
    second = register_made(controller__name="Toinen Asiakas Oy")
    incident = incident_logged(actor=lead, register=first, detected_at=T0 - 2 * HOUR, now=T0)
    service.incident_set_registers(
        incident_id=incident.pk,
        actor=lead,
        expected_version=None,
        affected={first.pk: {}, second.pk: {}},
        now=T0,
    )
    assert first.controller is not None and second.controller is not None
    return incident, first.controller, second.controller


def confirmed_at_a_processor(incident: Incident, lead: User) -> tuple[Incident, Organisation]:
    """The incident handled by a processor of ours, then confirmed at T0."""
    processor = Organisation.objects.create(name="Palvelu Oy", role=Organisation.Role.PROCESSOR)
    facts(incident, lead, organisation=processor)
    return confirmed(incident, lead), processor


def test_a_processor_chosen_on_the_incident_page_owes_each_customer_a_notice_on_its_contract(
    lead: User, two_customers: tuple[Incident, Organisation, Organisation]
) -> None:
    incident, first, _second = two_customers
    processor = Organisation.objects.create(name="Palvelu Oy", role=Organisation.Role.PROCESSOR)
    client = signed_in(lead)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Organisation handling this breach" in page
    facts = {
        "organisation": processor.pk,
        "title": incident.title,
        "description": incident.description,
        "cause_intent": "unknown",
        "cause_origin": "unknown",
    }
    posted = {"facts-version": fresh(incident).version} | {f"facts-{k}": v for k, v in facts.items()}
    assert client.post(f"/incidents/{incident.pk}/act/facts/", posted).status_code == 302
    assert fresh(incident).organisation == processor
    event = AuditEvent.objects.filter(action="incident.updated").latest("seq")
    assert json.loads(event.data)["changes"] == {"organisation": [first.name, "Palvelu Oy"]}

    incident = confirmed(incident, lead)  # aware at T0
    assert clocks(incident) == {
        ("gdpr-33-2", "Asiakas Oy"): ("pending", T0 + 36 * HOUR),
        ("gdpr-33-2", "Toinen Asiakas Oy"): ("pending", T0 + 24 * HOUR),
    }


def test_a_notice_to_a_customer_whose_register_is_no_longer_affected_lapses_with_its_reason(
    lead: User, two_customers: tuple[Incident, Organisation, Organisation]
) -> None:
    incident, first, _second = two_customers
    incident, _processor = confirmed_at_a_processor(incident, lead)
    first_register = first.registers.get()
    service.incident_set_registers(
        incident_id=incident.pk,
        actor=lead,
        expected_version=None,
        affected={first_register.pk: {}},
        now=T0 + HOUR,
    )
    assert clocks(incident) == {
        ("gdpr-33-2", "Asiakas Oy"): ("pending", T0 + 36 * HOUR),
        ("gdpr-33-2", "Toinen Asiakas Oy"): ("waived", T0 + 24 * HOUR),
    }
    lapsed = incident.obligations.get(recipient_detail="Toinen Asiakas Oy")
    assert lapsed.waived_reason == "No longer applies: no affected register of Toinen Asiakas Oy."
    assert not lapsed.reminders.filter(sent_at__isnull=True).exists()


def test_a_processor_with_no_known_customer_owes_the_controller_one_notice(lead: User) -> None:
    """The register touched is the processor's own record (no customer named in it): the notice is
    owed to "the controller" of the template, under one key whatever the language of the act."""
    processor = Organisation.objects.create(name="Palvelu Oy", role=Organisation.Role.PROCESSOR)
    own = register_made(controller=processor)
    incident = confirmed(incident_logged(actor=lead, register=own, detected_at=T0, now=T0), lead)
    (notice,) = incident.obligations.all()
    assert (notice.template.code, notice.recipient_detail) == ("gdpr-33-2", "")
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    assert "Controller (customer)" in page


def test_a_customers_new_contractual_hours_move_the_notice_owed_to_it(
    lead: User, dpo: User, two_customers: tuple[Incident, Organisation, Organisation]
) -> None:
    incident, _first, second = two_customers
    incident, _processor = confirmed_at_a_processor(incident, lead)
    updated(second, dpo, processor_notice_hours=12, now=T0 + HOUR)
    assert clocks(incident)[("gdpr-33-2", "Toinen Asiakas Oy")] == ("pending", T0 + 12 * HOUR)
    updated(second, dpo, processor_notice_hours=None, now=T0 + HOUR)
    assert clocks(incident)[("gdpr-33-2", "Toinen Asiakas Oy")] == ("pending", T0 + 24 * HOUR)


def test_a_renamed_customer_is_owed_the_same_notice_not_a_second_one(
    lead: User, dpo: User, two_customers: tuple[Incident, Organisation, Organisation]
) -> None:
    incident, _first, second = two_customers
    incident, _processor = confirmed_at_a_processor(incident, lead)
    updated(second, dpo, name="Uusi Nimi Oy", processor_notice_hours=48)
    assert clocks(incident) == {
        ("gdpr-33-2", "Asiakas Oy"): ("pending", T0 + 36 * HOUR),
        ("gdpr-33-2", "Uusi Nimi Oy"): ("pending", T0 + 48 * HOUR),
    }


def test_a_processor_turned_controller_owes_the_authority_instead(
    lead: User, dpo: User, two_customers: tuple[Incident, Organisation, Organisation]
) -> None:
    incident, _first, _second = two_customers
    incident, processor = confirmed_at_a_processor(incident, lead)
    updated(processor, dpo, role=Organisation.Role.CONTROLLER, now=T0 + HOUR)
    assert clocks(incident) == {
        ("gdpr-33-1", ""): ("pending", T0 + 72 * HOUR),
        ("gdpr-33-2", "Asiakas Oy"): ("waived", T0 + 36 * HOUR),
        ("gdpr-33-2", "Toinen Asiakas Oy"): ("waived", T0 + 24 * HOUR),
    }


# --- DORA ---------------------------------------------------------------------------------------


def test_a_major_ict_incident_out_of_dora_scope_gets_no_dora_clocks(lead: User) -> None:
    incident = confirmed(incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0), lead)
    facts(incident, lead, dora_major_at=T0)
    assert set(clocks(incident)) == {("gdpr-33-1", "")}


def test_dora_intermediate_counts_from_the_initial_notice_and_final_from_the_intermediate(
    lead: User, dpo: User
) -> None:
    incident = confirmed(incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0), lead)
    organisation = fresh(incident).organisation
    assert organisation is not None
    updated(organisation, dpo, dora_scope=True)
    facts(incident, lead, dora_major_at=T0)
    assert {code: due for (code, _), (_status, due) in clocks(incident).items()} == {
        "gdpr-33-1": T0 + 72 * HOUR,
        "dora-initial": T0 + 4 * HOUR,
        "dora-intermediate": None,  # waits for the initial notification
        "dora-final": None,  # waits for the intermediate report
    }
    initial = incident.obligations.get(template__code="dora-initial")
    sent = T0 + 3 * HOUR  # 13:00 in Helsinki, Friday 27 March
    obligation_mark_met(obligation_id=initial.pk, actor=lead, met_at=sent, note="FIN-FSA portal", now=sent)
    intermediate = incident.obligations.get(template__code="dora-intermediate")
    assert intermediate.start_at == sent
    # 72 continuous hours, across the change to summer time on Sunday 29 March.
    assert intermediate.due_at == dt.datetime(2026, 3, 30, 11, 0, tzinfo=dt.UTC)
    assert incident.obligations.get(template__code="dora-final").start_at is None
    reported = dt.datetime(2026, 3, 29, 9, 0, tzinfo=dt.UTC)  # 12:00 in summer time, Sunday 29 March
    obligation_mark_met(
        obligation_id=intermediate.pk, actor=lead, met_at=reported, note="FIN-FSA portal", now=reported
    )
    final = incident.obligations.get(template__code="dora-final")
    # One calendar month after the intermediate report, on the Helsinki clock: 29 April 12:00.
    assert (final.start_at, final.due_at) == (reported, dt.datetime(2026, 4, 29, 9, 0, tzinfo=dt.UTC))


# --- The REST API -------------------------------------------------------------------------------


def test_the_api_changes_the_organisation_handling_an_incident(lead: User) -> None:
    register = register_made(controller__name="Asiakas Oy")
    incident = confirmed(incident_logged(actor=lead, register=register, detected_at=T0, now=T0), lead)
    processor = Organisation.objects.create(name="Palvelu Oy", role=Organisation.Role.PROCESSOR)
    response = api_as(lead).patch(
        f"/api/incidents/{incident.reference}/", {"organisation": processor.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["organisation"] == {"id": processor.pk, "name": "Palvelu Oy"}
    assert clocks(incident) == {
        ("gdpr-33-1", ""): ("waived", T0 + 72 * HOUR),
        ("gdpr-33-2", "Asiakas Oy"): ("pending", T0 + 24 * HOUR),
    }
    event = AuditEvent.objects.filter(action="incident.updated").latest("seq")
    assert json.loads(event.data)["changes"] == {"organisation": ["Asiakas Oy", "Palvelu Oy"]}


@pytest.mark.parametrize("value", [999_999, "x", True])
def test_the_api_refuses_an_unknown_organisation_by_its_field(lead: User, value: object) -> None:
    incident = incident_logged(actor=lead, detected_at=T0, now=T0)
    before = fresh(incident)
    response = api_as(lead).patch(
        f"/api/incidents/{incident.reference}/", {"organisation": value, "title": "Changed"}, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == ["organisation"]
    assert "organisation" in error["message"]
    if value == 999_999:
        assert error["fields"]["organisation"] == ["No such organisation."]
    after = fresh(incident)
    assert (after.organisation_id, after.title, after.version) == (
        before.organisation_id,
        before.title,
        before.version,
    )


def test_the_service_refuses_an_unknown_organisation_id_by_its_field(lead: User) -> None:
    incident = incident_logged(actor=lead, detected_at=T0, now=T0)
    with pytest.raises(DomainError, match="there is no such organisation") as refused:
        facts(incident, lead, organisation=999_999)
    assert refused.value.field == "organisation"


def test_the_facts_form_offers_the_incidents_organisation_as_already_chosen(lead: User) -> None:
    """So that saving other facts keeps it."""
    incident = incident_logged(actor=lead, detected_at=T0, now=T0)
    page = signed_in(lead).get(f"/incidents/{incident.pk}/").content.decode()
    assert f'<option value="{incident.organisation_id}" selected>' in page
