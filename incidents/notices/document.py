"""A notice's content as a Word document: A4, real heading styles and tables, page numbers, the
document's language set for Word's spelling check, on the organisation's letterhead when it has one.

The same content always gives the same bytes: the package's times are fixed and its parts written
in one order, so that a document's SHA-256 stands for its text (and an approval for that text).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from typing import IO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from incidents.notices.content import Block, Content

LANGUAGE_TAGS = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
# Inside the package only: the moment the file was written is not part of what it says.
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# What XML 1.0 cannot hold: C0 controls but tab, newline and carriage return; unpaired surrogates;
# U+FFFE and U+FFFF. Replaced, so hostile text still gives a valid document with the rest intact.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PAGE_WORDS = {"fi": "Sivu", "sv": "Sida", "en": "Page"}


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("\ufffd", text)


def _language(document: DocumentObject, tag: str) -> None:
    """The document's language, in the defaults and the Normal style, so every run inherits it."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = []
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            targets.append(run_defaults.find(qn("w:rPr")))
    targets.append(document.styles["Normal"].element.get_or_add_rPr())
    for properties in targets:
        for old in properties.findall(qn("w:lang")):
            properties.remove(old)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), tag)
        lang.set(qn("w:eastAsia"), tag)
        lang.set(qn("w:bidi"), "ar-SA")
        properties.append(lang)


def _page_number(document: DocumentObject, word: str) -> None:
    """'Page N' in the footer, as a PAGE field Word fills in."""
    footer = document.sections[0].footer
    paragraph = footer.add_paragraph(f"{word} ")
    run = paragraph.add_run()
    begin, instruction, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(end)


def _base(letterhead: IO[bytes] | None) -> DocumentObject:
    """The letterhead with its body emptied (its header, footer, logo and styles kept), or Word's
    default template."""
    if letterhead is None:
        return Document()
    document = Document(letterhead)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _block(document: DocumentObject, block: Block) -> None:
    document.add_heading(xml_safe(block.heading), level=1)
    if block.rows:
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in block.rows:
            cells = table.add_row().cells
            cells[0].text = xml_safe(label)
            cells[0].paragraphs[0].runs[0].bold = True
            _multiline(cells[1].paragraphs[0], value)
            cells[0].width, cells[1].width = Mm(55), Mm(115)
    for text in block.paragraphs:
        for part in xml_safe(text).split("\n\n"):
            _multiline(document.add_paragraph(), part)


def _multiline(paragraph: object, text: str) -> None:
    """Text with its line breaks kept as Word line breaks."""
    lines = xml_safe(text).split("\n")
    run = paragraph.add_run(lines[0])  # type: ignore[attr-defined]
    for line in lines[1:]:
        run.add_break()
        run.add_text(line)


def _deterministic(raw: bytes) -> bytes:
    """The package rewritten with fixed times and in the order python-docx wrote its parts."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def document_bytes(content: Content, *, letterhead: IO[bytes] | None = None) -> bytes:
    """The .docx of ``content``; the same content and letterhead always give the same bytes."""
    document = _base(letterhead)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    document.styles["Normal"].font.size = Pt(10.5)
    _language(document, LANGUAGE_TAGS.get(content.language, "en-GB"))
    document.add_heading(xml_safe(content.title), level=0)
    for block in content.blocks:
        _block(document, block)
    if letterhead is None:
        _page_number(document, PAGE_WORDS.get(content.language, "Page"))
    properties = document.core_properties
    properties.title = xml_safe(content.title)[:255]
    properties.author = properties.last_modified_by = "Breachclock"
    properties.created = properties.modified = FIXED_TIME.replace(tzinfo=None)
    properties.last_printed = FIXED_TIME.replace(tzinfo=None)
    properties.revision = 1
    properties.language = LANGUAGE_TAGS.get(content.language, "en-GB")
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic(buffer.getvalue())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
