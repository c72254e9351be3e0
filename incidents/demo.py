"""Demo data for ``make run``: a newcomer signs in as each role and sees the product working."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction

from incidents.audit.context import SYSTEM, acting_as
from incidents.roles import Role

if TYPE_CHECKING:
    from incidents.importer.service import ImportReport

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


# The five seed statements, kept in the repository so that a fresh clone has its demo data.
DEMO_STATEMENTS_DIR = settings.BASE_DIR / "tests" / "fixtures" / "seeds"


def demo_registers_import(*, now: datetime) -> ImportReport:
    """Import the seed statements as the system. A statement imported before, unchanged, is left
    alone, so that every `make run` does not add its imports to the audit trail again."""
    from incidents.importer import statement_text
    from incidents.importer.service import StatementFile, registers_import
    from incidents.models import SourceDocument

    files = []
    for path in sorted(DEMO_STATEMENTS_DIR.glob("*.txt")):
        content = path.read_bytes()
        digest = hashlib.sha256(statement_text(source=path.name, content=content).encode()).hexdigest()
        if not SourceDocument.objects.filter(sha256=digest, registers__isnull=False).exists():
            files.append(StatementFile(name=path.name, content=content))
    with acting_as(SYSTEM):
        return registers_import(actor=SYSTEM, files=files, now=now)
