"""Statements as people have them: Word documents, PDFs and saved web pages, read to the same
registers as their text; broken, hostile and scanned files refused with the reason."""

from __future__ import annotations

import io
import json
import subprocess
import textwrap
import zipfile
from html import escape
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter

from incidents.importer import MAX_DOCUMENT_BYTES, MAX_STATEMENT_BYTES, StatementRejected, statement_parse
from incidents.importer.decoding import statement_read
from incidents.importer.documents import docx_text, html_text, looks_like_html
from incidents.importer.parsing import Kind, sections_split
from incidents.models import Register
from tests.conftest import signed_in
from tests.importer_support import seed_path, seed_text
from tests.test_fuzz import FUZZ, mixed_text
from tests.test_notice_conversion import SOFFICE

SEEDS = ["000", "001", "002", "003", "004"]
BULLET = "•"


# --- Building the documents people have, from the seeds' text -----------------------------------


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """A section's lines as ("p", lines) paragraphs (lines on lines of their own, as a soft line
    break writes them) and ("li", [text]) list items."""
    out: list[tuple[str, list[str]]] = []
    paragraph: list[str] = []
    for line in [*lines, ""]:
        if line.strip().startswith(BULLET) or not line.strip():
            if paragraph:
                out.append(("p", paragraph))
                paragraph = []
            if line.strip():
                out.append(("li", [line.strip().lstrip(BULLET).strip()]))
        else:
            paragraph.append(line.strip())
    return out


def _is_controller(heading: str, kind: Kind | None) -> bool:
    return kind is Kind.CONTROLLER and bool(heading)


def statement_docx(text: str) -> bytes:
    """The statement as its author would have written it in Word: its headings in a Heading
    style, its bullets as a bulleted list, the controller's block as a table of label and value."""
    document = Document()
    for section in sections_split(text):
        if _is_controller(section.heading, section.kind) and not document.tables:
            table = document.add_table(rows=1, cols=2)
            label, value = table.rows[0].cells
            label.text = section.heading
            body = [line.strip() for line in section.lines if line.strip()]
            value.text = body[0]
            for line in body[1:]:
                value.add_paragraph(line)
            continue
        if section.heading:
            document.add_heading(section.heading, level=2)
        for kind, lines in _blocks(section.lines):
            if kind == "li":
                document.add_paragraph(lines[0], style="List Bullet")
                continue
            paragraph = document.add_paragraph()
            for number, line in enumerate(lines):
                run = paragraph.add_run(line)
                if number < len(lines) - 1:
                    run.add_break()  # a soft line break, as the text file has a line break
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PAGE_AROUND = """<!DOCTYPE html>
<html lang="fi"><head><meta charset="utf-8"><title>Sivun otsikko Oy</title>
<style>body {{ font-family: sans-serif }} .tyyliyhtiö {{ color: red }}</style>
<script>var yhtio = "Skriptiyhtiö Oy"; document.write("<p>Rekisterin nimi: Skriptirekisteri</p>");</script>
</head><body>
<div id="cookie-banner" role="dialog"><p>Käytämme evästeitä. Rekisterinpitäjä: Evästeyhtiö Oy</p>
<button>Hyväksy evästeet</button></div>
<header><a href="/">Etusivun linkki</a></header>
<nav><ul><li><a href="/">Valikon rekisteriseloste</a></li>
<li><a href="/y">Valikon yhteystiedot</a></li></ul></nav>
{open}
{content}
{close}
<footer><p>&copy; Alatunnisteyhtiö Oy 2024</p></footer>
<noscript><p>Rekisterinpitäjä: Noscript-yhtiö Oy</p></noscript>
<template><p>Rekisterinpitäjä: Mallipohjayhtiö Oy</p></template>
<div hidden><p>Rekisterinpitäjä: Piilotettu Oy</p></div>
<p style="display: none">Rekisterinpitäjä: Näkymätön Oy</p>
<svg><text>Rekisterinpitäjä: Kuvayhtiö Oy</text></svg>
</body></html>"""
# What the page holds besides the statement: none of it is the statement's text.
NOT_THE_STATEMENT = [
    "Sivun otsikko",
    "font-family",
    "Tyyliyhtiö",
    "Skriptiyhtiö",
    "Skriptirekisteri",
    "evästeitä",
    "Evästeyhtiö",
    "Hyväksy",
    "Valikon",
    "Noscript-yhtiö",
    "Mallipohjayhtiö",
    "Piilotettu",
    "Näkymätön",
    "Kuvayhtiö",
]


