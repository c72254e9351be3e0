from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.conf import global_settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone

from incidents.models import AuditEvent, Incident, IncidentState, Obligation, ObligationStatus
from incidents.roles import Role, roles_of


def _login_request() -> HttpRequest:
    """A sign-in as the login page makes it: the throttle (django-axes) needs the request."""
    return RequestFactory().post("/accounts/login/")


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    passwords = {}
    for line in output.splitlines():
        parts = line.split()
        if parts and parts[-1].count("-") == 3 and len(parts) >= 2:
            passwords[parts[-2]] = parts[-1]
    return passwords


@pytest.mark.django_db
def test_demo_creates_one_user_per_role_whose_printed_password_works() -> None:
    passwords = printed_passwords(load_demo())
    assert set(passwords) == {"lead", "dpo", "auditor"}
    expected_roles = {"lead": Role.SECURITY_LEAD, "dpo": Role.DPO, "auditor": Role.AUDITOR}
    for username, password in passwords.items():
        user = authenticate(_login_request(), username=username, password=password)
        assert user is not None, username
        assert roles_of(user) == [expected_roles[username]]


@pytest.mark.django_db
def test_demo_passwords_are_stored_only_as_hashes(settings) -> None:
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the tests' own is a fast one
    passwords = printed_passwords(load_demo())
    for username, password in passwords.items():
        stored = User.objects.get(username=username).password
        assert password not in stored
        assert stored.startswith("pbkdf2_sha256$")


@pytest.mark.django_db
def test_a_second_run_keeps_the_users_and_their_passwords() -> None:
    first = printed_passwords(load_demo())
    second_output = load_demo()
    assert printed_passwords(second_output) == {}
    assert "unchanged" in second_output
    assert User.objects.count() == 3
    assert authenticate(_login_request(), username="dpo", password=first["dpo"]) is not None


@pytest.mark.django_db
def test_reset_passwords_prints_new_ones_and_the_old_stop_working() -> None:
    first = printed_passwords(load_demo())
    second = printed_passwords(load_demo("--reset-passwords"))
    assert set(second) == {"lead", "dpo", "auditor"}
    assert second["lead"] != first["lead"]
    assert authenticate(_login_request(), username="lead", password=first["lead"]) is None
    assert authenticate(_login_request(), username="lead", password=second["lead"]) is not None


@pytest.mark.django_db
def test_demo_incidents_show_each_kind_of_clock_relative_to_the_load() -> None:
    loaded_at = timezone.now()
    with time_machine.travel(loaded_at, tick=False):
        output = load_demo()
    assert "Demo incidents: 5 logged against the seed registers." in output
    states = dict(Incident.objects.values_list("title", "state"))
    assert sorted(states.values()) == sorted(
        [
            IncidentState.REPORTED,
            IncidentState.CONFIRMED,
            IncidentState.CONFIRMED,
            IncidentState.NOTIFYING,
            IncidentState.CLOSED,
        ]
    )
    provisional = Incident.objects.get(next_due_provisional=True)
    assert provisional.state == IncidentState.REPORTED
    assert provisional.next_due_at == provisional.detected_at + dt.timedelta(hours=72)
    assert loaded_at - provisional.detected_at == dt.timedelta(hours=5)

    confirmed = Incident.objects.filter(state=IncidentState.CONFIRMED, next_due_at__gt=loaded_at).get()
    assert confirmed.next_due_at - loaded_at == dt.timedelta(hours=22)
    assert Obligation.objects.get(incident=confirmed).status == ObligationStatus.PENDING

    overdue = Incident.objects.filter(state=IncidentState.CONFIRMED, next_due_at__lt=loaded_at).get()
    art33 = Obligation.objects.get(incident=overdue, template__code="gdpr-33-1")
    assert art33.status == ObligationStatus.MISSED
    assert art33.due_at is not None
    assert loaded_at - art33.due_at == dt.timedelta(hours=8)

    actors = set(
        AuditEvent.objects.filter(incident_id__isnull=False).values_list("actor_username", flat=True)
    )
    assert actors == {"lead", "dpo"}


@pytest.mark.django_db
def test_a_second_load_adds_no_incidents() -> None:
    load_demo()
    incidents, events = Incident.objects.count(), AuditEvent.objects.count()
    assert "Demo incidents: 0 logged" in load_demo()
    assert (Incident.objects.count(), AuditEvent.objects.count()) == (incidents, events)


@pytest.mark.django_db
def test_the_demo_data_is_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="not for production"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.exists()
