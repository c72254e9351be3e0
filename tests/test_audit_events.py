"""What the trail records of Django's own acts: logins, logouts, users, groups, permissions, admin."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from incidents.models import AuditEvent
from tests.conftest import PASSWORD, signed_in


def events_after(seq: int, action_prefix: str = "") -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=seq, action__startswith=action_prefix).order_by("seq"))


def head() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def data(event: AuditEvent) -> Any:
    return json.loads(event.data)


def test_a_login_is_recorded_with_the_user_and_client_address(lead: User) -> None:
    start = head()
    client = Client(REMOTE_ADDR="198.51.100.20")
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    (login,) = events_after(start)
    assert login.action == "auth.login"
    assert (login.actor_id, login.actor_username, login.client_ip) == (lead.pk, "alice", "198.51.100.20")


def test_a_failed_login_keeps_the_username_tried_and_never_the_password(lead: User) -> None:
    start = head()
    Client(REMOTE_ADDR="203.0.113.9").post(
        reverse("login"), {"username": "alice", "password": "Hunter2-guess"}
    )
    Client(REMOTE_ADDR="203.0.113.9").post(reverse("login"), {"username": "nobody", "password": "x"})
    failures = events_after(start)
    assert [event.action for event in failures] == ["auth.login_failed", "auth.login_failed"]
    assert [data(event)["username"] for event in failures] == ["alice", "nobody"]
    assert all(event.client_ip == "203.0.113.9" and event.actor_id is None for event in failures)
    assert all("Hunter2" not in event.data for event in failures)


@pytest.mark.django_db
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings: Any) -> None:
    settings.BEHIND_TLS_PROXY = True
    start = head()
    Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.44").post(
        reverse("login"), {"username": "x", "password": "y"}
    )
    (failure,) = events_after(start)
    assert failure.client_ip == "192.0.2.44"


def test_a_logout_is_recorded_with_the_client_address(dpo: User) -> None:
    client = signed_in(dpo)
    start = head()
    client.post(reverse("logout"), REMOTE_ADDR="198.51.100.21")
    (logout,) = events_after(start)
    assert (logout.action, logout.actor_username, logout.client_ip) == ("auth.logout", "bob", "198.51.100.21")


def test_a_change_of_user_fields_records_before_and_after_but_no_password_hash(lead: User) -> None:
    start = head()
    lead.email = "alice.new@breachclock.example"
    lead.set_password("a completely new passphrase")
    lead.save()
    (changed,) = events_after(start)
    assert changed.action == "user.changed"
    assert data(changed)["changes"] == {
        "email": ["alice@breachclock.example", "alice.new@breachclock.example"],
        "password": ["(set)", "(changed)"],
    }
    assert lead.password.split("$")[-1] not in changed.data


def test_role_changes_are_recorded_from_either_side(lead: User, auditor: User) -> None:
    start = head()
    dpo_group = Group.objects.get(name="DPO")
    lead.groups.add(dpo_group)
    dpo_group.user_set.remove(lead)
    auditor.groups.clear()
    events = [(e.action, e.object_id, data(e)) for e in events_after(start)]
    assert events == [
        ("user.groups_changed", str(lead.pk), {"added": ["DPO"]}),
        ("user.groups_changed", str(lead.pk), {"removed": ["DPO"]}),
        ("user.groups_changed", str(auditor.pk), {"removed": ["auditor"]}),
    ]


@pytest.mark.django_db
def test_permission_changes_of_groups_and_users_are_recorded(lead: User) -> None:
    start = head()
    approve = Permission.objects.get(codename="approve_notice")
    Group.objects.get(name="security lead").permissions.add(approve)
    lead.user_permissions.add(approve)
    events = [(e.action, data(e)) for e in events_after(start)]
    assert events == [
        ("group.permissions_changed", {"added": ["incidents.approve_notice"]}),
        ("user.permissions_changed", {"added": ["incidents.approve_notice"]}),
    ]


def test_a_change_in_django_admin_names_the_administrator(lead: User) -> None:
    admin = User.objects.create_superuser("root", "root@breachclock.example", PASSWORD)
    client = signed_in(admin)
    start = head()
    response = client.post(
        reverse("admin:auth_user_change", args=[lead.pk]),
        {
            "username": "alice",
            "first_name": "Alice",
            "last_name": "Lead",
            "email": "alice@breachclock.example",
            "is_active": "on",
            "groups": [Group.objects.get(name="DPO").pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "00:00:00",
        },
        REMOTE_ADDR="192.0.2.200",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    events = events_after(start)
    actions = [event.action for event in events]
    assert "user.groups_changed" in actions and "admin.changed" in actions
    assert all(event.actor_username == "root" for event in events)
    assert all(event.client_ip == "192.0.2.200" for event in events)
    role_changes = [data(event) for event in events if event.action == "user.groups_changed"]
    assert role_changes == [{"removed": ["security lead"]}, {"added": ["DPO"]}]
    admin_event = next(event for event in events if event.action == "admin.changed")
    assert (admin_event.object_type, admin_event.object_id) == ("auth.user", str(lead.pk))
    assert "Groups" in data(admin_event)["change"]


def test_creating_renaming_and_deleting_a_group_is_recorded_with_before_and_after(db: None) -> None:
    start = head()
    group = Group.objects.create(name="incident responders")
    group.name = "CSIRT"
    group.save()
    group.save()  # nothing changed: nothing to record
    group.delete()
    events = [(e.action, data(e)) for e in events_after(start)]
    assert events == [
        ("group.created", {"name": "incident responders"}),
        ("group.changed", {"changes": {"name": ["incident responders", "CSIRT"]}}),
        ("group.deleted", {"name": "CSIRT"}),
    ]


def test_deleting_a_user_keeps_who_they_were(lead: User) -> None:
    start = head()
    pk = lead.pk
    lead.delete()
    (deleted,) = events_after(start, "user.")
    assert (deleted.action, deleted.object_id) == ("user.deleted", str(pk))
    assert data(deleted)["fields"]["username"] == "alice"
    assert data(deleted)["fields"]["email"] == "alice@breachclock.example"


def test_adding_a_user_in_django_admin_is_recorded_as_an_admin_act(db: None) -> None:
    client = signed_in(User.objects.create_superuser("root", "root@breachclock.example", PASSWORD))
    start = head()
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "dora",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
        REMOTE_ADDR="192.0.2.201",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dora = User.objects.get(username="dora")
    events = events_after(start)
    assert [event.action for event in events] == ["user.created", "admin.added"]
    added = events[-1]
    assert (added.object_type, added.object_id, added.actor_username, added.client_ip) == (
        "auth.user",
        str(dora.pk),
        "root",
        "192.0.2.201",
    )
    assert data(added)["object"] == "dora"


def test_deleting_several_users_at_once_in_django_admin_records_each_deletion(
    lead: User, auditor: User
) -> None:
    """The admin logs a deletion of several objects with bulk_create, which sends no signal."""
    admin = User.objects.create_superuser("root", "root@breachclock.example", PASSWORD)
    start = head()
    response = signed_in(admin).post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [lead.pk, auditor.pk], "post": "yes"},
        REMOTE_ADDR="192.0.2.202",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not User.objects.filter(username__in=["alice", "charlie"]).exists()
    admin_events = events_after(start, "admin.")
    assert sorted((event.action, data(event)["object"]) for event in admin_events) == [
        ("admin.deleted", "alice"),
        ("admin.deleted", "charlie"),
    ]
    assert all(event.actor_username == "root" and event.client_ip == "192.0.2.202" for event in admin_events)
    assert sorted(data(event)["fields"]["username"] for event in events_after(start, "user.deleted")) == [
        "alice",
        "charlie",
    ]