def statement_html(text: str, *, main: bool = True) -> bytes:
    """The statement as a page of the organisation's web site: headings, paragraphs with <br>,
    lists and a table, in <main>, with a menu, a cookie banner, scripts and styles around it."""
    body: list[str] = []
    for section in sections_split(text):
        if _is_controller(section.heading, section.kind) and "<table>" not in body:
            value = "<br>".join(escape(line.strip()) for line in section.lines if line.strip())
            body += ["<table>", f"<tr><th>{escape(section.heading)}</th><td>{value}</td></tr>", "</table>"]
            continue
        if section.heading:
            body.append(f"<h2>{escape(section.heading)}</h2>")
        for kind, lines in _blocks(section.lines):
            if kind == "li":
                body.append(f"<ul><li>{escape(lines[0])}</li></ul>")
            else:
                body.append("<p>" + "<br>\n   ".join(escape(line) for line in lines) + "</p>")
    content = "\n".join(body).replace("</ul>\n<ul>", "\n")
    page = PAGE_AROUND.format(
        open="<main>" if main else "<div>", content=content, close="</main>" if main else "</div>"
    )
    return page.encode("utf-8")


def text_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with these lines of text in Helvetica on each page, as a simple program writes one."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, written when the pages are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for lines in pages:
        shown = b" T* ".join(b"(" + _pdf_string(line) + b") Tj" for line in lines)
        stream = b"BT /F1 10 Tf 13 TL 50 800 Td " + shown + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _pdf_string(line: str) -> bytes:
    return line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def statement_pdf_lines(text: str, width: int = 95) -> list[list[str]]:
    """The statement's lines wrapped at ``width`` characters, in pages of 60 lines."""
    lines = [wrapped for line in text.split("\n") for wrapped in (textwrap.wrap(line, width) or [""])]
    return [lines[start : start + 60] for start in range(0, len(lines), 60)]


def fields(text: str) -> list[dict[str, Any]]:
    """What is imported of each register, less what names the file and the reading's warnings."""
    found = []
    for register in statement_parse(source="seloste", text=text).registers:
        values = register.as_json()
        del values["source"], values["warnings"]
        found.append(values)
    return found


def read(content: bytes, source: str = "seloste") -> str:
    return statement_read(source=source, content=content).text


def refusal(content: bytes, source: str = "seloste") -> str:
    with pytest.raises(StatementRejected) as refused:
        statement_read(source=source, content=content)
    assert str(refused.value).startswith(f"{source}: ")
    return refused.value.reason


# --- Word -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", SEEDS)
def test_every_seed_as_a_word_document_imports_the_same_registers_as_its_text(number: str) -> None:
    assert fields(read(statement_docx(seed_text(number)), "seloste.docx")) == fields(seed_text(number))


def test_a_word_document_reads_as_headings_paragraphs_lists_and_tables_in_order() -> None:
    document = Document()
    document.add_heading("Tietosuojaseloste", level=0)
    document.add_heading("1 Rekisterinpitäjä", level=1)
    paragraph = document.add_paragraph("Testi Oy")
    paragraph.add_run().add_break()
    paragraph.add_run("Katu 1, 00100 Helsinki")
    document.add_paragraph("etunimi", style="List Bullet")
    document.add_paragraph("sukunimi", style="List Bullet")
    document.add_paragraph("ensimmäinen", style="List Number")
    document.add_paragraph("toinen", style="List Number")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Yhteyshenkilö:", "Maija Meikäläinen"
    table.cell(1, 0).text, table.cell(1, 1).text = "Rekisterin nimi", "Asiakasrekisteri"
    table.cell(2, 0).text, table.cell(2, 1).text = "Tämä on pitkä lause, ei otsake.", "Toinen solu"
    three = document.add_table(rows=1, cols=3)
    for cell, text in zip(three.rows[0].cells, ["Tieto", "Peruste", "Säilytys"], strict=True):
        cell.text = text
    document.add_paragraph("")  # empty paragraphs are spacing
    document.add_heading("Alaotsake", level=3)
    out = io.BytesIO()
    document.save(out)
    assert docx_text(out.getvalue()) == (
        "# Tietosuojaseloste\n\n"
        "# 1 Rekisterinpitäjä\n\n"
        "Testi Oy\nKatu 1, 00100 Helsinki\n\n"
        "- etunimi\n- sukunimi\n1. ensimmäinen\n2. toinen\n\n"
        "Yhteyshenkilö: Maija Meikäläinen\n\n"
        "Rekisterin nimi: Asiakasrekisteri\n\n"
        "Tämä on pitkä lause, ei otsake. | Toinen solu\n\n"
        "Tieto | Peruste | Säilytys\n\n"
        "### Alaotsake"
    )


