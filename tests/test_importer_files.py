"""Files as they arrive: encodings, bad files, and the import act (transactions, re-imports, audit)."""

from __future__ import annotations

import codecs
import json

import pytest
from django.contrib.auth.models import User

from incidents.importer import MAX_STATEMENT_BYTES, StatementRejected, statement_parse, statement_text
from incidents.importer.decoding import statement_read
from incidents.importer.service import StatementFile, registers_import
from incidents.models import AuditEvent, DataItem, Organisation, Register, SourceDocument
from tests.importer_support import seed_path, seed_text
from tests.moments import IMPORTED_AT

SEEDS = ["000", "001", "002", "003", "004"]
# What a Latin-1 editor has instead of the few characters Latin-1 lacks.
LATIN1_STAND_INS = str.maketrans({"•": "·", "€": "EUR", "”": '"'})


def _registers(text: str) -> list[dict[str, object]]:
    return [r.as_json() for r in statement_parse(source="s.txt", text=text).registers]


ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "windows-1252": lambda text: text.encode("cp1252"),
    "windows-1252-crlf": lambda text: text.replace("\n", "\r\n").encode("cp1252"),
    "latin-1": lambda text: text.translate(LATIN1_STAND_INS).encode("latin-1"),
}


@pytest.mark.parametrize("number", SEEDS)
@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_every_seed_reads_the_same_in_every_encoding(number: str, encoding: str) -> None:
    original = seed_text(number)
    if encoding == "latin-1":
        original = original.translate(LATIN1_STAND_INS)
    decoded = statement_text(source="s.txt", content=ENCODINGS[encoding](original))
    assert decoded == original
    assert _registers(decoded) == _registers(original)


def test_a_latin1_file_keeps_its_finnish_letters() -> None:
    text = statement_text(source="s.txt", content="Rekisterinpitäjä: Öljy-Åström Oy".encode("latin-1"))
    assert text == "Rekisterinpitäjä: Öljy-Åström Oy"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_recognised(codec: str) -> None:
    original = seed_text("000")
    decoded = statement_read(source="s.txt", content=original.encode(codec))
    assert decoded.text == original and decoded.warnings == []


def test_a_utf8_file_with_one_bad_byte_stays_utf8_and_the_warning_names_its_line() -> None:
    content = "Rekisterinpitäjä\nÖljy-Åström Oy\n".encode() + b"Asiakasrekisteri \xe4\n"
    decoded = statement_read(source="s.txt", content=content)
    assert decoded.text == "Rekisterinpitäjä\nÖljy-Åström Oy\nAsiakasrekisteri \ufffd\n"
    assert len(decoded.warnings) == 1 and decoded.warnings[0].startswith("Line 3:")


def test_control_characters_anywhere_are_removed_with_a_warning_naming_the_lines() -> None:
    original = seed_text("000").split("\n")
    damaged = [original[0], original[1] + "\x07", "\x1b" + original[2], *original[3:]]
    decoded = statement_read(source="s.txt", content="\n".join(damaged).encode())
    assert decoded.text == "\n".join(original)
    assert decoded.warnings == ["Lines 2, 3: control characters were removed; check the text there."]


def test_characters_that_reverse_text_are_stripped_from_names_with_a_warning() -> None:
    content = "Rekisterinpitäjä: Öljy \u202eyO moc.live\u202c Oy\n".encode()
    decoded = statement_read(source="s.txt", content=content)
    assert decoded.text == "Rekisterinpitäjä: Öljy yO moc.live Oy\n"
    assert len(decoded.warnings) == 1 and decoded.warnings[0].startswith("Line 1: characters that reverse")


def test_a_form_feed_from_a_pdf_is_a_line_break_without_a_warning() -> None:
    decoded = statement_read(source="s.txt", content=b"Rekisteriseloste\x0cRekisterinpit\xc3\xa4j\xc3\xa4\n")
    assert decoded.text == "Rekisteriseloste\nRekisterinpitäjä\n" and decoded.warnings == []


