"""What the mail-merge tests share: a breach whose data-subject notices are approved in each
language, and recipients' files written as Finnish Excel and others write them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.test import TestCase
from docx import Document

from incidents.models import DataItem, Incident, Merge, Notice
from incidents.services import merges as merge_service
from incidents.services import notices as notice_service
from tests.builders import assessed, confirmed, decided, facts
from tests.factories import OrganisationFactory, incident_logged, register_made
from tests.moments import HOUR, T0

HEADER = ["name", "address", "postcode", "city", "country", "email", "language", "data items"]
FIRST_NAMES = ["Matti", "Maija", "Anders", "Åsa", "Pekka", "Liisa", "Jörgen", "Emma"]
LAST_NAMES = ["Meikäläinen", "Virtanen", "Lindström", "Nyström", "Korhonen", "Öhman", "Smith", "Mäkelä"]


def breach(lead: User, dpo: User) -> Incident:
    """A web shop's customer register leaked: names, addresses, e-mail, passwords and card numbers;
    decided a high risk, so the data subjects are told."""
    organisation = OrganisationFactory(
        name="Verkkokauppa Esimerkki Oy",
        business_id="1234567-1",
        dpo_name="Tiina Tietosuoja",
        dpo_email="dpo@esimerkki.fi",
    )
    register = register_made(name="Asiakasrekisteri", controller=organisation)
    for position, (text, data_class) in enumerate([("Salasana", 1), ("Maksukortin numero", 3)], start=3):
        DataItem.objects.create(
            register=register, position=position, text=text, data_class=data_class, suggested_class=data_class
        )
    incident = incident_logged(actor=lead, register=register, description="The shop's database was copied.")
    incident = confirmed(incident, lead)
    incident = facts(incident, lead, measures="The flaw was closed and every password reset.")
    incident = assessed(incident, lead)
    return decided(incident, dpo, "high", subjects_target_at=T0 + 24 * HOUR)


def approved(incident: Incident, lead: User, dpo: User, language: str) -> Notice:
    """The data-subject notice in ``language``, drafted by the lead and approved by the DPO."""
    notice = notice_service.notice_create(
        incident_id=incident.pk,
        actor=lead,
        audience="data_subjects",
        language=language,
        phase="complete",
        now=T0,
    )
    notice_service.notice_edit(
        notice_id=notice.pk,
        actor=lead,
        sections={"what_happened": f"[{language}] Someone copied the shop's customer database."},
        now=T0,
    )
    notice_service.notice_submit(notice_id=notice.pk, actor=lead, now=T0)
    return notice_service.notice_approve(notice_id=notice.pk, actor=dpo, now=T0)


def person(number: int, language: str = "fi") -> dict[str, str]:
    first, last = (
        FIRST_NAMES[number % len(FIRST_NAMES)],
        LAST_NAMES[number // len(FIRST_NAMES) % len(LAST_NAMES)],
    )
    return {
        "name": f"{first} {last} {number}",
        "address": f"Esimerkkikatu {number % 90 + 1} A {number % 7 + 1}",
        "postcode": f"{number % 99999:05d}",
        "city": "Helsinki" if language != "sv" else "Helsingfors",
        "country": "",
        "email": f"person{number}@example.fi",
        "language": language,
        "data items": "",
    }


def recipients_csv(
    rows: Iterable[dict[str, str]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
    header: list[str] = HEADER,
) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=header, delimiter=delimiter, extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def many(count: int, languages: tuple[str, ...] = ("fi",)) -> bytes:
    return recipients_csv(person(number, languages[number % len(languages)]) for number in range(count))


def merged(notice: Notice, actor: User, *, now: dt.datetime, count: int = 3) -> Merge:
    """``count`` letters of the notice merged, their chunks and the result written as the
    transaction commits (at once, in a test whose database commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        merge = merge_service.merge_create(
            notice_id=notice.pk,
            actor=actor,
            file=io.BytesIO(many(count)),
            filename="vastaanottajat.csv",
            output="zip",
            now=now,
        )
    merge.refresh_from_db()
    return merge


def letter_text(data: bytes) -> str:
    """Every paragraph of a letter, the way Word reads it, one per line."""
    document = Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def zip_letters(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}