def test_text_a_word_document_does_not_show_is_not_read() -> None:
    """Tracked deletions and text formatted as hidden are not on the page."""
    document = Document()
    paragraph = document.add_paragraph("Näkyvä ")
    hidden = paragraph.add_run("piilotettu ")
    hidden.font.hidden = True
    paragraph.add_run("teksti")
    out = io.BytesIO()
    document.save(out)
    package = _members(out.getvalue())
    body = package["word/document.xml"].decode()
    deleted = '<w:del w:id="1" w:author="A"><w:r><w:tab/><w:delText>poistettu</w:delText></w:r></w:del>'
    package["word/document.xml"] = body.replace("<w:r><w:t>teksti", deleted + "<w:r><w:t>teksti").encode()
    assert docx_text(_zip(package)) == "Näkyvä teksti"


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _zip(members: dict[str, bytes], **options: Any) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, **options) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return out.getvalue()


def test_a_word_document_that_unpacks_to_more_than_50_mb_is_refused_unread() -> None:
    members = _members(statement_docx(seed_text("000")))
    members["word/media/image1.png"] = bytes(51 * 1024 * 1024)  # zeros: a few kB packed
    bomb = _zip(members, compresslevel=9)
    assert len(bomb) < MAX_STATEMENT_BYTES
    assert "unpacks to more than 50 MB" in refusal(bomb, "seloste.docx")


