"""Demo data for ``make run``: a newcomer signs in as each role and sees the product working."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction

from incidents.roles import Role

# Letters and digits that cannot be misread for one another when copied from a terminal.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479"  # noqa: S105 (an alphabet)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    email: str
    role: Role


DEMO_USERS = (
    DemoUser("lead", "Aino", "Virtanen", "aino.virtanen@breachclock.example", Role.SECURITY_LEAD),
    DemoUser("dpo", "Mikko", "Korhonen", "mikko.korhonen@breachclock.example", Role.DPO),
    DemoUser("auditor", "Liisa", "Mäkinen", "liisa.makinen@breachclock.example", Role.AUDITOR),
)


@dataclass(frozen=True)
class DemoCredential:
    username: str
    role: Role
    password: str | None  # None: the user existed and kept its password


def demo_password() -> str:
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(5)) for _ in range(4)]
    return "-".join(groups)


@transaction.atomic
def demo_users_create(*, reset_passwords: bool = False) -> list[DemoCredential]:
    """Create the three demo users, or leave existing ones as they are.

    A new password is returned only when it was just set; it is stored nowhere but as Django's
    salted hash, so the caller prints it once.
    """
    credentials = []
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={"first_name": demo.first_name, "last_name": demo.last_name, "email": demo.email},
        )
        password = None
        if created or reset_passwords:
            password = demo_password()
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=demo.role.value))
        credentials.append(DemoCredential(username=demo.username, role=demo.role, password=password))
    return credentials
