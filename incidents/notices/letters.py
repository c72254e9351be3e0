"""The letters of a mail merge: the approved data-subject notice, as the DPO approved it, made into
one letter per recipient with their name and address block and, where the recipients' file gives
them, their own affected data and the advice for it.

The approved file is read once per language (a :class:`LetterTemplate`): every part of its package
but the body is compressed once, and the body is split where a letter's own text goes. A letter is
then its few personal paragraphs put into that body, one part compressed, and the package's other
parts copied as they are: nothing is parsed or rebuilt per recipient. The same recipient always
gives the same bytes (fixed times, one order), so a chunk redone after a crash writes the same
letters.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _

from incidents.notices.content import advice_for
from incidents.notices.document import LANGUAGE_TAGS, ZIP_TIME, xml_safe
from incidents.notices.recipients import Recipient
from incidents.notices.zips import central_header, end_records, local_header
from incidents.registers.classification import data_item_classify

# Not carried into a letter: the thumbnail shows the notice's first page without the recipient's
# address, and stylesWithEffects is Word 2010's second copy of the styles.
DROPPED_PARTS = frozenset({"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"})
DOCUMENT = "word/document.xml"
COMPRESSION = 6
STATIC_COMPRESSION = 9  # the parts compressed once per template, not per letter
NAME_IN_FILENAME = 60


class TemplateUnreadable(ValueError):
    """The approved file is not a Word document whose body a letter can be made from."""


def _deflate(data: bytes, *, last: bool = True, level: int = COMPRESSION) -> bytes:
    """A raw deflate stream of ``data``; not ``last``, it ends on a byte boundary with no final
    block, so that streams written apart can be joined into one (a letter's static parts are
    compressed once, its personal part per letter)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def _without_dropped(name: str, data: bytes) -> bytes:
    """The content types and relationships with the dropped parts' entries taken out."""
    text = data.decode("utf-8")
    for dropped in DROPPED_PARTS:
        target = dropped.removeprefix("word/") if name == "word/_rels/document.xml.rels" else dropped
        text = re.sub(rf'<Relationship [^>]*Target="/?{re.escape(target)}"[^>]*/>', "", text)
        text = re.sub(rf'<Override [^>]*PartName="/{re.escape(dropped)}"[^>]*/>', "", text)
    return text.encode("utf-8")


def _style_ids(styles: str) -> dict[str, str]:
    """Style name (lower case, as Word stores it: "title", "heading 1") → the style's id, which
    differs by the language of the Word that saved the file ("Otsikko1")."""
    found: dict[str, str] = {}
    for match in re.finditer(r'<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>\s*<w:name w:val="([^"]+)"', styles):
        found.setdefault(match.group(2).lower(), match.group(1))
    return found


def _text_runs(text: str, language: str) -> str:
    """Runs for ``text`` with its line breaks kept, tagged with the letter's language."""
    tag = f'<w:rPr><w:lang w:val="{LANGUAGE_TAGS[language]}"/></w:rPr>'
    lines = escape(xml_safe(text), quote=False).split("\n")
    inner = '</w:t><w:br/><w:t xml:space="preserve">'.join(lines)
    return f'<w:r>{tag}<w:t xml:space="preserve">{inner}</w:t></w:r>'


def _paragraph(text: str, language: str, style: str | None = None, *, space_after: bool = False) -> str:
    properties = ""
    if style or not space_after:
        style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
        spacing = "" if space_after else '<w:spacing w:after="0"/>'
        properties = f"<w:pPr>{style_xml}{spacing}</w:pPr>"
    return f"<w:p>{properties}{_text_runs(text, language)}</w:p>"


def _language_runs(body: str, tag: str) -> str:
    """Every run of ``body`` tagged with the language: for a combined document, whose package's
    own language is another's."""

    def tagged(match: re.Match[str]) -> str:
        run, properties = match.group(1), match.group(2)
        if properties is None:
            return f'{run}<w:rPr><w:lang w:val="{tag}"/></w:rPr>'
        if "<w:lang " in properties:
            return match.group(0)
        return f'{run}{properties[: -len("</w:rPr>")]}<w:lang w:val="{tag}"/></w:rPr>'

    return re.sub(r"(<w:r(?:\s[^>]*)?>)(<w:rPr>.*?</w:rPr>)?", tagged, body)


@dataclass(frozen=True, slots=True)
class Body:
    """A letter's own part, its word/document.xml: the CRC and size of the XML, and its raw
    deflate stream. Everything else in the letter's package is the template's."""

    crc: int
    size: int
    packed: bytes


@dataclass(frozen=True)
class Letter:
    row: int
    filename: str
    data: bytes


