"""The lifecycle's one table: each step's service, web form and API input take the same names, and
each refusal carries the field it names."""

from __future__ import annotations

import inspect

import pytest
from django.contrib.auth.models import User

from incidents.api.inputs import step_input
from incidents.errors import TransitionRefused
from incidents.forms.incidents import step_form
from incidents.lifecycle import guards
from incidents.lifecycle.steps import STEPS
from incidents.lifecycle.timeline import ACTION_WORDS
from incidents.models import Incident
from incidents.services import incidents as service
from incidents.services.incidents import step_service
from tests.api_support import api_as, error_of
from tests.builders import confirmed
from tests.factories import incident_logged
from tests.moments import T0

# What every step's service takes besides the step's own inputs.
COMMON = {"incident_id", "actor", "expected_version", "now"}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_step_is_called_by_the_same_names_from_the_page_the_api_and_the_service(step: str) -> None:
    names = {spec.name for spec in STEPS[step].inputs}
    parameters = inspect.signature(step_service(step)).parameters
    assert set(parameters) - COMMON == names
    assert all(parameter.kind is inspect.Parameter.KEYWORD_ONLY for parameter in parameters.values())
    assert set(step_form(step).base_fields) - {"version"} == names
    assert set(step_input(step)().fields) - {"expected_version"} == names


@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_is_an_incident_transition_with_its_words_in_the_timeline(step: str) -> None:
    assert hasattr(getattr(Incident, step), "_django_fsm")
    assert ACTION_WORDS[STEPS[step].action] == STEPS[step].done


def test_every_guard_names_the_field_its_refusal_is_about() -> None:
    marked = [value for value in vars(guards).values() if hasattr(value, "refusal")]
    assert len(marked) == 14
    assert {guard.__name__: guard.field for guard in marked}["has_dismissal_reason"] == "reason"
    assert all(hasattr(guard, "field") for guard in marked)


def test_a_refusal_carries_its_field_to_the_service_caller_and_the_api(lead: User, dpo: User) -> None:
    incident = confirmed(incident_logged(actor=lead, detected_at=T0, now=T0), lead)
    with pytest.raises(TransitionRefused) as refused:
        service.incident_assess(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)
    assert set(refused.value.fields) == {"breach_types", "likely_consequences", "assessment"}
    response = api_as(lead).post(
        f"/api/incidents/{incident.reference}/transitions/assess/", {}, format="json"
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["fields"] == refused.value.fields
    assert error["reasons"] == refused.value.reasons
