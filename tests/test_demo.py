from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command

from incidents.roles import Role, roles_of


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
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert roles_of(user) == [expected_roles[username]]


@pytest.mark.django_db
def test_demo_passwords_are_stored_only_as_hashes() -> None:
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
    assert authenticate(username="dpo", password=first["dpo"]) is not None


@pytest.mark.django_db
def test_reset_passwords_prints_new_ones_and_the_old_stop_working() -> None:
    first = printed_passwords(load_demo())
    second = printed_passwords(load_demo("--reset-passwords"))
    assert set(second) == {"lead", "dpo", "auditor"}
    assert second["lead"] != first["lead"]
    assert authenticate(username="lead", password=first["lead"]) is None
    assert authenticate(username="lead", password=second["lead"]) is not None
