"""Two people acting on one incident at the same moment, on PostgreSQL: one of them wins, the other
is told that someone changed it meanwhile, and nothing either did is lost without their knowing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections

from incidents.errors import ChangedMeanwhile, TransitionRefused
from incidents.models import AuditEvent, Incident, IncidentState
from incidents.services import incidents as service
from tests.factories import incident_logged
from tests.moments import HOUR, T0

ROUNDS = 5  # incidents raced on, one after another: the race is won now by one side, now by the other

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "runs on PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises writers with "
            "BEGIN IMMEDIATE, so two acts there cannot overlap"
        )


def _at_once(*acts: Callable[[], Any]) -> list[Any]:
    """Run the acts in threads of their own, released together; each gives its result or its error."""
    barrier = threading.Barrier(len(acts))
    outcomes: list[Any] = [None] * len(acts)

    def run(index: int, act: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index] = act()
        except Exception as error:  # the outcome under test: kept, and asserted below
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_edits_from_the_same_version_keep_one_and_refuse_the_other(lead: User, dpo: User) -> None:
    for round_ in range(ROUNDS):
        incident = incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0, title=f"Alert {round_}")
        read = incident.version

        edit = partial(service.incident_update, incident_id=incident.pk, expected_version=read, now=T0)

        outcomes = _at_once(
            partial(edit, actor=lead, changes={"title": "Laptop stolen"}),
            partial(edit, actor=dpo, changes={"title": "Phone lost"}),
        )

        saved = [outcome for outcome in outcomes if isinstance(outcome, Incident)]
        refused = [outcome for outcome in outcomes if isinstance(outcome, ChangedMeanwhile)]
        assert (len(saved), len(refused)) == (1, 1), outcomes
        assert f"Someone else changed {incident.reference} meanwhile" in str(refused[0])
        stored = Incident.objects.get(pk=incident.pk)
        assert stored.title == saved[0].title
        assert stored.version == read + 1
        (event,) = AuditEvent.objects.filter(incident_id=incident.pk, action="incident.updated")
        assert f'"{stored.title}"' in event.data


def test_two_steps_at_once_take_one_and_refuse_the_other(lead: User, dpo: User) -> None:
    for round_ in range(ROUNDS):
        incident = incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0, title=f"Alert {round_}")
        read = incident.version

        acting: dict[str, Any] = {"incident_id": incident.pk, "expected_version": read, "now": T0}

        outcomes = _at_once(
            partial(service.incident_confirm, actor=lead, **acting),
            partial(service.incident_dismiss, actor=dpo, reason="A test alert.", **acting),
        )

        taken = [outcome for outcome in outcomes if isinstance(outcome, Incident)]
        refused = [outcome for outcome in outcomes if isinstance(outcome, ChangedMeanwhile)]
        assert (len(taken), len(refused)) == (1, 1), outcomes
        stored = Incident.objects.get(pk=incident.pk)
        assert stored.state == taken[0].state
        assert stored.state in (IncidentState.CONFIRMED, IncidentState.DISMISSED)
        steps = AuditEvent.objects.filter(
            incident_id=incident.pk, action__in=["incident.confirmed", "incident.dismissed"]
        )
        assert steps.count() == 1
        assert (stored.state == IncidentState.CONFIRMED) == stored.obligations.exists()


def test_a_step_without_a_version_waits_its_turn_and_is_refused_from_the_new_state(
    lead: User, dpo: User
) -> None:
    """An act that names no version (a script's) is not lost either: it runs after the other, on
    what the other left, and is refused there if it no longer fits."""
    for round_ in range(ROUNDS):
        incident = incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0, title=f"Alert {round_}")

        acting: dict[str, Any] = {"incident_id": incident.pk, "expected_version": None, "now": T0}

        outcomes = _at_once(
            partial(service.incident_confirm, actor=lead, **acting),
            partial(service.incident_dismiss, actor=dpo, reason="A test alert.", **acting),
        )

        taken = [outcome for outcome in outcomes if isinstance(outcome, Incident)]
        refused = [outcome for outcome in outcomes if isinstance(outcome, TransitionRefused)]
        assert (len(taken), len(refused)) == (1, 1), outcomes
        assert Incident.objects.get(pk=incident.pk).state == taken[0].state
        assert (
            AuditEvent.objects.filter(
                incident_id=incident.pk, action__in=["incident.confirmed", "incident.dismissed"]
            ).count()
            == 1
        )