def test_a_word_document_may_be_up_to_10_mb_and_a_text_file_up_to_2_mb() -> None:
    members = _members(statement_docx(seed_text("004")))
    members["word/media/photo.jpg"] = bytes(range(256)) * (3 * 4096)  # 3 MB of a picture
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    assert len(out.getvalue()) > 3 * 1024 * 1024
    assert fields(read(out.getvalue(), "seloste.docx")) == fields(seed_text("004"))
    too_large = out.getvalue() + bytes(MAX_DOCUMENT_BYTES)
    assert refusal(too_large, "seloste.docx").startswith("the file is larger than 10 MB")
    text = b"Rekisteri\n" * (MAX_STATEMENT_BYTES // 10 + 1)
    assert refusal(text).startswith("the file is larger than 2 MB")


UNREADABLE_WORD = "the file could not be read as a Word document"
UNREADABLE_PDF = "the file could not be read as a PDF document"


@pytest.mark.parametrize(
    ("source", "content", "reason"),
    [
        ("seloste.docx", "half", UNREADABLE_WORD),
        ("seloste.docx", b"PK\x03\x04" + bytes(range(256)) * 8, UNREADABLE_WORD),
        ("seloste.docx", "no-body", UNREADABLE_WORD),
        ("seloste.txt", b"PK\x03\x04\x14\x00\x06\x00", "the file is not text (it looks like a Word, Open"),
        ("seloste.odt", "odt", "the file is an OpenDocument text (.odt)"),
        ("taulukko.xlsx", "xlsx", "the file is not text (it looks like an Excel workbook)"),
        ("seloste.pdf", "half-pdf", UNREADABLE_PDF),
        ("seloste.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 8, UNREADABLE_PDF),
    ],
    ids=["truncated-docx", "garbage-docx", "docx-without-body", "zip-header", "odt", "xlsx", "truncated-pdf",
         "garbage-pdf"],
)  # fmt: skip
def test_a_damaged_or_other_document_is_refused_with_the_reason(
    source: str, content: bytes | str, reason: str
) -> None:
    word = statement_docx(seed_text("002"))
    made = {
        "half": word[: len(word) // 2],
        "no-body": _zip({**_members(word), "word/document.xml": b"<w:document>not closed"}),
        "odt": _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
        "xlsx": _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
        "half-pdf": text_pdf(statement_pdf_lines(seed_text("002")))[:900],
    }
    assert refusal(made[content] if isinstance(content, str) else content, source).startswith(reason)


# --- PDF ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", SEEDS)
def test_every_seed_as_a_pdf_of_lines_imports_the_same_registers_as_its_text(number: str) -> None:
    """A PDF whose paragraphs are wrapped into lines (as every PDF's are) reads as the paragraphs."""
    pdf = text_pdf(statement_pdf_lines(seed_text(number)))
    assert fields(read(pdf, "seloste.pdf")) == fields(seed_text(number))


@pytest.fixture(scope="module")
def libreoffice_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The seeds' Word documents as LibreOffice prints them to PDF (one soffice run for all)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs it")
    folder = tmp_path_factory.mktemp("pdf")
    written = []
    for number in SEEDS:
        path = folder / f"{number}.docx"
        path.write_bytes(statement_docx(seed_text(number)))
        written.append(path)
    result = subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to",
         "pdf", "--outdir", str(folder / "pdf"), *map(str, written)],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {path.stem: (folder / "pdf" / f"{path.stem}.pdf").read_bytes() for path in written}


@pytest.mark.parametrize("number", SEEDS)
def test_a_seed_saved_as_pdf_by_libreoffice_imports_the_same_registers_as_its_text(
    libreoffice_pdfs: dict[str, bytes], number: str
) -> None:
    """Wrapped lines joined again, justified and table layout undone, bullets as list items."""
    text = read(libreoffice_pdfs[number], "seloste.pdf")
    assert fields(text) == fields(seed_text(number))


def test_a_pdf_with_no_text_is_refused_as_a_scan() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    reason = refusal(out.getvalue(), "skannattu.pdf")
    assert reason.startswith("this is a scanned PDF with no text layer")
    assert "as text, as a Word document or as a PDF with text" in reason


def _encrypted(user_password: str, owner_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf(statement_pdf_lines(seed_text("004")))))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_needs_a_password_is_refused_saying_so() -> None:
    reason = refusal(_encrypted("salasana", "omistaja"), "salattu.pdf")
    assert reason.startswith("the PDF is protected with a password")


def test_a_pdf_protected_only_against_changes_is_read() -> None:
    assert fields(read(_encrypted("", "omistaja"), "suojattu.pdf")) == fields(seed_text("004"))


def test_a_pdf_of_more_than_300_pages_is_refused() -> None:
    pdf = text_pdf([["Rekisteriseloste"]] * 301)
    assert refusal(pdf, "kirja.pdf").startswith("the PDF has 301 pages, more than 300")
    assert read(text_pdf([["Rekisteriseloste sivu"]] * 300), "kirja.pdf").startswith("Rekisteriseloste")


# --- Saved web pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", SEEDS)
def test_every_seed_as_a_saved_web_page_imports_the_same_registers_as_its_text(number: str) -> None:
    assert fields(read(statement_html(seed_text(number)), "seloste.html")) == fields(seed_text(number))


@pytest.mark.parametrize("main", [True, False], ids=["in-main", "no-main"])
def test_a_web_page_gives_none_of_its_scripts_styles_menus_banners_or_hidden_text(main: bool) -> None:
    text = read(statement_html(seed_text("000"), main=main), "seloste.html")
    for other in NOT_THE_STATEMENT:
        assert other not in text
    assert ("Alatunnisteyhtiö" in text) is not main  # the footer is the page's, outside <main>
    assert text.startswith("Henkilötietolain (523/1999)") is main


def test_a_web_page_reads_as_headings_paragraphs_lists_and_tables() -> None:
    page = """<body><h1>Tietosuoja&shy;seloste</h1><div>Rekisterin&nbsp;pitäjä &amp; muut
        <b>lihavoitu</b>,   rivinvaihto<br>toinen rivi</div>
        <ol><li>eka<li>toka<ul><li>sisempi</li></ul></ol>
        <table><tr><th>Nimi</th><th>Peruste</th><th>Aika</th></tr><tr><td>a<td>b<td>c</table>
        <h4>Alaotsake</h4><p>loppu<p>aivan loppu</body>"""
    assert html_text(page) == (
        "# Tietosuoja\xadseloste\n\n"
        "Rekisterin\xa0pitäjä & muut lihavoitu, rivinvaihto\ntoinen rivi\n\n"
        "1. eka\n2. toka\n  - sisempi\n\n"
        "Nimi | Peruste | Aika\na | b | c\n\n"
        "#### Alaotsake\n\nloppu\n\naivan loppu"
    )


@pytest.mark.parametrize(
    ("text", "source", "is_html"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", "seloste.txt", True),
        ("\ufeff<!-- saved from url=(0042)https://example.fi/ -->\n<html lang=fi>", "lataus", True),
        ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "seloste", True),
        ("<div class=seloste><h2>Rekisterinpitäjä</h2></div>", "upload", True),
        ("<span>Rekisteri</span> ja <b>muuta</b>", "seloste.htm", True),
        ('<p align="center"><img src="logo.png"></p>\n\n# Tietosuojaseloste\n', "README.md", False),
        ("Rekisterinpitäjä: Testi Oy <info@testi.fi>\n", "seloste.html", False),
        ("Rekisterinpitäjä <p> kohta\n", "seloste.txt", False),
    ],
)
def test_a_web_page_is_known_by_its_content_the_name_a_hint(text: str, source: str, is_html: bool) -> None:
    assert looks_like_html(text, source) is is_html