def test_what_the_reading_changed_is_among_each_registers_warnings(lead: User) -> None:
    content = seed_path("000").read_bytes().replace(b"Rekisteri", b"Rekis\x07teri", 1)
    report = registers_import(
        actor=lead, files=[StatementFile("s.txt", content)], dry_run=True, now=IMPORTED_AT
    )
    (outcome,) = report.files
    assert outcome.error is None and outcome.registers
    for register in outcome.registers:
        assert register.parsed.warnings[0].startswith("Line ")
        assert "control characters were removed" in register.parsed.warnings[0]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty."),
        (b"  \r\n\t\n", "the file is empty."),
        (codecs.BOM_UTF8 + b"\n", "the file is empty."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "the file could not be read as a PDF document"),
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            "the file is not text (it looks like a Word, OpenDocument or zip file)",
        ),
        (bytes(range(256)) * 4, "the file is not text (it looks like a binary file)"),
        (b"a" * (MAX_STATEMENT_BYTES + 1), "the file is larger than 2 MB"),
    ],
    ids=["empty", "blank", "bom-only", "pdf", "docx", "binary", "oversized"],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_reason(content: bytes, reason: str) -> None:
    with pytest.raises(StatementRejected) as refused:
        statement_text(source="seloste.txt", content=content)
    assert str(refused.value).startswith(f"seloste.txt: {reason}")


def _file(number: str) -> StatementFile:
    path = seed_path(number)
    return StatementFile(name=path.name, content=path.read_bytes())


@pytest.mark.django_db
def test_importing_the_seeds_creates_registers_organisations_and_audit_events(lead: User) -> None:
    report = registers_import(actor=lead, files=[_file(n) for n in SEEDS], now=IMPORTED_AT)
    assert not report.failed
    assert Register.objects.count() == 6
    assert Organisation.objects.filter(business_id="2332801-7").get().name == "Optimal Performance Oy"
    optimal = Register.objects.get(controller__business_id="2332801-7")
    assert [o.name for o in optimal.joint_controllers.all()] == ["Optimal Performance Center Finland Oy"]
    assert optimal.transfers_outside_eea == "yes"
    assert optimal.source is not None and optimal.source.text == seed_text("000")
    assert optimal.source.law_basis == "523/1999"
    health = Register.objects.get(controller__business_id="2511641-3")
    hetu = health.data_items.get(text="syntymäaika tai henkilötunnus")
    assert (hetu.data_class, hetu.suggested_class, hetu.henkilotunnus) == (4, 4, True)
    imported = AuditEvent.objects.filter(action="register.imported")
    assert imported.count() == 6
    assert {event.actor_username for event in imported} == {"alice"}
    event = imported.get(object_id=str(optimal.pk))
    data = json.loads(event.data)
    assert data["source"] == seed_path("000").name
    assert data["fields"]["controller"] == "Optimal Performance Oy"
    assert "Puhelinnumero (simple)" in data["fields"]["data_items"]


@pytest.mark.django_db
def test_importing_the_same_statement_again_updates_the_same_register_and_says_what_changed(
    dpo: User,
) -> None:
    registers_import(actor=dpo, files=[_file("002")], now=IMPORTED_AT)
    register = Register.objects.get()
    changed = seed_text("002").replace("• skypeosoite\n", "• skypeosoite\n• pankkitilin numero\n")
    changed = changed.replace("Hannele Pujari", "Hannele Pujari-Virta")
    report = registers_import(
        actor=dpo, files=[StatementFile(name="002-uusi.txt", content=changed.encode())], now=IMPORTED_AT
    )
    [outcome] = report.files[0].registers
    assert outcome.created is False
    assert outcome.register_id == register.pk
    assert Register.objects.count() == 1
    assert outcome.changes["contact_person"] == ["Hannele Pujari", "Hannele Pujari-Virta"]
    before, after = outcome.changes["data_items"]
    assert set(after) - set(before) == {"pankkitilin numero (financial)"}
    updated = AuditEvent.objects.get(action="register.updated")
    assert json.loads(updated.data)["changes"]["contact_person"] == ["Hannele Pujari", "Hannele Pujari-Virta"]
    assert updated.object_id == str(register.pk)

    again = registers_import(
        actor=dpo, files=[StatementFile(name="002-uusi.txt", content=changed.encode())], now=IMPORTED_AT
    )
    assert again.files[0].registers[0].changes == {}
    assert AuditEvent.objects.filter(action="register.updated").count() == 2  # every import is recorded


@pytest.mark.django_db
def test_a_class_a_user_corrected_survives_a_re_import(dpo: User) -> None:
    registers_import(actor=dpo, files=[_file("004")], now=IMPORTED_AT)
    item = DataItem.objects.get(text="tilaushistoria")
    item.data_class = 3
    item.save()
    registers_import(actor=dpo, files=[_file("004")], now=IMPORTED_AT)
    item = DataItem.objects.get(text="tilaushistoria")
    assert (item.data_class, item.suggested_class) == (3, 2)


