"""From the bytes of an uploaded or named file to the text of a privacy statement, or a refusal.

Statements come from every editor an organisation has used since the Personal Data Act of 1999:
UTF-8 (with or without a byte-order mark), Windows-1252 and Latin-1 are all read, never rejected
(design, "Bad input"). Word documents, PDFs with text and saved web pages are read to text first
(``documents``), known by their content, not their names. What is refused is refused with the
file's name and the reason.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from incidents.importer import documents

MAX_STATEMENT_BYTES = 2 * 1024 * 1024  # a text file or a web page
# Word and PDF files carry fonts, styles and pictures besides the text: the same statement is
# often several times the size of its text.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# The most of a file any reader keeps (an upload, a file the command names): one byte more than
# this is enough to refuse a file of any kind as too large without reading the rest.
MAX_UPLOAD_BYTES = max(MAX_STATEMENT_BYTES, MAX_DOCUMENT_BYTES)

_Content = TypeVar("_Content", bytes, str)

_PDF_SIGNATURE = b"%PDF"
_ZIP_SIGNATURE = b"PK\x03\x04"  # .docx, and every other zip
_WORD_NAMES = (".docx", ".docm", ".dotx")

# Signatures of the documents people most often upload instead of the text itself.
_BINARY_SIGNATURES: tuple[tuple[bytes, str | Promise], ...] = (
    (b"\xd0\xcf\x11\xe0", gettext_lazy("an old Word or Excel document")),
    (b"{\\rtf", gettext_lazy("an RTF document")),
    (b"\x89PNG", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (b"\x7fELF", gettext_lazy("a program")),
    (b"MZ", gettext_lazy("a program")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
)

# C0 controls other than tab and line breaks, DEL, and the C1 block that Latin-1 decodes to:
# none belongs in a statement, and XML (the .docx notices) cannot hold them.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates: they make a name read otherwise than it is
# stored ("Trojan Source"), and a statement needs none of them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# A character of two to four bytes as UTF-8 writes it, which Windows-1252 text next to never holds.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_LINES_NAMED = 5  # a warning names the first lines it is about, then how many more


@dataclass(frozen=True)
class DecodedStatement:
    """The statement's text, and what the reading changed in it, for the reader to check."""

    text: str
    warnings: list[str] = field(default_factory=list)


class StatementRejected(Exception):
    """A file that cannot be imported; the message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def _binary_kind(content: bytes) -> str | None:
    for signature, kind in _BINARY_SIGNATURES:
        if content.startswith(signature):
            return str(kind)
    head = content[:8192]
    if b"\x00" in head:
        return _("a binary file")
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f")
    if controls > len(head) // 20:
        return _("a binary file")
    return None


def _utf16_without_bom(content: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for text saved as UTF-16 with no byte-order mark: in Finnish and
    Swedish text nearly every other byte is then zero."""
    head = content[:4096]
    if len(head) < 16:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def _lines_of(text: str, positions: list[int]) -> tuple[str, int]:
    """ "3, 8, 12" (or "3, 8, 12, 20, 31 and 4 more") for the lines holding these positions of
    ``text``, and how many lines that is."""
    lines = sorted({text.count("\n", 0, position) + 1 for position in positions})
    named = ", ".join(str(line) for line in lines[:_LINES_NAMED])
    if len(lines) > _LINES_NAMED:
        named = _("%(lines)s and %(count)d more") % {"lines": named, "count": len(lines) - _LINES_NAMED}
    return named, len(lines)