def test_a_web_page_named_anything_imports_as_the_statement_and_text_stays_text() -> None:
    page = statement_html(seed_text("003"))
    assert fields(read(page, "liite-1234")) == fields(seed_text("003"))
    assert read(seed_path("003").read_bytes(), "seloste.html") == seed_text("003")


def test_a_web_page_in_windows_1252_with_a_stray_byte_warns_of_the_line_of_its_text() -> None:
    page = "<html><body><p>Rekisterinpitäjä</p><p>Öljy Oy</p><p>Asiakas \x81rekisteri</p></body></html>"
    decoded = statement_read(source="s.html", content=page.encode("utf-8").replace(b"\xc2\x81", b"\xe4"))
    assert decoded.text == "Rekisterinpitäjä\n\nÖljy Oy\n\nAsiakas \ufffdrekisteri"
    assert [warning[:7] for warning in decoded.warnings] == ["Line 5:"]
    controls = statement_read(source="s.html", content=b"<p>Rekisteri&#7;nimi</p><p>x\x07</p>")
    assert controls.text == "Rekisterinimi\n\nx"  # a reference to a control character is none
    assert controls.warnings == ["Line 3: control characters were removed; check the text there."]


# --- The command and the upload page ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_import_command_imports_a_word_document_and_a_web_page(tmp_path: Path) -> None:
    word = tmp_path / "seloste.docx"
    word.write_bytes(statement_docx(seed_text("001")))
    page = tmp_path / "tietosuoja.html"
    page.write_bytes(statement_html(seed_text("003")))
    out, err = StringIO(), StringIO()
    call_command("import_registers", "--json", str(word), str(page), stdout=out, stderr=err)
    assert err.getvalue() == ""
    found = json.loads(out.getvalue())
    assert [register["source"] for register in found] == [str(word), str(page)]
    assert [{k: v for k, v in r.items() if k not in ("source", "warnings")} for r in found] == [
        *fields(seed_text("001")),
        *fields(seed_text("003")),
    ]
    assert Register.objects.count() == 2


@pytest.mark.django_db
def test_the_upload_page_imports_a_word_document_and_a_pdf(lead: User) -> None:
    word = statement_docx(seed_text("000"))
    pdf = text_pdf(statement_pdf_lines(seed_text("004")))
    files = [
        SimpleUploadedFile("seloste.docx", word, content_type="application/octet-stream"),
        SimpleUploadedFile("seloste.pdf", pdf, content_type="application/pdf"),
        SimpleUploadedFile("skannattu.pdf", _blank_pdf(), content_type="application/pdf"),
    ]
    response = signed_in(lead).post(reverse("register_import"), {"statements": files})
    assert response.status_code == 200
    page = response.content.decode()
    assert "skannattu.pdf: this is a scanned PDF with no text layer" in page
    assert sorted(Register.objects.values_list("name", flat=True)) == [
        "Ilopiste.fi asiakasrekisteri",
        "Ilopiste.fi prospektit",
        "Optimal Performance Oy:n ja Optimal Performance Center Finland Oy:n asiakasrekisteri",
    ]


