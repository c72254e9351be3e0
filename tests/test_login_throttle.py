"""Failed sign-ins are throttled per user name and per address (django-axes), on the product's
login and the admin's: after five, even the right password is refused for a while, the page says
why, and the lock-out is in the trail."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from incidents.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def _fail(client: Client, username: str, times: int, url: str = LOGIN) -> None:
    for _attempt in range(times):
        client.post(url, {"username": username, "password": "wrong guess"})


def test_thirty_wrong_passwords_and_then_the_right_one_do_not_sign_in(lead: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    _fail(client, "alice", 30)
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Signing in is locked for now" in page
    assert "locked for 15 minutes, even with the right password" in page
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # still sent to the login page


def test_the_lock_out_is_per_user_name_whatever_the_address(lead: User) -> None:
    for number in range(5):
        _fail(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), "alice", 1)
    response = Client(REMOTE_ADDR="192.0.2.50").post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


def test_the_lock_out_is_per_address_whatever_the_user_name(lead: User, dpo: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.77")
    for name in ("x1", "x2", "x3", "x4", "x5"):
        _fail(client, name, 1)
    assert client.post(LOGIN, {"username": "bob", "password": PASSWORD}).status_code == 429
    # Another address still signs bob in.
    other = Client(REMOTE_ADDR="192.0.2.8")
    assert other.post(LOGIN, {"username": "bob", "password": PASSWORD}).status_code == 302


def test_four_failures_then_the_right_password_sign_in_and_start_the_count_again(lead: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.10")
    _fail(client, "alice", 4)
    assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302
    client.logout()
    _fail(client, "alice", 4)
    assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302


def test_the_lock_out_ends_after_the_cool_off(lead: User) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 27, 8, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = Client(REMOTE_ADDR="203.0.113.11")
        _fail(client, "alice", 5)
        assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 429
        clock.shift(dt.timedelta(minutes=16))
        assert client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code == 302


def test_the_admins_login_is_throttled_too(lead: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.12")
    _fail(client, "alice", 5, url="/admin/login/")
    response = client.post("/admin/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429


def test_a_lock_out_is_in_the_trail_with_the_name_and_the_address(lead: User) -> None:
    _fail(Client(REMOTE_ADDR="203.0.113.13"), "alice", 5)
    (event,) = AuditEvent.objects.filter(action="auth.locked_out")
    assert json.loads(event.data) == {"username": "alice", "ip": "203.0.113.13"}
    assert event.client_ip == "203.0.113.13"
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 5
