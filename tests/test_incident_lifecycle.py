"""The incident lifecycle as a security lead and a DPO live it: each step, its refusals, its trail."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User

from incidents.errors import ChangedMeanwhile, DomainError, TransitionRefused
from incidents.models import AuditEvent, Incident, IncidentState, ObligationStatus
from incidents.services import incidents as service
from incidents.services.obligations import obligation_mark_met, obligation_waive
from tests.builders import assessed, aware_at_moved, confirmed, decided, facts, fresh
from tests.factories import incident_logged, register_made
from tests.moments import HOUR, T0


@pytest.fixture
def incident(lead: User) -> Incident:
    return incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0)


def test_a_new_incident_has_a_reference_and_a_provisional_clock_from_detection(incident: Incident) -> None:
    assert incident.reference == "INC-2026-0001"
    assert incident.state == IncidentState.REPORTED
    incident = fresh(incident)
    assert incident.next_due_provisional is True
    assert incident.next_due_at == T0 - 2 * HOUR + 72 * HOUR
    assert incident.obligations.count() == 0


def test_references_count_up_within_a_year(lead: User) -> None:
    first = incident_logged(actor=lead, detected_at=T0, now=T0)
    second = incident_logged(actor=lead, detected_at=T0, now=T0)
    assert (first.reference, second.reference) == ("INC-2026-0001", "INC-2026-0002")


def test_confirming_sets_awareness_and_starts_the_72_hour_clock(incident: Incident, lead: User) -> None:
    incident = confirmed(incident, lead)
    assert incident.state == IncidentState.CONFIRMED
    assert incident.aware_at == T0
    (art33,) = incident.obligations.all()
    assert art33.template.code == "gdpr-33-1"
    assert art33.due_at == T0 + 72 * HOUR
    assert fresh(incident).next_due_at == T0 + 72 * HOUR
    assert fresh(incident).next_due_provisional is False
    event = AuditEvent.objects.filter(action="incident.confirmed").get()
    assert event.incident_id == incident.pk
    assert json.loads(event.data)["state"] == ["reported", "confirmed"]


def test_awareness_may_be_set_earlier_with_a_reason(incident: Incident, lead: User) -> None:
    incident = confirmed(
        incident,
        lead,
        aware_at=T0 - HOUR,
        aware_reason="The ticket already showed customer records at 09:00.",
    )
    assert incident.aware_at == T0 - HOUR
    assert incident.obligations.get().due_at == T0 + 71 * HOUR


@pytest.mark.parametrize(
    ("aware_at", "message"),
    [
        (T0 + HOUR, "Aware at: cannot be in the future."),
        (T0 - 3 * HOUR, "Aware at: cannot be before the incident was detected."),
    ],
)
def test_awareness_is_never_in_the_future_or_before_detection(
    incident: Incident, lead: User, aware_at: dt.datetime, message: str
) -> None:
    with pytest.raises(DomainError, match=message) as refusal:
        confirmed(incident, lead, aware_at=aware_at, aware_reason="x")
    assert refusal.value.field == "aware_at"
    assert fresh(incident).state == IncidentState.REPORTED


def test_awareness_is_never_later_than_confirmation(incident: Incident, lead: User) -> None:
    incident = confirmed(incident, lead)
    with pytest.raises(DomainError, match=r"Aware at: cannot be later than the confirmation\."):
        aware_at_moved(incident, lead, aware_at=T0 + HOUR, reason="x", now=T0 + 2 * HOUR)


def test_moving_awareness_earlier_moves_the_deadline_and_is_audited(incident: Incident, lead: User) -> None:
    incident = confirmed(incident, lead)
    aware_at_moved(
        incident,
        lead,
        aware_at=T0 - 90 * dt.timedelta(minutes=1),
        reason="Log review showed the exfiltration alert was read at 08:30.",
        now=T0 + HOUR,
    )
    assert incident.obligations.get().due_at == T0 + 72 * HOUR - 90 * dt.timedelta(minutes=1)
    event = AuditEvent.objects.get(action="incident.aware_at_changed")
    assert json.loads(event.data)["reason"] == "Log review showed the exfiltration alert was read at 08:30."
    assert json.loads(event.data)["changes"]["aware_at"][0] == "2026-03-27T08:00:00.000000Z"


def test_confirming_without_a_register_is_refused_naming_the_field(lead: User) -> None:
    from incidents.services.incidents import incident_create

    incident = incident_create(actor=lead, title="Phishing", description="Mail", detected_at=T0, now=T0)
    with pytest.raises(TransitionRefused) as refusal:
        confirmed(incident, lead)
    assert "Affected registers: name at least one register" in str(refusal.value)


def test_an_auditor_cannot_take_any_step_and_is_told_which_role_can(
    incident: Incident, auditor: User
) -> None:
    with pytest.raises(
        TransitionRefused, match=r"Role: this needs a Security lead or Data protection officer"
    ):
        service.incident_start_triage(incident_id=incident.pk, actor=auditor, expected_version=None, now=T0)
    assert fresh(incident).state == IncidentState.REPORTED


def test_only_the_dpo_decides(incident: Incident, lead: User, dpo: User) -> None:
    incident = assessed(confirmed(incident, lead), lead, now=T0 + HOUR)
    with pytest.raises(TransitionRefused, match=r"Role: this needs a Data protection officer"):
        decided(incident, lead, "risk", now=T0 + 2 * HOUR)
    assert decided(incident, dpo, "risk", now=T0 + 2 * HOUR).state == IncidentState.DECIDED


def test_assessing_needs_breach_types_consequences_and_a_risk_assessment(
    incident: Incident, lead: User
) -> None:
    incident = confirmed(incident, lead)
    with pytest.raises(TransitionRefused) as refusal:
        service.incident_assess(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)
    assert refusal.value.reasons == [
        "Breach types: choose confidentiality, integrity and/or availability.",
        "Likely consequences: describe what could follow for the people concerned.",
        "Risk assessment: record it by the ENISA method first.",
    ]


def test_risk_unlikely_waives_the_authority_clock_and_leads_to_documented(
    incident: Incident, lead: User, dpo: User
) -> None:
    incident = decided(
        assessed(confirmed(incident, lead), lead, now=T0 + HOUR), dpo, "unlikely", now=T0 + 2 * HOUR
    )
    art33 = incident.obligations.get(template__code="gdpr-33-1")
    assert art33.status == ObligationStatus.WAIVED
    # The waiver carries the DPO's own reason, not a rule's name.
    assert art33.waived_reason == (
        "The DPO decided the breach is unlikely to result in a risk: " + fresh(incident).decision_reason
    )
    with pytest.raises(TransitionRefused, match="No notification is due"):
        service.incident_start_notifying(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)
    incident = service.incident_document(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)
    assert incident.state == IncidentState.DOCUMENTED


def test_high_risk_needs_a_target_for_telling_the_data_subjects(
    incident: Incident, lead: User, dpo: User
) -> None:
    incident = assessed(confirmed(incident, lead), lead, now=T0 + HOUR)
    with pytest.raises(TransitionRefused, match="Data subjects informed by: set the target time"):
        decided(incident, dpo, "high", now=T0 + 2 * HOUR)
    incident = decided(incident, dpo, "high", now=T0 + 2 * HOUR, subjects_target_at=T0 + 24 * HOUR)
    art34 = incident.obligations.get(template__code="gdpr-34")
    assert (art34.start_at, art34.due_at) == (T0 + 2 * HOUR, T0 + 24 * HOUR)


def test_the_full_path_to_closed(incident: Incident, lead: User, dpo: User) -> None:
    incident = decided(
        assessed(confirmed(incident, lead), lead, now=T0 + HOUR), dpo, "risk", now=T0 + 2 * HOUR
    )
    incident = service.incident_start_notifying(
        incident_id=incident.pk, actor=lead, expected_version=None, now=T0
    )
    with pytest.raises(TransitionRefused, match="every deadline must be met"):
        service.incident_finish_notifying(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)
    art33 = incident.obligations.get(template__code="gdpr-33-1")
    obligation_mark_met(
        obligation_id=art33.pk,
        actor=lead,
        met_at=T0 + 3 * HOUR,
        note="Online form, case TSV/123/2026",
        now=T0 + 4 * HOUR,
    )
    incident = service.incident_finish_notifying(
        incident_id=incident.pk, actor=lead, expected_version=None, now=T0
    )
    with pytest.raises(TransitionRefused, match="Measures: record the remediation"):
        service.incident_close(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)
    facts(incident, lead, measures="Disk encryption")
    incident = service.incident_close(
        incident_id=incident.pk, actor=lead, expected_version=None, now=T0 + 5 * HOUR
    )
    assert incident.state == IncidentState.CLOSED
    assert fresh(incident).next_due_at is None
    steps = list(
        AuditEvent.objects.filter(incident_id=incident.pk, action__startswith="incident.")
        .exclude(action__in=["incident.created", "incident.updated"])
        .values_list("action", flat=True)
    )
    assert steps == [
        "incident.confirmed",
        "incident.assessed",
        "incident.decided",
        "incident.notifying_started",
        "incident.notified",
        "incident.closed",
    ]


def test_dismissing_needs_a_reason_and_reopening_returns_to_triage(incident: Incident, lead: User) -> None:
    with pytest.raises(TransitionRefused, match="Reason for dismissal"):
        service.incident_dismiss(
            incident_id=incident.pk, actor=lead, expected_version=None, reason=" ", now=T0
        )
    incident = service.incident_dismiss(
        incident_id=incident.pk,
        actor=lead,
        expected_version=None,
        reason="Test data only, no real people.",
        now=T0,
    )
    assert incident.state == IncidentState.DISMISSED
    assert fresh(incident).next_due_at is None
    incident = service.incident_reopen(
        incident_id=incident.pk, actor=lead, expected_version=None, reason="Real customer rows found.", now=T0
    )
    assert incident.state == IncidentState.TRIAGE


def test_a_stale_version_is_refused_instead_of_overwriting(incident: Incident, lead: User, dpo: User) -> None:
    version = incident.version
    service.incident_update(
        incident_id=incident.pk,
        actor=dpo,
        expected_version=version,
        changes={"title": "Laptop stolen"},
        now=T0,
    )
    with pytest.raises(ChangedMeanwhile, match="Someone else changed INC-2026-0001 meanwhile"):
        service.incident_update(
            incident_id=incident.pk,
            actor=lead,
            expected_version=version,
            changes={"title": "Phone lost"},
            now=T0,
        )
    assert fresh(incident).title == "Laptop stolen"


def test_the_dpo_waives_with_a_reason_and_a_lead_cannot(incident: Incident, lead: User, dpo: User) -> None:
    incident = confirmed(incident, lead)
    art33 = incident.obligations.get()
    with pytest.raises(DomainError, match="Role: this needs a Data protection officer"):
        obligation_waive(obligation_id=art33.pk, actor=lead, reason="x", now=T0)
    obligation_waive(obligation_id=art33.pk, actor=dpo, reason="Duplicate of INC-2026-0007.", now=T0)
    art33.refresh_from_db()
    assert (art33.status, art33.waived_reason) == (ObligationStatus.WAIVED, "Duplicate of INC-2026-0007.")


def test_nis2_clocks_start_from_detection_when_the_incident_is_significant(lead: User) -> None:
    register = register_made(controller__nis2_scope=True)
    incident = incident_logged(actor=lead, register=register, detected_at=T0 - 2 * HOUR, now=T0)
    facts(incident, lead, nis2_significant=True)
    due = dict(incident.obligations.values_list("template__code", "due_at"))
    # Unconfirmed, yet the NIS2 early warning is nearer than the provisional 72 hours: the
    # dashboard must order and show the incident by it.
    assert (fresh(incident).next_due_at, fresh(incident).next_due_provisional) == (T0 + 22 * HOUR, False)
    # The final report's clock waits for the incident notification to be sent.
    assert due == {
        "nis2-early-warning": T0 + 22 * HOUR,
        "nis2-notification": T0 + 70 * HOUR,
        "nis2-final": None,
    }
    notification = incident.obligations.get(template__code="nis2-notification")
    sent = dt.datetime(2026, 3, 31, 9, 0, tzinfo=dt.UTC)  # 12:00 in Helsinki, summer time
    obligation_mark_met(
        obligation_id=notification.pk, actor=lead, met_at=sent, note="Traficom form", now=sent
    )
    final = incident.obligations.get(template__code="nis2-final")
    assert final.start_at == sent
    assert final.due_at == dt.datetime(2026, 4, 30, 9, 0, tzinfo=dt.UTC)  # one calendar month later


def test_the_dora_initial_notice_is_four_hours_but_never_past_a_day_from_detection(lead: User) -> None:
    register = register_made(controller__dora_scope=True)
    incident = incident_logged(actor=lead, register=register, detected_at=T0 - 22 * HOUR, now=T0)
    incident = confirmed(incident, lead, now=T0 - 10 * HOUR)
    facts(incident, lead, dora_major_at=T0)
    initial = incident.obligations.get(template__code="dora-initial")
    # Detection + 24 h comes before classification + 4 h; the GDPR awareness (T0 - 10 h) plays no part.
    assert initial.due_at == T0 + 2 * HOUR


def test_a_processor_owes_each_affected_controller_a_notice(lead: User) -> None:
    register = register_made(controller__name="Asiakas Oy")
    incident = incident_logged(actor=lead, register=register, detected_at=T0, now=T0)
    from incidents.models import Organisation

    processor = Organisation.objects.create(name="Palvelu Oy", role=Organisation.Role.PROCESSOR)
    facts(incident, lead, organisation=processor)
    incident = confirmed(fresh(incident), lead)
    codes = dict(incident.obligations.values_list("template__code", "recipient_detail"))
    assert codes == {"gdpr-33-2": "Asiakas Oy"}
    assert incident.obligations.get().due_at == T0 + 24 * HOUR
