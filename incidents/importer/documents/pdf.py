"""PDFs with text read to paragraphs, from the lines of their pages' layout."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pypdf
from django.utils.translation import gettext as _
from pypdf.errors import DependencyError

from incidents.importer.documents.blocks import _SENTENCE_END, DocumentRefused, _is_label

logger = logging.getLogger(__name__)

MAX_PDF_PAGES = 300


def _pdf_unreadable() -> str:
    return _(
        "the file could not be read as a PDF document (it may be damaged or incomplete); "
        "save it again, or save the statement as Word or plain text, and import that."
    )


# --- PDF ----------------------------------------------------------------------------------------

# Tighter than pypdf's own limits (75 MB a stream): a statement's page is a few kB of text, and
# pictures are never decoded. jbig2dec, an outside program, is never run on an upload.
_PDF_LIMITS: dict[str, Any] = {
    "maximum_declared_stream_length": 20_000_000,
    "zlib_maximum_output_length": 20_000_000,
    "lzw_maximum_output_length": 20_000_000,
    "run_length_maximum_output_length": 20_000_000,
    "brotli_maximum_output_length": 20_000_000,
    "array_based_stream_maximum_output_length": 20_000_000,
    "jbig2dec_binary": None,
}
# A page with text has hundreds of letters; a scan has none, or a stamped page number.
_LETTERS_PER_PAGE = 20
# Bullets as a PDF writes them: the Symbol and Wingdings glyphs Word and LibreOffice use come out
# as private-use characters.
_PDF_BULLET = re.compile(r"^([•▪◦●‣○·\uf0a7\uf0b7\uf0d8\uf076\uf0fc\uf0a8\uf02d\uf06e\uf071])\s+")
_LIST_START = re.compile(r"^(- |\d{1,2}[.)]\s)")
# A line ends this near the right margin when the next word did not fit on it: the columns of a
# layout are of average characters, and a line of narrow ones holds more of them.
_FULL_LINE = 0.92
_HALF_LINE = 0.5


def pdf_text(content: bytes) -> str:
    """The text of a PDF's pages, or :class:`DocumentRefused` (a scan, a password, too many pages,
    a damaged file)."""
    try:
        with _pdf_limits():
            reader = pypdf.PdfReader(io.BytesIO(content))
            _unlock(reader)
            count = len(reader.pages)
            if count > MAX_PDF_PAGES:
                raise DocumentRefused(
                    _(
                        "the PDF has %(count)d pages, more than %(limit)d; a privacy statement is a "
                        "few pages. Import the statement on its own."
                    )
                    % {"count": count, "limit": MAX_PDF_PAGES}
                )
            text = _pdf_paragraphs([_page_lines(page) for page in reader.pages])
    except DocumentRefused:
        raise
    except Exception as error:
        logger.info("A PDF could not be read: %r", error)
        raise DocumentRefused(_pdf_unreadable()) from error
    if sum(character.isalpha() for character in text) < _LETTERS_PER_PAGE * max(count, 1):
        raise DocumentRefused(
            _(
                "this is a scanned PDF with no text layer: there is no text in it to read. Import "
                "the statement as text, as a Word document or as a PDF with text (one saved from a "
                "word processor, or run through text recognition)."
            )
        )
    return text


def _pdf_limits() -> contextlib.AbstractContextManager[Any]:
    apply: Callable[..., contextlib.AbstractContextManager[Any]] | None = getattr(
        pypdf, "apply_configuration", None
    )
    return apply(**_PDF_LIMITS) if apply is not None else contextlib.nullcontext()  # pypdf < 7


def _unlock(reader: pypdf.PdfReader) -> None:
    """Open a PDF protected only against changes (its user password is empty); refuse one that
    needs a password to be opened."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except DependencyError:
        raise DocumentRefused(
            _(
                "the PDF is encrypted in a way that cannot be read here; save a copy of it without "
                "protection, or save the statement as Word or plain text, and import that."
            )
        ) from None
    if opened == pypdf.PasswordType.NOT_DECRYPTED:
        raise DocumentRefused(
            _(
                "the PDF is protected with a password and cannot be opened without it; save a copy "
                "without the password, or save the statement as Word or plain text, and import that."
            )
        )


@dataclass(frozen=True)
class _Look:
    """The font a line is written in: a heading's differs from the text's under it."""

    size: float
    bold: bool


_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


def _page_lines(page: pypdf.PageObject) -> list[tuple[str, _Look | None]]:
    """The page's lines as pypdf's layout mode writes them (each piece of text at its place:
    columns apart by runs of spaces, a blank line where lines are further apart than in a
    paragraph), each with its font's look if that is known."""
    try:
        text = page.extract_text(extraction_mode="layout")
    except Exception:
        # The layout mode is the one that fails on an unusual font; the plain one reads the text
        # still, only without the columns and the blank lines between paragraphs.
        text = page.extract_text()
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    looks = _line_looks(page)
    if len(looks) != sum(1 for line in lines if line.strip()):
        return [(line, None) for line in lines]  # the two readings differ: no looks rather than wrong ones
    found = iter(looks)
    return [(line, next(found) if line.strip() else None) for line in lines]