class LetterTemplate:
    """The approved data-subject notice in one language, ready to take recipients."""

    def __init__(self, approved: bytes, *, language: str, sha256: str) -> None:
        self.language = language
        self.sha256 = sha256
        try:
            package = zipfile.ZipFile(io.BytesIO(approved))
            parts = [(info.filename, package.read(info)) for info in package.infolist()]
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error) as error:
            raise TemplateUnreadable(str(error)) from error
        names = [name for name, _data in parts]
        if DOCUMENT not in names:
            raise TemplateUnreadable("the package has no word/document.xml")
        self.parts = {name: data for name, data in parts}
        xml = self.parts[DOCUMENT].decode("utf-8")
        styles = _style_ids(self.parts.get("word/styles.xml", b"").decode("utf-8", "replace"))
        self.heading_style = styles.get("heading 1")
        self._split(xml, styles.get("title"))
        self._package()

    def _split(self, xml: str, title_style: str | None) -> None:
        opening = re.search(r"<w:body(?:\s[^>]*)?>", xml)
        closing = xml.rfind("</w:body>")
        if opening is None or closing < 0:
            raise TemplateUnreadable("the document has no body")
        self.head, body, self.tail = xml[: opening.end()], xml[opening.end() : closing], xml[closing:]
        section = body.rfind("<w:sectPr")
        # The body's own section properties are its last element; one inside a paragraph (a
        # section break) is part of the text.
        if section >= 0 and "</w:p>" not in body[section:]:
            body, self.section = body[:section], body[section:]
        else:
            self.section = ""
        self.title = ""
        first = re.match(r"<w:p(?:\s[^>]*)?>.*?</w:p>", body, re.DOTALL)
        if first and title_style and f'<w:pStyle w:val="{title_style}"/>' in first.group(0):
            self.title, body = first.group(0), body[first.end() :]
        self.body = body

    def _package(self) -> None:
        """Every part but the body compressed once, as the start of every letter's package; the
        body goes last, so the other parts' offsets never change."""
        locals_, centrals = [], []
        offset = 0
        for name, data in self.parts.items():
            if name == DOCUMENT or name in DROPPED_PARTS:
                continue
            if name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
                data = _without_dropped(name, data)
            encoded, packed = name.encode("utf-8"), _deflate(data, level=STATIC_COMPRESSION)
            crc = zlib.crc32(data)
            deflated = zipfile.ZIP_DEFLATED
            entry = local_header(encoded, crc, len(packed), len(data), deflated) + encoded + packed
            locals_.append(entry)
            centrals.append(central_header(encoded, crc, len(packed), len(data), offset, deflated))
            offset += len(entry)
        self._static = b"".join(locals_)
        self._static_central = b"".join(centrals)
        self._count = len(centrals) + 1
        # The body around the personal part: before it, and after it to the end.
        self._before = self.head.encode("utf-8")
        self._before_packed = _deflate(self._before, last=False, level=STATIC_COMPRESSION)
        self._after = (self.body + self.section + self.tail).encode("utf-8")
        self._after_packed = _deflate(self._after, level=STATIC_COMPRESSION)

    def personal(self, recipient: Recipient) -> tuple[str, str]:
        """The recipient's address block, and their own data and its advice (empty without them)."""
        language = self.language
        lines = [recipient.name, *recipient.address]
        town = " ".join(part for part in (recipient.postcode, recipient.city) if part)
        lines += [part for part in (town, recipient.country) if part]
        if not recipient.address and not town:
            lines.append(recipient.email)
        address = "".join(_paragraph(line, language) for line in lines) + "<w:p/>"
        return address, _own_data(recipient.data_items, language, self.heading_style)

    def body_of(self, recipient: Recipient) -> str:
        address, own = self.personal(recipient)
        return address + self.title + own + self.body

    def letter_body(self, recipient: Recipient) -> Body:
        """The recipient's word/document.xml, compressed: the body as compressed once, with only
        its personal part compressed anew."""
        address, own = self.personal(recipient)
        personal = (address + self.title + own).encode("utf-8")
        packed = self._before_packed + _deflate(personal, last=False) + self._after_packed
        crc = zlib.crc32(self._after, zlib.crc32(personal, zlib.crc32(self._before)))
        return Body(crc, len(self._before) + len(personal) + len(self._after), packed)

    def package(self, body: Body) -> bytes:
        """The .docx of a letter's body: the package's other parts, as compressed once, around it."""
        name, deflated = DOCUMENT.encode(), zipfile.ZIP_DEFLATED
        entry = local_header(name, body.crc, len(body.packed), body.size, deflated) + name + body.packed
        central = self._static_central + central_header(
            name, body.crc, len(body.packed), body.size, len(self._static), deflated
        )
        end = end_records(self._count, len(central), len(self._static) + len(entry))
        return self._static + entry + central + end

    def letter(self, recipient: Recipient) -> Letter:
        """The recipient's .docx."""
        return Letter(recipient.row, letter_filename(recipient), self.package(self.letter_body(recipient)))


