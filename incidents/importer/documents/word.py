"""Word documents (.docx) read to blocks, and what a zip file holds (``package_kind``)."""

from __future__ import annotations

import io
import itertools
import logging
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import docx
from django.utils.translation import gettext as _
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn

from incidents.importer.documents.blocks import (
    HEADING,
    ITEM,
    Block,
    DocumentRefused,
    _item_text,
    blocks_text,
    table_blocks,
)

logger = logging.getLogger(__name__)

# What a .docx may unpack to, all its parts together: a statement with its pictures is a few MB;
# more is a zip bomb, and python-docx would hold all of it in memory.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

# What a zip file holds (``package_kind``).
WORD = "word"
OPEN_DOCUMENT_TEXT = "odt"
OPEN_DOCUMENT = "opendocument"
EXCEL = "excel"
POWERPOINT = "powerpoint"
ZIP = "zip"
BROKEN = "broken"


def word_unreadable() -> str:
    return _(
        "the file could not be read as a Word document (it may be damaged or incomplete); "
        "save it again in Word, or as plain text, and import that."
    )


# --- Word ---------------------------------------------------------------------------------------

_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_W_T, _W_R, _W_RPR, _W_VANISH = qn("w:t"), qn("w:r"), qn("w:rPr"), qn("w:vanish")
_W_VAL = qn("w:val")
# Characters of a run other than its text, as python-docx writes them, and a page break as a line
# break (python-docx writes none for it).
_RUN_CHARACTERS = {
    qn("w:tab"): "\t",
    qn("w:ptab"): "\t",
    qn("w:br"): "\n",
    qn("w:cr"): "\n",
    qn("w:noBreakHyphen"): "-",
}
# Where text of a paragraph is not shown: a tracked deletion, the fallback copy of a drawing that
# Word writes twice, and the paragraphs of a text box inside it (text boxes are left out).
_NOT_SHOWN = {
    qn("w:del"),
    qn("w:moveFrom"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
    qn("w:txbxContent"),
    _W_P,
}


def package_kind(content: bytes) -> str:
    """What a zip file holds: a Word document, an OpenDocument, ..., or BROKEN if it cannot be
    opened as a zip at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
            mimetype = _member_text(package, "mimetype")
    except Exception:  # zipfile raises more than BadZipFile for a damaged file
        return BROKEN
    if "word/document.xml" in names:
        return WORD
    if mimetype == "application/vnd.oasis.opendocument.text":
        return OPEN_DOCUMENT_TEXT
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return OPEN_DOCUMENT
    if "xl/workbook.xml" in names:
        return EXCEL
    if "ppt/presentation.xml" in names:
        return POWERPOINT
    return ZIP


def _member_text(package: zipfile.ZipFile, name: str) -> str:
    """A small member's text (an OpenDocument's ``mimetype``), or "" if there is none."""
    try:
        info = package.getinfo(name)
    except KeyError:
        return ""
    if info.file_size > 200:
        return ""
    return package.read(info).decode("ascii", errors="replace").strip()


def docx_text(content: bytes) -> str:
    """The text of a .docx's body: its paragraphs and tables in order (headers, footers, notes and
    text boxes left out), or :class:`DocumentRefused`."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise DocumentRefused(
                _(
                    "the Word document unpacks to more than 50 MB, which no privacy statement "
                    "does; save it without its pictures, or as plain text, and import that."
                )
            )
        # zipfile stops at the sizes checked above whatever a member really unpacks to.
        document = docx.Document(io.BytesIO(content))
        text = blocks_text(_WordReader(document).blocks(document.element.body))
    except DocumentRefused:
        raise
    except Exception as error:
        logger.info("A Word document could not be read: %r", error)
        raise DocumentRefused(word_unreadable()) from error
    if not text.strip():
        raise DocumentRefused(
            _(
                "the Word document holds no text (only pictures, perhaps); import the statement "
                "as text, as a Word document with its text, or as a PDF with text."
            )
        )
    return text


@dataclass
class _Style:
    name: str
    outline: int | None  # outline level 0-8 of a heading, as a style or a paragraph sets it
    numbering: tuple[str, int] | None  # (numId, ilvl) of a list style


