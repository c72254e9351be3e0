"""No act without its event: each write of the services layer records its event, and when that
event cannot be written the act itself is undone, leaving the database as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import DatabaseError

from incidents.api.tokens import api_token_issue
from incidents.clocks.reminders import reminders_send_due
from incidents.importer.service import StatementFile, registers_import
from incidents.models import AuditEvent, Incident, Obligation
from incidents.registers.services import data_items_of, register_update
from incidents.services import incidents as service
from incidents.services.obligations import obligation_mark_met, obligation_set_target, obligation_waive
from tests.builders import art33, aware_at_moved, confirmed
from tests.factories import incident_logged, register_made
from tests.moments import HOUR, T0

SEED = Path(__file__).parent / "fixtures" / "seeds" / "000_44d5f0c52f7bbeaa.txt"

Act = Callable[[dict[str, Any]], object]


def _database() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the product writes, but the trail's own."""
    models = [*apps.get_app_config("incidents").get_models(), apps.get_model("knox", "AuthToken")]
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in models
        if model is not AuditEvent and model._meta.managed
    }


def _logged(people: dict[str, Any]) -> Incident:
    return incident_logged(actor=people["lead"], detected_at=T0 - 2 * HOUR, now=T0)


def _confirmed(people: dict[str, Any]) -> Incident:
    return confirmed(_logged(people), people["lead"])


def _preliminary_sent(people: dict[str, Any]) -> Obligation:
    incident = _confirmed(people)
    obligation_mark_met(
        obligation_id=art33(incident).pk,
        actor=people["lead"],
        met_at=T0 + HOUR,
        note="Preliminary notice through the e-service.",
        now=T0 + HOUR,
        complete=False,
    )
    return incident.obligations.get(template__code="gdpr-33-4")


# Each act: (the event it records, what to prepare, the act on what was prepared).
ACTS: dict[str, tuple[str, Callable[[dict[str, Any]], Any], Callable[[dict[str, Any], Any], object]]] = {
    "log an incident": (
        "incident.created",
        lambda people: register_made(),
        lambda people, register: incident_logged(
            actor=people["lead"], register=register, detected_at=T0 - HOUR, now=T0
        ),
    ),
    "change its facts": (
        "incident.updated",
        _logged,
        lambda people, incident: service.incident_update(
            incident_id=incident.pk,
            actor=people["lead"],
            expected_version=incident.version,
            changes={"title": "Phone lost"},
            now=T0,
        ),
    ),
    "change its registers": (
        "incident.registers_changed",
        lambda people: (_logged(people), register_made()),
        lambda people, prepared: service.incident_set_registers(
            incident_id=prepared[0].pk,
            actor=people["lead"],
            expected_version=None,
            affected={prepared[1].pk: {"approx_subjects": 120}},
            now=T0,
        ),
    ),
    "confirm it": (
        "incident.confirmed",
        _logged,
        lambda people, incident: confirmed(incident, people["lead"]),
    ),
    "move its awareness": (
        "incident.aware_at_changed",
        _confirmed,
        lambda people, incident: aware_at_moved(
            incident,
            people["lead"],
            aware_at=T0 - HOUR,
            reason="The SOC's ticket showed the leak an hour earlier.",
            now=T0 + HOUR,
        ),
    ),
    "record a notice sent": (
        "obligation.met",
        _confirmed,
        lambda people, incident: obligation_mark_met(
            obligation_id=art33(incident).pk,
            actor=people["lead"],
            met_at=T0 + HOUR,
            note="Through the e-service, case 1/2026.",
            now=T0 + HOUR,
        ),
    ),
    "waive a clock": (
        "obligation.waived",
        _confirmed,
        lambda people, incident: obligation_waive(
            obligation_id=art33(incident).pk, actor=people["dpo"], reason="Encrypted, key safe.", now=T0
        ),
    ),
    "set a target": (
        "obligation.target_set",
        _preliminary_sent,
        lambda people, obligation: obligation_set_target(
            obligation_id=obligation.pk, actor=people["dpo"], due_at=T0 + 30 * HOUR, now=T0 + 2 * HOUR
        ),
    ),
    "send a due reminder": (
        "reminder.sent",
        _confirmed,
        lambda people, incident: reminders_send_due(now=T0 + 37 * HOUR),
    ),
    "edit a register": (
        "register.changed",
        lambda people: register_made(),
        lambda people, register: register_update(
            actor=people["lead"],
            register=register,
            values={"purpose": "Customer service."},
            items=data_items_of(register),
            now=T0,
        ),
    ),
    "import a statement": (
        "register.imported",
        lambda people: None,
        lambda people, _: registers_import(
            actor=people["lead"], files=[StatementFile(SEED.name, SEED.read_bytes())], now=T0
        ),
    ),
    "issue an API token": (
        "api_token.issued",
        lambda people: None,
        lambda people, _: api_token_issue(user=people["lead"], actor=people["dpo"], now=T0),
    ),
}


@pytest.fixture
def people(lead: User, dpo: User) -> dict[str, Any]:
    return {"lead": lead, "dpo": dpo}


@pytest.mark.parametrize("name", ACTS)
def test_each_act_records_its_event(name: str, people: dict[str, Any]) -> None:
    action, prepare, act = ACTS[name]
    prepared = prepare(people)
    start = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    act(people, prepared)
    assert action in AuditEvent.objects.filter(seq__gt=start).values_list("action", flat=True)


@pytest.mark.parametrize("name", ACTS)
def test_an_act_whose_event_cannot_be_written_is_undone(
    name: str, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, prepare, act = ACTS[name]
    prepared = prepare(people)
    before, events = _database(), AuditEvent.objects.count()

    def refuse(self: AuditEvent, *args: object, **kwargs: object) -> None:
        raise DatabaseError("the audit trail is out of space")

    monkeypatch.setattr(AuditEvent, "save", refuse)
    try:
        outcome = act(people, prepared)
    except DatabaseError as error:
        assert "out of space" in str(error)
    else:
        # The importer reports a file it could not save instead of raising, and goes on.
        assert name == "import a statement"
        assert "could not be saved" in str(outcome.files[0].error)  # type: ignore[attr-defined]
    assert _database() == before
    assert AuditEvent.objects.count() == events
