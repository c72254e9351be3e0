"""The breach record as a Word document: one real table, a row per incident, on landscape A4, the
header row repeated on every page, in the reader's language (which Word is told, for its spelling
and hyphenation)."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from incidents.breach_record.entries import RecordEntry, column_headings

# The language tags Word knows the product's languages by.
DOCUMENT_LANGUAGES = {"en": "en-GB", "fi": "fi-FI", "sv": "sv-FI"}
A4_LONG, A4_SHORT = Mm(297), Mm(210)
MARGIN = Mm(12)
# The widths of COLUMNS' columns in millimetres: 273 mm, landscape A4 within its margins.
COLUMN_WIDTHS_MM = (38, 56, 52, 37, 45, 45)
# Characters XML 1.0 cannot hold (python-docx refuses them): a pasted log line may carry some.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def document_language(language: str) -> str:
    return DOCUMENT_LANGUAGES.get(language.split("-")[0].lower(), DOCUMENT_LANGUAGES["en"])


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _set_language(document: Any, tag: str) -> None:
    """The default language of every run (docDefaults), which Word reads as the text's language."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)  # w:lang is last but three of rPr; the template holds none of those
    lang.set(qn("w:val"), tag)


def _repeat_as_header(row: Any) -> None:
    """Word repeats a row marked w:tblHeader at the top of each page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _landscape_a4(section: Any) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4_LONG, A4_SHORT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def breach_record_docx(
    entries: list[RecordEntry],
    *,
    language: str,
    exported_at: datetime,
    exported_at_text: str,
    exported_by: str,
    filters_text: list[str],
) -> bytes:
    """The record as .docx bytes; call under the reader's language (translation.override)."""
    tag = document_language(language)
    document = Document()
    _set_language(document, tag)
    normal = document.styles["Normal"]
    normal.font.size = Pt(8)
    normal.paragraph_format.space_after = Pt(2)
    title = _("Breach record")
    properties = document.core_properties
    properties.title = title
    properties.subject = _("GDPR Art. 33(5)")
    properties.author = "Breachclock"
    properties.last_modified_by = _xml_safe(exported_by)
    properties.comments = ""
    properties.language = tag
    properties.created = properties.modified = exported_at
    properties.revision = 1

    _landscape_a4(document.sections[0])
    document.add_heading(f"{title} (GDPR Art. 33(5))", level=1)
    document.add_paragraph(
        ngettext(
            "Exported %(moment)s by %(user)s: %(count)s incident.",
            "Exported %(moment)s by %(user)s: %(count)s incidents.",
            len(entries),
        )
        % {"moment": exported_at_text, "user": _xml_safe(exported_by), "count": len(entries)}
    )
    if filters_text:
        document.add_paragraph(_xml_safe(f"{_('Filters')}: " + "; ".join(filters_text)))

    headings = column_headings()
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, heading, width in zip(header.cells, headings, COLUMN_WIDTHS_MM, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].add_run(heading).bold = True
    for entry in entries:
        row = table.add_row()
        for cell, lines, width in zip(row.cells, entry.cells, COLUMN_WIDTHS_MM, strict=True):
            cell.width = Mm(width)
            for number, line in enumerate(lines):
                paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
                if line.label:
                    paragraph.add_run(f"{line.label}: ").bold = True
                run = paragraph.add_run(_xml_safe(line.text))
                run.bold = line.key == "reference" or None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
