"""The clocks' own rules (incidents/clocks/obligations.py): the worst case before confirmation, the
moments the reminders are planned for, and the words a clock that no longer applies is waived with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from incidents.clocks.obligations import provisional_clock
from incidents.errors import DomainError
from incidents.models import Incident, ObligationStatus, Organisation
from incidents.services.obligations import obligation_mark_met, obligation_waive
from tests.builders import art33, assessed, aware_at_moved, clock, clocks, confirmed, decided, facts
from tests.factories import OrganisationFactory, incident_logged, register_made
from tests.moments import HOUR, T0


def worst_case(incident: Incident) -> tuple[dt.datetime, str] | None:
    """The provisional deadline and the code of the clock it stands for."""
    provisional = provisional_clock(incident)
    return None if provisional is None else (provisional[0], provisional[1].code)


def planned(incident: Incident, code: str) -> dict[str, dt.datetime]:
    """The reminders still to be sent for the clock ``code``, by threshold."""
    return dict(
        clock(incident, code).reminders.filter(sent_at__isnull=True).values_list("threshold", "fire_at")
    )


# --- Before confirmation: the shortest deadline the incident could have --------------------------


def test_a_controllers_worst_case_is_the_72_hours_of_art_33_from_detection(db: None) -> None:
    unsaved = Incident(detected_at=T0)  # the rule needs the facts only; no organisation: the controller
    assert worst_case(unsaved) == (T0 + 72 * HOUR, "gdpr-33-1")


def test_a_processors_worst_case_is_its_customers_contract_even_when_longer_than_a_day(lead: User) -> None:
    customer = OrganisationFactory(name="Asiakas Oy", processor_notice_hours=36)
    processor = OrganisationFactory(name="Palvelu Oy", role=Organisation.Role.PROCESSOR)
    incident = incident_logged(
        actor=lead, register=register_made(controller=customer), organisation=processor, detected_at=T0
    )
    assert worst_case(incident) == (T0 + 36 * HOUR, "gdpr-33-2")


def test_a_processor_with_two_customers_counts_from_the_stricter_contract(lead: User) -> None:
    register = register_made(controller=OrganisationFactory(name="Asiakas Oy", processor_notice_hours=36))
    register.joint_controllers.add(
        Organisation.objects.create(name="Toinen Asiakas Oy", processor_notice_hours=30)
    )
    processor = OrganisationFactory(name="Palvelu Oy", role=Organisation.Role.PROCESSOR)
    incident = incident_logged(actor=lead, register=register, organisation=processor, detected_at=T0)
    assert worst_case(incident) == (T0 + 30 * HOUR, "gdpr-33-2")


def test_a_controller_is_not_hurried_by_the_contracts_of_the_registers_controllers(lead: User) -> None:
    register = register_made(controller=OrganisationFactory(name="Asiakas Oy", processor_notice_hours=6))
    controller = OrganisationFactory(name="Oma Oy", role=Organisation.Role.CONTROLLER)
    incident = incident_logged(actor=lead, register=register, organisation=controller, detected_at=T0)
    assert worst_case(incident) == (T0 + 72 * HOUR, "gdpr-33-1")


def test_when_nis2_and_dora_both_give_a_day_the_nis2_early_warning_stands_for_them(lead: User) -> None:
    register = register_made(controller=OrganisationFactory(nis2_scope=True, dora_scope=True))
    incident = incident_logged(actor=lead, register=register, detected_at=T0)
    assert worst_case(incident) == (T0 + 24 * HOUR, "nis2-early-warning")


# --- The reminders: at 50, 75 and 90 % of the period, at the deadline, then 12 hours after ------------


def test_a_clock_of_a_day_reminds_at_12_18_and_21_36_hours_then_at_and_after_its_deadline(lead: User) -> None:
    incident = incident_logged(
        actor=lead, register=register_made(controller=OrganisationFactory(nis2_scope=True)), detected_at=T0
    )
    facts(incident, lead, nis2_significant=True)
    assert planned(incident, "nis2-early-warning") == {
        "p50": T0 + 12 * HOUR,
        "p75": T0 + 18 * HOUR,
        "p90": T0 + dt.timedelta(hours=21, minutes=36),
        "due": T0 + 24 * HOUR,
        "overdue-1": T0 + 36 * HOUR,
    }


def test_a_clock_still_waiting_for_its_start_has_no_deadline_and_no_reminders(lead: User) -> None:
    incident = incident_logged(
        actor=lead, register=register_made(controller=OrganisationFactory(nis2_scope=True)), detected_at=T0
    )
    facts(incident, lead, nis2_significant=True)
    final = clock(incident, "nis2-final")  # counts from the incident notification, not yet sent
    assert (final.status, final.start_at, final.due_at) == (ObligationStatus.PENDING, None, None)
    assert planned(incident, "nis2-final") == {}


def test_a_dora_notice_classified_after_its_cap_is_overdue_with_no_share_of_the_period_to_remind_of(
    lead: User,
) -> None:
    register = register_made(controller=OrganisationFactory(dora_scope=True))
    incident = incident_logged(actor=lead, register=register, detected_at=T0 - 30 * HOUR)
    facts(incident, lead, dora_major_at=T0 - HOUR)
    initial = clock(incident, "dora-initial")
    # Classified at T0 - 1 h, but due 24 hours after detection: at T0 - 6 h, before it started.
    assert (initial.status, initial.start_at, initial.due_at) == (
        ObligationStatus.MISSED,
        T0 - HOUR,
        T0 - 6 * HOUR,
    )
    assert planned(incident, "dora-initial") == {"due": T0 - 6 * HOUR, "overdue-1": T0 + 6 * HOUR}


# --- A clock that no longer applies -------------------------------------------------------------


def test_a_clock_that_no_longer_applies_names_the_condition_and_comes_back_when_it_holds_again(
    lead: User,
) -> None:
    register = register_made(controller=OrganisationFactory(dora_scope=True))
    incident = confirmed(incident_logged(actor=lead, register=register), lead)
    facts(incident, lead, dora_major_at=T0)
    facts(incident, lead, dora_major_at=None, now=T0 + HOUR)
    lapsed = clock(incident, "dora-initial")
    assert (lapsed.status, lapsed.waived_reason) == (
        ObligationStatus.WAIVED,
        "No longer applies: Financial entity (DORA) and a major ICT incident.",
    )
    assert planned(incident, "dora-initial") == {}
    facts(incident, lead, dora_major_at=T0 + HOUR, now=T0 + 2 * HOUR)
    again = clock(incident, "dora-initial")
    assert (again.status, again.waived_reason, again.due_at) == (ObligationStatus.PENDING, "", T0 + 5 * HOUR)
    assert planned(incident, "dora-initial")["due"] == T0 + 5 * HOUR


def test_a_processor_that_turns_out_to_be_the_controller_owes_the_authority_instead(lead: User) -> None:
    customer = OrganisationFactory(name="Asiakas Oy")
    processor = OrganisationFactory(name="Palvelu Oy", role=Organisation.Role.PROCESSOR)
    incident = confirmed(
        incident_logged(actor=lead, register=register_made(controller=customer), organisation=processor), lead
    )
    assert set(clocks(incident)) == {("gdpr-33-2", "Asiakas Oy")}
    facts(incident, lead, organisation=customer, now=T0 + HOUR)
    assert clocks(incident) == {
        ("gdpr-33-1", ""): (ObligationStatus.PENDING, T0 + 72 * HOUR),
        ("gdpr-33-2", "Asiakas Oy"): (ObligationStatus.WAIVED, T0 + 24 * HOUR),
    }
    assert (
        clock(incident, "gdpr-33-2").waived_reason
        == "No longer applies: The organisation acts as a processor."
    )


def test_a_clock_the_dpo_waived_stays_waived_with_their_reason_when_the_facts_change(
    lead: User, dpo: User
) -> None:
    incident = confirmed(incident_logged(actor=lead), lead)
    obligation_waive(
        obligation_id=art33(incident).pk, actor=dpo, reason="Notified by the parent company.", now=T0 + HOUR
    )
    aware_at_moved(incident, lead, aware_at=T0 - HOUR, reason="The ticket was older.", now=T0 + 2 * HOUR)
    waived = art33(incident)
    assert (waived.status, waived.waived_reason) == (
        ObligationStatus.WAIVED,
        "Notified by the parent company.",
    )
    assert planned(incident, "gdpr-33-1") == {}


def test_sent_in_the_minute_its_clock_started_is_sent_then_not_refused(lead: User, dpo: User) -> None:
    """A form gives the minute only: 10:00 for a clock started at 10:00:30 is within it."""
    incident = assessed(confirmed(incident_logged(actor=lead), lead), lead)
    decided_at = T0 + dt.timedelta(seconds=30)
    incident = decided(incident, dpo, "high", now=decided_at, subjects_target_at=T0 + 24 * HOUR)
    art34 = clock(incident, "gdpr-34")
    assert art34.start_at == decided_at
    with pytest.raises(DomainError, match="cannot be before the clock started"):
        obligation_mark_met(
            obligation_id=art34.pk, actor=lead, met_at=T0 - dt.timedelta(minutes=1), note="x", now=T0 + HOUR
        )
    met = obligation_mark_met(obligation_id=art34.pk, actor=lead, met_at=T0, note="Letters", now=T0 + HOUR)
    assert met.met_at == decided_at  # recorded as sent when its clock started, not before