@lru_cache(maxsize=512)
def _own_data(items: tuple[str, ...], language: str, heading_style: str | None) -> str:
    """The person's affected data and the advice for it. Recipients share a few combinations, so
    each is written once per language."""
    if not items:
        return ""
    with translation.override(language):
        heading = _("Your data in this breach")
        listed = _("The breach affected these data of yours: %(items)s.") % {"items": ", ".join(items)}
        classified = []
        for item in items:
            found = data_item_classify(item)
            classified.append((item, found.data_class, found.special_category, found.henkilotunnus))
        advice = advice_for(classified)
    style = heading_style
    parts = [_paragraph(heading, language, style, space_after=True) if style else _bold(heading, language)]
    parts.append(_paragraph(listed, language, space_after=True))
    parts += [_paragraph(text, language, space_after=True) for text in advice]
    return "".join(parts)


def _bold(text: str, language: str) -> str:
    tag = LANGUAGE_TAGS[language]
    return (
        f'<w:p><w:r><w:rPr><w:b/><w:lang w:val="{tag}"/></w:rPr><w:t xml:space="preserve">'
        f"{escape(xml_safe(text), quote=False)}</w:t></w:r></w:p>"
    )


def letter_filename(recipient: Recipient) -> str:
    """``000002-Matti_Meikäläinen.docx``: the row number as the spreadsheet shows it, then the name."""
    name = "".join(char if char.isalnum() or char in "-." else "_" for char in xml_safe(recipient.name))
    name = re.sub(r"_+", "_", name).strip("._")[:NAME_IN_FILENAME] or "letter"
    return f"{recipient.row:06d}-{name}.docx"


# --- One combined document for printing -----------------------------------------------------


def _restarting(section: str) -> str:
    """The body's section properties with page numbers restarting at 1: each letter its own
    section, so each starts on a new page and counts its own pages."""
    if not section:
        return '<w:sectPr><w:pgNumType w:start="1"/></w:sectPr>'
    section = re.sub(r"<w:pgNumType\b[^>]*/>", "", section)
    for follower in ("<w:cols", "<w:formProt", "<w:vAlign", "<w:noEndnote", "<w:titlePg", "<w:textDirection"):
        at = section.find(follower)
        if at >= 0:
            return section[:at] + '<w:pgNumType w:start="1"/>' + section[at:]
    return section.replace("</w:sectPr>", '<w:pgNumType w:start="1"/></w:sectPr>')


class CombinedDocument:
    """One printable document of many letters, written as they come, each starting on a new page.

    The package is the ``base`` template's (styles, letterhead, footer); a letter in another
    language has its text tagged with its own language. Nothing is held but the letter at hand.
    """

    def __init__(self, base: LetterTemplate) -> None:
        self.base = base
        self.section = _restarting(base.section)
        self.section_break = f"<w:p><w:pPr>{self.section}</w:pPr></w:p>"
        self._tagged: dict[str, str] = {}

    def fragment(self, template: LetterTemplate, recipient: Recipient, *, first: bool) -> str:
        """A letter's body as it goes into the combined document: after a section break, unless
        it is the document's first letter."""
        if template.language == self.base.language:
            body = template.body_of(recipient)
        else:
            tag = LANGUAGE_TAGS[template.language]
            key = template.sha256
            if key not in self._tagged:
                self._tagged[key] = (
                    _language_runs(template.title, tag) + "\x00" + _language_runs(template.body, tag)
                )
            title, rest = self._tagged[key].split("\x00")
            address, own = template.personal(recipient)
            body = address + title + own + rest
        return body if first else self.section_break + body

    def write(self, out: IO[bytes], fragments: Iterable[bytes], *, large: bool) -> None:
        """The package to ``out``: the base's parts, then the body streamed from ``fragments``
        (each the UTF-8 of :meth:`fragment`)."""
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as package:
            for name, data in self.base.parts.items():
                if name == DOCUMENT or name in DROPPED_PARTS:
                    continue
                if name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
                    data = _without_dropped(name, data)
                package.writestr(_info(name), data)
            with package.open(_info(DOCUMENT), "w", force_zip64=large) as body:
                body.write(self.base.head.encode("utf-8"))
                for fragment in fragments:
                    body.write(fragment)
                body.write((self.section + self.base.tail).encode("utf-8"))


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info