@pytest.mark.django_db
def test_a_bad_file_leaves_nothing_and_the_others_are_imported(lead: User) -> None:
    files = [
        StatementFile(name="tyhjä.txt", content=b""),
        _file("003"),
        StatementFile(name="kuva.png", content=b"\x89PNG\r\n\x1a\n" + bytes(64)),
        StatementFile(name="lista.txt", content="Maitoa\nLeipää\n".encode()),
    ]
    report = registers_import(actor=lead, files=files, now=IMPORTED_AT)
    errors = {outcome.source: outcome.error for outcome in report.files}
    assert errors["tyhjä.txt"] == "tyhjä.txt: the file is empty."
    assert errors["kuva.png"] is not None and errors["kuva.png"].startswith("kuva.png: the file is not text")
    assert errors["lista.txt"] is not None and "does not look like a privacy statement" in errors["lista.txt"]
    assert errors[seed_path("003").name] is None
    assert [r.name for r in Register.objects.all()] == [
        "Valmennuskumppani Oy:n asiakas- ja markkinointirekisteri"
    ]
    assert SourceDocument.objects.count() == 1
    refused = AuditEvent.objects.filter(action="register.import_refused").order_by("seq")
    assert [(json.loads(event.data)["source"], event.actor_username) for event in refused] == [
        ("tyhjä.txt", "alice"),
        ("kuva.png", "alice"),
        ("lista.txt", "alice"),
    ]
    assert json.loads(refused[0].data)["reason"] == "tyhjä.txt: the file is empty."


@pytest.mark.django_db
def test_a_statement_naming_no_controller_is_imported_once_with_its_warning(lead: User) -> None:
    from django.db import IntegrityError, transaction

    from tests.test_importer_layouts import NO_CONTROLLER

    statement = StatementFile(name="palautteet.txt", content=NO_CONTROLLER.encode())
    first = registers_import(actor=lead, files=[statement], now=IMPORTED_AT)
    again = registers_import(actor=lead, files=[statement], now=IMPORTED_AT)
    assert not first.failed and not again.failed
    register = Register.objects.get()
    assert (register.name, register.controller) == ("Asiakaspalautteet", None)
    assert "No controller (rekisterinpitäjä) is named." in register.import_warnings
    assert again.files[0].registers[0].register_id == register.pk
    assert again.files[0].registers[0].created is False
    # The database itself keeps it one register, though a missing controller is NULL.
    with pytest.raises(IntegrityError), transaction.atomic():
        Register.objects.create(name="asiakaspalautteet", controller=None)


@pytest.mark.django_db
def test_a_file_that_fails_while_saving_leaves_nothing_half_written(lead: User, monkeypatch) -> None:
    from django.db import DatabaseError

    from incidents.importer import service

    calls = {"count": 0}
    original = service._register_save

    def fail_on_the_second(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == 2:
            raise DatabaseError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "_register_save", fail_on_the_second)
    report = registers_import(actor=lead, files=[_file("004"), _file("000")], now=IMPORTED_AT)
    assert report.files[0].error is not None and "disk full" in report.files[0].error
    assert "nothing from it was imported" in report.files[0].error
    assert report.files[1].error is None
    # Seed 004's first register was saved before the second failed; the whole file rolled back.
    assert list(Register.objects.values_list("name", flat=True)) == [
        "Optimal Performance Oy:n ja Optimal Performance Center Finland Oy:n asiakasrekisteri"
    ]
    assert (
        not AuditEvent.objects.filter(object_type="incidents.register")
        .exclude(object_id=str(Register.objects.get().pk))
        .exists()
    )


@pytest.mark.django_db
def test_a_dry_run_reports_and_writes_nothing(lead: User) -> None:
    events = AuditEvent.objects.count()
    report = registers_import(actor=lead, files=[_file("000"), _file("004")], dry_run=True, now=IMPORTED_AT)
    assert [len(outcome.registers) for outcome in report.files] == [1, 2]
    assert all(register.created for outcome in report.files for register in outcome.registers)
    assert Register.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert SourceDocument.objects.count() == 0
    assert AuditEvent.objects.count() == events