@pytest.mark.django_db
def test_an_upload_of_more_than_64_mb_together_is_refused_naming_the_field_and_nothing_is_saved(
    lead: User,
) -> None:
    """Eight Word files of 9 MiB are each within their limit, but no proxy in front takes them at
    once; the page says so rather than the proxy's bare 413."""
    word = statement_docx(seed_text("000"))
    big = word + b"\0" * (9 * 2**20 - len(word))  # padding after the zip
    files = [SimpleUploadedFile(f"seloste-{n}.docx", big) for n in range(8)]
    response = signed_in(lead).post(reverse("register_import"), {"statements": files})
    page = response.content.decode()
    assert "Privacy statements: Choose at most 64 MB of files at a time: these are 72.0 MB together." in page
    assert 'data-field-error="statements"' in page
    assert not Register.objects.exists()


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_upload_form_offers_word_pdf_and_web_pages() -> None:
    from incidents.importer.forms import StatementUploadForm

    field = StatementUploadForm().fields["statements"]
    accept = field.widget.attrs["accept"].split(",")
    assert {".docx", ".pdf", ".html", ".htm", ".txt", ".md"} <= set(accept)
    assert "Word documents (.docx) and PDFs with text" in str(field.help_text)


# --- Anything at all ---------------------------------------------------------------------------------


def _refused_or_read(content: bytes, source: str) -> None:
    try:
        decoded = statement_read(source=source, content=content)
        statement = statement_parse(source=source, text=decoded.text)
    except StatementRejected as rejected:
        assert str(rejected).startswith(f"{source}: ")
        return
    for register in statement.registers:
        register.as_json()


@FUZZ
@given(content=st.binary(max_size=4000))
def test_any_bytes_after_a_pdf_signature_are_refused_clearly_or_read(content: bytes) -> None:
    _refused_or_read(b"%PDF-1.4\n" + content, "seloste.pdf")


@FUZZ
@given(content=st.binary(max_size=4000))
def test_any_bytes_after_a_zip_signature_are_refused_clearly_or_read(content: bytes) -> None:
    _refused_or_read(b"PK\x03\x04" + content, "seloste.docx")


@FUZZ
@given(body=st.binary(max_size=2000) | mixed_text.map(lambda text: text.encode("utf-8")))
def test_a_word_document_whose_body_is_anything_is_refused_clearly_or_read(body: bytes) -> None:
    members = _members(statement_docx("Rekisterinpitäjä\n\nTesti Oy\n"))
    _refused_or_read(_zip({**members, "word/document.xml": body}), "seloste.docx")


WORD_004 = statement_docx(seed_text("004"))
PDF_004 = text_pdf(statement_pdf_lines(seed_text("004")))
_somewhere = st.floats(min_value=0, max_value=1)
_damage = st.lists(st.tuples(_somewhere, st.binary(min_size=1, max_size=8)), max_size=6)


@FUZZ
@given(
    original=st.sampled_from([WORD_004, PDF_004]), damage=_damage, cut=st.floats(min_value=0.1, max_value=1)
)
def test_a_word_document_or_pdf_damaged_anywhere_is_refused_clearly_or_read(
    original: bytes, damage: list[tuple[float, bytes]], cut: float
) -> None:
    content = bytearray(original[: max(8, int(len(original) * cut))])
    for where, replacement in damage:
        start = 8 + int((len(content) - 8) * where)
        content[start : start + len(replacement)] = replacement
    _refused_or_read(bytes(content), "seloste.docx" if original is WORD_004 else "seloste.pdf")


_TAGS = ["p", "div", "h1", "h3", "li", "ul", "ol", "table", "tr", "td", "th", "br", "main", "script",
         "style", "nav", "b", "pre", "svg", "template", "span hidden", "dl", "dt", "dd"]  # fmt: skip
_markup = st.one_of(
    st.sampled_from(_TAGS).map(lambda tag: f"<{tag}>"),
    st.sampled_from(_TAGS).map(lambda tag: f"</{tag.split()[0]}>"),
    st.sampled_from(["<!--", "-->", "<!DOCTYPE html>", "&amp;", "&#0;", "&#x202e;", "&nbsp;", "<", "<br/>"]),
    mixed_text,
)  # fmt: skip


@FUZZ
@given(pieces=st.lists(_markup, max_size=80))
def test_any_text_in_any_html_tags_is_refused_clearly_or_read(pieces: list[str]) -> None:
    _refused_or_read(("<!DOCTYPE html>" + "".join(pieces)).encode("utf-8"), "seloste.html")