def _decode(content: bytes, warnings: list[str]) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return _utf8(content[len(codecs.BOM_UTF8) :], warnings)
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace")
    utf16 = _utf16_without_bom(content)
    if utf16 is not None:
        return content.decode(utf16, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(content):
        # UTF-8 with a few bytes from elsewhere (a line pasted from an old file): read as
        # Windows-1252, every ä of the rest would become Ã¤.
        return _utf8(content, warnings)
    # Finnish text in Windows-1252 is never valid UTF-8 (ä is a lone 0xE4), so this order is safe.
    # Windows-1252 leaves five bytes undefined; a file with one of them is Latin-1.
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def _utf8(content: bytes, warnings: list[str]) -> str:
    text = content.decode("utf-8", errors="replace")
    # More replacement characters than the file wrote itself: bytes that were not UTF-8.
    if text.count("\ufffd") > content.count("\ufffd".encode()):
        warnings.extend(_replacement_warnings(text))
    return text


def _replacement_warnings(text: str) -> list[str]:
    """The warning naming the lines where bytes that were not UTF-8 are shown as �, if any are."""
    named, count = _lines_of(text, [match.start() for match in re.finditer("\ufffd", text)])
    if not count:
        return []
    message = ngettext(
        "Line %(lines)s: characters that are not UTF-8 were shown as � in the text; check the text "
        "there against the original.",
        "Lines %(lines)s: characters that are not UTF-8 were shown as � in the text; check the "
        "text there against the original.",
        count,
    )
    return [message % {"lines": named}]


def statement_text(*, source: str, content: bytes) -> str:
    """The statement's text with Unix line breaks, or :class:`StatementRejected`."""
    return statement_read(source=source, content=content).text


def statement_read(*, source: str, content: bytes) -> DecodedStatement:
    """The statement's text with Unix line breaks and what reading it changed, or
    :class:`StatementRejected`.

    ``content`` may have been cut at ``MAX_UPLOAD_BYTES + 1`` by the reader: that is enough to
    know that the file is too large.
    """
    is_document = content.startswith((_PDF_SIGNATURE, _ZIP_SIGNATURE))
    if len(content) > (MAX_DOCUMENT_BYTES if is_document else MAX_STATEMENT_BYTES):
        raise StatementRejected(source, _too_large(is_document))
    if not content.strip(b" \t\r\n\f\x00" + codecs.BOM_UTF8):
        raise StatementRejected(source, _("the file is empty."))
    warnings: list[str] = []
    if content.startswith(_PDF_SIGNATURE):
        text = _document_text(source, documents.pdf_text, content)
    elif content.startswith(_ZIP_SIGNATURE):
        text = _zip_text(source, content)
    else:
        text = _text(source, content, warnings)
    return _checked(source, text, warnings)


def _too_large(is_document: bool) -> str:
    if is_document:
        return _(
            "the file is larger than 10 MB; save the statement without its pictures, or as plain "
            "text, and import that."
        )
    return _("the file is larger than 2 MB; a privacy statement is a few pages of text.")


def _not_text(kind: str) -> str:
    return _(
        "the file is not text (it looks like %(kind)s); save the statement as a Word document "
        "(.docx), a PDF or plain text and import that."
    ) % {"kind": kind}


def _document_text(source: str, reader: Callable[[_Content], str], content: _Content) -> str:
    try:
        return reader(content)
    except documents.DocumentRefused as refused:
        raise StatementRejected(source, refused.reason) from None


def _zip_text(source: str, content: bytes) -> str:
    """A .docx's text; any other zip refused by what it holds."""
    kind = documents.package_kind(content)
    if kind == documents.WORD:
        return _document_text(source, documents.docx_text, content)
    if kind == documents.BROKEN and source.lower().endswith(_WORD_NAMES):
        raise StatementRejected(source, documents.word_unreadable())
    if kind == documents.OPEN_DOCUMENT_TEXT:
        raise StatementRejected(
            source,
            _(
                "the file is an OpenDocument text (.odt), which is not read here; save the "
                "statement as a Word document (.docx) or as plain text and import that."
            ),
        )
    kinds = {
        documents.OPEN_DOCUMENT: _("an OpenDocument file"),
        documents.EXCEL: _("an Excel workbook"),
        documents.POWERPOINT: _("a PowerPoint presentation"),
        documents.ZIP: _("a zip file"),
    }
    # A zip that does not open: damaged, or only the first bytes of one.
    raise StatementRejected(source, _not_text(kinds.get(kind, "a Word, OpenDocument or zip file")))


def _text(source: str, content: bytes, warnings: list[str]) -> str:
    """A text file's text, or a saved web page's visible text."""
    utf16 = content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(content)
    kind = None if utf16 else _binary_kind(content)
    if kind is not None:
        raise StatementRejected(source, _not_text(kind))
    decoding: list[str] = []
    text = _newlines(_decode(content, decoding))
    if not documents.looks_like_html(text, source):
        warnings.extend(decoding)
        return text
    text = _document_text(source, documents.html_text, text)
    if decoding:
        # The lines the decoding named are the page's source lines; name those of its text, if
        # the characters are in the text at all (not in a script, say).
        warnings.extend(_replacement_warnings(text))
    return text


def _newlines(text: str) -> str:
    # A form feed is a page break (text saved from a PDF): a line break, not a character to warn of.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")


def _checked(source: str, text: str, warnings: list[str]) -> DecodedStatement:
    """The text without the characters no statement holds, each removal warned of by its lines."""
    text = _newlines(text)
    named, count = _lines_of(text, [match.start() for match in _CONTROL_CHARACTERS.finditer(text)])
    if count:
        message = ngettext(
            "Line %(lines)s: control characters were removed; check the text there.",
            "Lines %(lines)s: control characters were removed; check the text there.",
            count,
        )
        warnings.append(message % {"lines": named})
        text = _CONTROL_CHARACTERS.sub("", text)
    named, count = _lines_of(text, [match.start() for match in _BIDI_CONTROLS.finditer(text)])
    if count:
        message = ngettext(
            "Line %(lines)s: characters that reverse the direction of text were removed (they can make "
            "a name read otherwise than it is written); check the text there.",
            "Lines %(lines)s: characters that reverse the direction of text were removed (they can "
            "make a name read otherwise than it is written); check the text there.",
            count,
        )
        warnings.append(message % {"lines": named})
        text = _BIDI_CONTROLS.sub("", text)
    if not text.strip():
        raise StatementRejected(source, _("the file is empty."))
    return DecodedStatement(text, warnings)