def _line_looks(page: pypdf.PageObject) -> list[_Look]:
    """The look of each line of upright text, top to bottom: of its longest piece of text, so
    that a bullet's symbol font or a bold word does not count."""
    pieces: list[tuple[float, int, _Look]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        matrix = pypdf.mult(tm, cm)
        if not text.strip() or matrix[1] or matrix[2] or matrix[0] <= 0 or matrix[3] <= 0:
            return
        name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
        look = _Look(round(float(size) * matrix[3] * 2) / 2, _BOLD_FONT.search(name) is not None)
        pieces.append((matrix[5], len(text.strip()), look))

    try:
        page.extract_text(visitor_text=visit)
    except Exception:
        return []
    looks: list[_Look] = []
    line: list[tuple[float, int, _Look]] = []
    for piece in sorted(pieces, key=lambda piece: -piece[0]):
        if line and line[0][0] - piece[0] > 1.0:
            looks.append(max(line, key=lambda part: part[1])[2])
            line = []
        line.append(piece)
    if line:
        looks.append(max(line, key=lambda part: part[1])[2])
    return looks


# A piece of text on a line: words one or two spaces apart (wider gaps are between columns, or
# the stretched spaces of justified text). A no-break space is part of a word.
_PIECE = re.compile(r"[^ ]+(?: {1,2}[^ ]+)*")
_SPACES = re.compile(r" {2,}")


@dataclass(frozen=True)
class _PdfLine:
    indent: int  # the column of the first character
    text_indent: int  # the column of the text after a bullet
    end: int  # the column after the last character, spaces one wide
    text: str  # from the first character, a bullet written "- "
    pieces: tuple[tuple[int, str], ...] = ()  # (column, text)
    look: _Look | None = None


def _pdf_line(raw: str, look: _Look | None = None) -> _PdfLine | None:
    if not raw.strip():
        return None
    text = raw.lstrip(" ")
    indent = len(raw) - len(text)
    bullet = _PDF_BULLET.match(text)
    text_indent = indent + (bullet.end() if bullet else 0)
    text = _PDF_BULLET.sub("- ", text)
    pieces = tuple((indent + match.start(), match.group()) for match in _PIECE.finditer(text))
    # Where the line would end with its spaces as wide as the font's: justified text is stretched
    # to the margin, a line ended by a line break too, and only its natural length tells whether
    # the next word would have fitted.
    end = text_indent + len(_SPACES.sub(" ", raw[text_indent:].strip(" ")))
    return _PdfLine(indent, text_indent, end, text, pieces, look)


def _looks_differ(one: _PdfLine, other: _PdfLine) -> bool:
    return one.look is not None and other.look is not None and one.look != other.look


def _pdf_paragraphs(pages: list[list[tuple[str, _Look | None]]]) -> str:
    """The pages' lines as paragraphs: the lines of a paragraph, wrapped at the width of the page,
    joined again; a row of a label and a value as ``Label: value``; paragraphs (and pages, unless
    a paragraph goes on over the page break) apart by a blank line."""
    lines: list[_PdfLine | None] = []
    page_breaks: set[int] = set()
    for page in pages:
        if lines:
            page_breaks.add(len(lines))
            lines.append(None)
        lines.extend(_pdf_line(raw, look) for raw, look in page)
    right = _right_margin([line for line in lines if line is not None])
    body = _body_look([line for line in lines if line is not None])
    paragraphs: list[str] = []
    current: list[str] = []  # the lines of the paragraph being read, wrapped lines joined
    previous: _PdfLine | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        row = _two_columns(lines, index)
        if row is not None:
            paragraphs.extend(["\n".join(current)] if current else [])
            label, value, index = _table_row(lines, index, row, right)
            paragraphs.append("\n".join([f"{label}: {value[0]}", *value[1:]]))
            current, previous = [], None
            continue
        index += 1
        if line is None:
            following = _nearest(lines, index - 1, 1)
            over_the_page = (
                index - 1 in page_breaks
                and previous is not None
                and following is not None
                and _wrapped(previous, following, right, body)
            )
            if (
                current
                and not over_the_page
                and not _list_goes_on(current[-1], lines, index - 1, page_breaks)
            ):
                paragraphs.append("\n".join(current))
                current, previous = [], None
            continue
        text = _SPACES.sub(" ", line.text)
        if current and previous is not None and _wrapped(previous, line, right, body):
            current[-1] = _joined(current[-1], text)
        elif current and previous is not None and _looks_differ(previous, line):
            paragraphs.append("\n".join(current))  # a heading and its text: paragraphs of their own
            current = [text]
        else:
            current.append(text)
        previous = line
    paragraphs.extend(["\n".join(current)] if current else [])
    return "\n\n".join(paragraph.strip() for paragraph in paragraphs if paragraph.strip())


def _list_goes_on(last: str, lines: list[_PdfLine | None], index: int, page_breaks: set[int]) -> bool:
    """Whether a list goes on over this page break: an item (``last``) before it, an item after."""
    after = _nearest(lines, index, 1)
    return (
        index in page_breaks
        and after is not None
        and all(_LIST_START.match(text) for text in (last, after.text))
    )


def _body_look(lines: list[_PdfLine]) -> _Look | None:
    """The look of the running text: the font most of the characters are in."""
    counts: Counter[_Look] = Counter()
    for line in lines:
        if line.look is not None:
            counts[line.look] += len(line.text)
    return counts.most_common(1)[0][0] if counts else None


def _right_margin(lines: list[_PdfLine]) -> int:
    """The column where the text's lines end when full: most lines of running text end there."""
    full = sorted(line.end for line in lines if len(line.text.split()) >= 6)
    if len(full) < 3:
        return max((line.end for line in lines), default=80)
    return int(statistics.quantiles(full, n=10)[-1])


def _wrapped(previous: _PdfLine, line: _PdfLine, right: int, body: _Look | None = None) -> bool:
    """Whether ``line`` goes on with the text of ``previous``, wrapped at the right margin: the
    first word of ``line`` would not have fitted after ``previous``. A new list item, a line
    indented further than the text above it or out under a bullet, or one in another font (a
    heading and its text), does not."""
    if (
        _LIST_START.match(line.text)
        or line.indent > previous.text_indent + 2
        or _looks_differ(previous, line)
    ):
        return False
    if previous.text_indent > previous.indent and line.indent < previous.text_indent - 1:
        return False  # an item's text goes on under its text, not under its bullet
    word = line.text.split(" ", 1)[0]
    if previous.end + 1 + len(word) > right * _FULL_LINE:
        return True
    if line.look is not None and line.look == previous.look and line.look != body:
        # Two lines in a heading's font are one heading, wrapped: its font is larger than the
        # text's, so it wraps before the text's margin.
        return not previous.text.endswith(_SENTENCE_END)
    # Where the fonts are not known: a line starting in lower case after an unfinished one that
    # is well over half the width is what is left of it.
    return (
        word[:1].islower()
        and previous.end > right * _HALF_LINE
        and not previous.text.endswith((*_SENTENCE_END, ":"))
    )


def _joined(text: str, more: str) -> str:
    if text.endswith("\xad"):  # a soft hyphen where the word was broken
        return text[:-1] + more
    return f"{text} {more}"


def _nearest(lines: list[_PdfLine | None], index: int, step: int) -> _PdfLine | None:
    position = index + step
    while 0 <= position < len(lines) and lines[position] is None:
        position += step
    return lines[position] if 0 <= position < len(lines) else None


def _two_columns(lines: list[_PdfLine | None], index: int) -> tuple[int, str, str] | None:
    """(column, label, value) if the line is a table's row of a label and a value: two pieces of
    text far apart, the value at a column where the line above or below also has text. Justified
    text has wide gaps too, but between many words, and at columns that do not repeat."""
    line = lines[index]
    if line is None or len(line.pieces) != 2 or not _is_label([line.pieces[0][1]]):
        return None
    column, value = line.pieces[1]
    for other in (_nearest(lines, index, -1), _nearest(lines, index, 1)):
        if other is None:
            continue
        starts = [other.indent] if len(other.pieces) == 1 else [piece[0] for piece in other.pieces[1:2]]
        if any(abs(start - column) <= 2 for start in starts):
            return column, line.pieces[0][1], value
    return None


def _table_row(
    lines: list[_PdfLine | None], index: int, row: tuple[int, str, str], right: int
) -> tuple[str, list[str], int]:
    """The label, the value's lines (wrapped lines joined), and the index after the row: the lines
    that follow at the value's column, over blank lines, are the rest of the value."""
    column, label, first = row
    end = column + len(_SPACES.sub(" ", first))
    previous: _PdfLine | None = _PdfLine(column, column, end, first)
    value = [first]
    position = index + 1
    while position < len(lines):
        line = lines[position]
        if line is None:
            following = _nearest(lines, position, 1)
            if following is None or following.indent < column - 2:
                break
            previous = None  # a new paragraph in the cell
        elif line.indent < column - 2:
            break
        else:
            text = _SPACES.sub(" ", line.text)
            if previous is not None and _wrapped(previous, line, right):
                value[-1] = _joined(value[-1], text)
            else:
                value.append(text)
            previous = line
        position += 1
    return label.rstrip(":").rstrip(), value, position
