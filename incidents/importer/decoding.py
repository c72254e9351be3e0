"""From the bytes of an uploaded or named file to the text of a privacy statement, or a refusal.

Statements come from every editor an organisation has used since the Personal Data Act of 1999:
UTF-8 (with or without a byte-order mark), Windows-1252 and Latin-1 are all read, never rejected
(design, "Bad input"). What is refused is refused with the file's name and the reason.
"""

from __future__ import annotations

import codecs
import re

from django.utils.translation import gettext as _

MAX_STATEMENT_BYTES = 2 * 1024 * 1024

# Signatures of the documents people most often upload instead of the text itself.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a Word, OpenDocument or zip file"),
    (b"\xd0\xcf\x11\xe0", "an old Word or Excel document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
    (b"\x1f\x8b", "a gzip archive"),
)

# C0 controls other than tab and line breaks, DEL, and the C1 block that Latin-1 decodes to:
# none belongs in a statement, and XML (the .docx notices) cannot hold them.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class StatementRejected(Exception):
    """A file that cannot be imported; the message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


def _binary_kind(content: bytes) -> str | None:
    for signature, kind in _BINARY_SIGNATURES:
        if content.startswith(signature):
            return kind
    head = content[:8192]
    if b"\x00" in head:
        return _("a binary file")
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f")
    if controls > len(head) // 20:
        return _("a binary file")
    return None


def _decode(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Finnish text in Windows-1252 is never valid UTF-8 (ä is a lone 0xE4), so this order is safe.
    # Windows-1252 leaves five bytes undefined; a file with one of them is Latin-1.
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def statement_text(*, source: str, content: bytes) -> str:
    """The statement's text with Unix line breaks, or :class:`StatementRejected`.

    ``content`` may have been cut at ``MAX_STATEMENT_BYTES + 1`` by the reader: that is enough to
    know that the file is too large.
    """
    if len(content) > MAX_STATEMENT_BYTES:
        raise StatementRejected(
            source, _("the file is larger than 2 MB; a privacy statement is a few pages of text.")
        )
    if not content.strip(b" \t\r\n\f\x00" + codecs.BOM_UTF8):
        raise StatementRejected(source, _("the file is empty."))
    utf16 = content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    kind = None if utf16 else _binary_kind(content)
    if kind is not None:
        raise StatementRejected(
            source,
            _(
                "the file is not text (it looks like %(kind)s); "
                "save the statement as plain text and import that."
            )
            % {"kind": kind},
        )
    text = _decode(content).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARACTERS.sub("", text)
    if not text.strip():
        raise StatementRejected(source, _("the file is empty."))
    return text