class _WordReader:
    """One document's blocks; keeps the styles, list formats and list counters it needs."""

    def __init__(self, document: Any) -> None:
        self.styles: dict[str, Any] = {style.style_id: style for style in document.styles}
        self.resolved: dict[str, list[_Style]] = {}
        self.formats = _numbering_formats(document)
        self.counters: dict[tuple[str, int], int] = {}
        self.tables = itertools.count(1)

    def blocks(self, container: Any) -> list[Block]:
        out: list[Block] = []
        for child in container.iterchildren():
            if child.tag == _W_P:
                block = self.paragraph(child)
                if block is not None:
                    out.append(block)
            elif child.tag == _W_TBL:
                out.extend(self.table(child))
            elif child.tag == _W_SDT:  # a content control around paragraphs (a template's fields)
                inner = child.find(_W_SDT_CONTENT)
                if inner is not None:
                    out.extend(self.blocks(inner))
            elif child.tag == _W_CUSTOM_XML:
                out.extend(self.blocks(child))
        return out

    def table(self, table: Any) -> list[Block]:
        rows = ([self.blocks(cell) for cell in row.iterchildren(_W_TC)] for row in table.iterchildren(_W_TR))
        return table_blocks(rows, next(self.tables))

    def paragraph(self, paragraph: Any) -> Block | None:
        text = _paragraph_text(paragraph).strip()
        if not text:
            return None  # an empty paragraph is spacing; blocks are apart by a blank line anyway
        properties = paragraph.pPr
        chain = self._chain(properties.style if properties is not None else None)
        level = _heading_level(properties, chain)
        if level is not None:
            return Block("#" * level + " " + " ".join(text.split("\n")), HEADING)
        numbering = _numbering_of(properties) or next((s.numbering for s in chain if s.numbering), None)
        if numbering is None and chain and re.match(r"list (bullet|number)", chain[0].name, re.IGNORECASE):
            numbering = ("", 0)
        if numbering is None or numbering[0] == "0":  # numId 0 takes a style's numbering off
            return Block(text)
        return Block(_item_text(text, self._marker(*numbering), numbering[1]), ITEM)

    def _marker(self, number_id: str, level: int) -> str:
        """ "- " for a bullet, "3. " for the third item of a numbered list: a section title
        written as a numbered list item ("1. Rekisterinpitäjä") keeps the number by which the
        reading of sections knows it."""
        kind, start = self.formats.get((number_id, level), ("bullet", 1))
        if kind in ("bullet", "none"):
            return "- "
        for key in [key for key in self.counters if key[0] == number_id and key[1] > level]:
            del self.counters[key]  # a deeper list starts again under each item
        count = self.counters.get((number_id, level), start - 1) + 1
        self.counters[(number_id, level)] = count
        return f"{count}. "

    def _chain(self, style_id: str | None) -> list[_Style]:
        """The paragraph's style and the styles it is based on, nearest first."""
        if not style_id:
            return []
        if style_id not in self.resolved:
            chain: list[_Style] = []
            style = self.styles.get(style_id)
            while style is not None and len(chain) < 10:
                properties = style.element.pPr
                chain.append(
                    _Style(
                        name=style.name or "",
                        outline=_outline_of(properties),
                        numbering=_numbering_of(properties),
                    )
                )
                style = style.base_style
            self.resolved[style_id] = chain
        return self.resolved[style_id]


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for element in paragraph.iter(_W_T, *_RUN_CHARACTERS):
        if not _shown(element, paragraph):
            continue
        parts.append(element.text or "" if element.tag == _W_T else _RUN_CHARACTERS[element.tag])
    return "".join(parts)


def _shown(element: Any, paragraph: Any) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in _NOT_SHOWN:
            return False
        if parent.tag == _W_R and _hidden_run(parent):
            return False
        parent = parent.getparent()
    return True


def _hidden_run(run: Any) -> bool:
    """Text formatted as hidden (``w:vanish``) is not on the page."""
    properties = run.find(_W_RPR)
    vanish = properties.find(_W_VANISH) if properties is not None else None
    return vanish is not None and vanish.get(_W_VAL, "true") not in ("0", "false", "off")


def _outline_of(properties: Any) -> int | None:
    if properties is None:
        return None
    outline = properties.find(qn("w:outlineLvl"))
    value = outline.get(_W_VAL) if outline is not None else None
    return int(value) if value is not None and value.isdigit() and int(value) < 9 else None


def _numbering_of(properties: Any) -> tuple[str, int] | None:
    numbering = properties.find(qn("w:numPr")) if properties is not None else None
    if numbering is None:
        return None
    number_id = numbering.find(qn("w:numId"))
    level = numbering.find(qn("w:ilvl"))
    if number_id is None:
        return None
    level_value = level.get(_W_VAL, "0") if level is not None else "0"
    return number_id.get(_W_VAL, "0"), min(int(level_value), 8) if level_value.isdigit() else 0


def _heading_level(properties: Any, chain: list[_Style]) -> int | None:
    """1-6 for a heading: a Heading or Title style (Word writes their names in English whatever
    the language of its menus), or an outline level."""
    outline = _outline_of(properties)
    if outline is not None:
        return min(outline + 1, 6)
    for style in chain:
        name = style.name.lower()
        if name == "title":
            return 1
        match = re.fullmatch(r"heading ([1-9])", name)
        if match:
            return min(int(match.group(1)), 6)
        if style.outline is not None:
            return min(style.outline + 1, 6)
    return None


def _numbering_formats(document: Any) -> dict[tuple[str, int], tuple[str, int]]:
    """(numId, ilvl) → (number format, first number) from the document's numbering part."""
    try:
        numbering = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except KeyError:
        return {}
    abstract: dict[str, dict[int, tuple[str, int]]] = {}
    for definition in numbering.iterchildren(qn("w:abstractNum")):
        levels = abstract.setdefault(definition.get(qn("w:abstractNumId"), ""), {})
        for level in definition.iterchildren(qn("w:lvl")):
            number_format = level.find(qn("w:numFmt"))
            start = level.find(qn("w:start"))
            start_value = start.get(_W_VAL, "1") if start is not None else "1"
            levels[int(level.get(qn("w:ilvl"), "0") or 0)] = (
                number_format.get(_W_VAL, "decimal") if number_format is not None else "decimal",
                int(start_value) if start_value.isdigit() else 1,
            )
    formats: dict[tuple[str, int], tuple[str, int]] = {}
    for instance in numbering.iterchildren(qn("w:num")):
        reference = instance.find(qn("w:abstractNumId"))
        if reference is None:
            continue
        for level, value in abstract.get(reference.get(_W_VAL, ""), {}).items():
            formats[(instance.get(qn("w:numId"), ""), level)] = value
    return formats
