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


# --- Demo incidents ---------------------------------------------------------------------------
# A few incidents at different stages, their clocks counted back from the moment the demo is
# loaded, so that the first screen shows a provisional clock, one running out, one overdue.
# Every act goes through the services, so the audit trail tells their story as it would be told.


@dataclass(frozen=True)
class DemoIncident:
    title: str
    description: str
    register_hint: str  # part of a seed register's name
    detected_hours_ago: float
    stage: str  # how far it is taken: reported, confirmed, notifying, closed
    aware_hours_ago: float | None = None


DEMO_INCIDENTS = (
    DemoIncident(
        "Phishing e-mail answered from the customer service mailbox",
        "An employee entered the mailbox password on a fake login page. Customer messages may have "
        "been read; the password was changed within an hour.",
        "Ilopiste.fi asiakasrekisteri",
        detected_hours_ago=5,
        stage="reported",
    ),
    DemoIncident(
        "Coaching customers' list sent to the wrong recipient",
        "A spreadsheet of coaching customers (names, e-mail addresses, phone numbers) was e-mailed "
        "to an outside partner by mistake.",
        "Valmennuskumppani",
        detected_hours_ago=52,
        aware_hours_ago=50,
        stage="confirmed",
    ),
    DemoIncident(
        "Health profile database exposed by a misconfigured backup",
        "A backup of the customer database, including health profiles, was readable from the "
        "internet without a password for two days.",
        "Elämäsi Kunnossa",
        detected_hours_ago=82,
        aware_hours_ago=80,
        stage="confirmed",
    ),
    DemoIncident(
        "Ransomware on the booking server",
        "The booking server was encrypted by ransomware; customer data on it may have been copied "
        "before the encryption.",
        "OmaParantola",
        detected_hours_ago=32,
        aware_hours_ago=30,
        stage="notifying",
    ),
    DemoIncident(
        "Unencrypted USB stick lost at a trade fair",
        "A USB stick with a list of trade fair visitors was lost; it was found and returned unopened "
        "the next day.",
        "Optimal Performance",
        detected_hours_ago=240,
        aware_hours_ago=238,
        stage="closed",
    ),
)


def _demo_register(hint: str) -> int | None:
    from incidents.models import Register

    register = Register.objects.filter(name__icontains=hint).order_by("pk").first()
    register = register or Register.objects.order_by("pk").first()
    return register.pk if register else None


@transaction.atomic
def demo_incidents_create(*, now: datetime) -> list[str]:
    """Create the demo incidents that are not there yet (by title); return their references."""
    from datetime import timedelta

    from incidents.choices import AuthorityNotice, SubjectsNotice
    from incidents.models import Incident
    from incidents.services import incidents as service
    from incidents.services.assessments import assessment_record

    lead = User.objects.get(username="lead")
    dpo = User.objects.get(username="dpo")
    hour = timedelta(hours=1)
    created = []
    for demo in DEMO_INCIDENTS:
        if Incident.objects.filter(title=demo.title).exists():
            continue
        register_id = _demo_register(demo.register_hint)
        incident = service.incident_create(
            actor=lead,
            title=demo.title,
            description=demo.description,
            detected_at=now - demo.detected_hours_ago * hour,
            register_ids=[register_id] if register_id else [],
            now=now,
        )
        created.append(incident.reference)
        if demo.stage == "reported" or register_id is None:
            continue
        pk = incident.pk
        service.incident_confirm(
            incident_id=pk,
            actor=lead,
            expected_version=None,
            now=now,
            aware_at=now - (demo.aware_hours_ago or demo.detected_hours_ago) * hour,
            aware_reason="The first analysis already showed that customer data was involved.",
        )
        if demo.stage == "confirmed":
            continue
        service.incident_update(
            incident_id=pk,
            actor=lead,
            expected_version=None,
            changes={
                "breach_confidentiality": True,
                "breach_availability": demo.stage == "notifying",
                "likely_consequences": "Customers may receive targeted phishing messages.",
                "measures": "The affected system was isolated and the access rights were reviewed.",
            },
            now=now,
        )
        attacked = demo.stage == "notifying"
        assessment_record(
            incident_id=pk,
            actor=lead,
            values={
                "ease_of_identification": "maximum" if attacked else "limited",
                "confidentiality": "unknown_recipients" if attacked else "none",
                "integrity": "none",
                "availability": "temporary" if attacked else "none",
                "malicious": attacked,
                "vulnerable_subjects": False,
            },
            now=now,
        )
        service.incident_assess(incident_id=pk, actor=lead, expected_version=None, now=now)
        if attacked:
            service.incident_decide(
                incident_id=pk,
                actor=dpo,
                expected_version=None,
                notify_authority=AuthorityNotice.YES,
                notify_subjects=SubjectsNotice.YES,
                reason="Contact details of all customers were copied by an attacker: a high risk of fraud.",
                subjects_target_at=now + 24 * hour,
                now=now,
            )
            service.incident_start_notifying(incident_id=pk, actor=lead, expected_version=None, now=now)
            continue
        service.incident_decide(
            incident_id=pk,
            actor=dpo,
            expected_version=None,
            notify_authority=AuthorityNotice.NO,
            notify_subjects=SubjectsNotice.NO,
            reason="The stick was returned unopened; no one outside saw the data.",
            now=now,
        )
        service.incident_document(incident_id=pk, actor=lead, expected_version=None, now=now)
        service.incident_close(incident_id=pk, actor=lead, expected_version=None, now=now)
    return created
