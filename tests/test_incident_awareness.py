"""The moment of awareness after confirmation, and its reason: each rule once more where it is
changed later, and the reason kept in the trail however it was given."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User

from incidents.errors import DomainError
from incidents.models import AuditEvent, Incident
from tests.builders import aware_at_moved, confirmed, fresh
from tests.factories import incident_logged
from tests.moments import HOUR, T0

DETECTED = T0 - 2 * HOUR


@pytest.fixture
def confirmed_incident(lead: User) -> Incident:
    return confirmed(incident_logged(actor=lead, detected_at=DETECTED, now=T0), lead)


def test_the_reason_for_an_earlier_awareness_given_at_confirmation_is_in_the_trail(lead: User) -> None:
    incident = incident_logged(actor=lead, detected_at=DETECTED, now=T0)
    confirmed(
        incident,
        lead,
        aware_at=T0 - HOUR,
        aware_reason="  The SOC ticket listed customer records at 09:00.  ",
    )
    data = json.loads(AuditEvent.objects.get(action="incident.confirmed").data)
    assert data["aware_at"] == "2026-03-27T07:00:00.000000Z"
    assert data["aware_reason"] == "The SOC ticket listed customer records at 09:00."


def test_an_earlier_awareness_without_a_reason_is_refused_at_confirmation(lead: User) -> None:
    incident = incident_logged(actor=lead, detected_at=DETECTED, now=T0)
    with pytest.raises(DomainError, match=r"Reason: say why the organisation was aware earlier\.") as refusal:
        confirmed(incident, lead, aware_at=T0 - HOUR)
    assert refusal.value.field == "aware_reason"
    assert not AuditEvent.objects.filter(action="incident.confirmed").exists()


@pytest.mark.parametrize(
    ("aware_at", "message"),
    [
        (T0 + 3 * HOUR, r"Aware at: cannot be in the future\."),
        (DETECTED - HOUR, r"Aware at: cannot be before the incident was detected\."),
        (T0 + HOUR, r"Aware at: cannot be later than the confirmation\."),
    ],
    ids=["future", "before-detection", "after-confirmation"],
)
def test_a_later_change_of_awareness_keeps_every_rule(
    confirmed_incident: Incident, lead: User, aware_at: dt.datetime, message: str
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=message) as refusal:
        aware_at_moved(
            confirmed_incident,
            lead,
            aware_at=aware_at,
            reason="A second look at the logs.",
            now=T0 + 2 * HOUR,
        )
    assert refusal.value.field == "aware_at"
    stored = fresh(confirmed_incident)
    assert stored.aware_at == T0
    assert stored.obligations.get().due_at == T0 + 72 * HOUR
    assert AuditEvent.objects.count() == events


def test_a_change_of_awareness_needs_its_reason(confirmed_incident: Incident, lead: User) -> None:
    with pytest.raises(DomainError, match=r"Reason: say why the moment of awareness changes\.") as refusal:
        aware_at_moved(confirmed_incident, lead, aware_at=T0 - HOUR, reason=" ", now=T0 + HOUR)
    assert refusal.value.field == "reason"
    assert fresh(confirmed_incident).aware_at == T0


def test_awareness_cannot_be_set_before_the_breach_is_confirmed(lead: User) -> None:
    incident = incident_logged(actor=lead, detected_at=DETECTED, now=T0)
    with pytest.raises(DomainError, match="confirm the incident first") as refusal:
        aware_at_moved(incident, lead, aware_at=T0 - HOUR, reason="Known earlier.", now=T0)
    assert refusal.value.field == "aware_at"
    assert fresh(incident).aware_at is None
