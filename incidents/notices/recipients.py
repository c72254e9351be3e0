"""The recipients' CSV of a mail merge, read and checked before any letter is written: its encoding
(UTF-8 with or without BOM, UTF-16, Windows-1252) and separator (`;` as Finnish Excel writes it,
`,` or tab) found, its columns recognised in Finnish, Swedish and English, and every problem listed
by row and column, numbered as a spreadsheet numbers them (the header is row 1).

A file holding personal identity codes is refused outright, whichever column holds them: a letter
never prints one, and the file should not carry them (data minimisation, Art. 5(1)(c)).
"""

from __future__ import annotations

import csv
import functools
import io
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from stdnum.fi import hetu
from stdnum.se import personnummer

from incidents.registers.classification import HENKILOTUNNUS

READ_MAX_BYTES = 64 * 1024 * 1024
CELL_MAX_CHARACTERS = 16_384
ROW_MAX_CHARACTERS = 32_768
LANGUAGES = ("fi", "sv", "en")
DELIMITERS = (";", ",", "\t")  # on a tie the first wins: Finnish Excel's
FATAL = frozenset({"encoding", "empty", "missing_column", "duplicate_column", "identity_code", "quotes_open"})

# Header words after _words(): lower case, spaces, underscores and hyphens as one space.
ALIASES = {
    "name": ("name", "full name", "recipient", "nimi", "koko nimi", "vastaanottaja", "namn", "mottagare"),
    "address": (
        "address", "street", "street address", "address line", "osoite", "katuosoite", "lähiosoite",
        "adress", "gatuadress", "utdelningsadress",
    ),
    "postcode": (
        "postcode", "postal code", "post code", "zip", "zip code", "postinumero", "postnummer",
    ),
    "city": (
        "city", "town", "post town", "postitoimipaikka", "paikkakunta", "kaupunki", "postort", "ort",
        "stad",
    ),
    "country": ("country", "maa", "land"),
    "email": ("email", "e mail", "mail", "sähköposti", "s posti", "e post", "epost"),
    "language": ("language", "lang", "kieli", "asiointikieli", "språk"),
    "data_items": (
        "data items", "data", "affected data", "tiedot", "henkilötiedot", "vuotaneet tiedot",
        "uppgifter", "personuppgifter",
    ),
}  # fmt: skip
SINGLE_COLUMNS = ("name", "postcode", "city", "country", "email", "language", "data_items")
_COLUMN = {alias: column for column, aliases in ALIASES.items() for alias in aliases}

# How a message names a recognised column.
COLUMN_LABELS = {
    "name": pgettext_lazy("recipients column", "name"),
    "address": pgettext_lazy("recipients column", "address"),
    "postcode": pgettext_lazy("recipients column", "postcode"),
    "city": pgettext_lazy("recipients column", "city"),
    "country": pgettext_lazy("recipients column", "country"),
    "email": pgettext_lazy("recipients column", "e-mail"),
    "language": pgettext_lazy("recipients column", "language"),
    "data_items": pgettext_lazy("recipients column", "data items"),
}

LANGUAGE_WORDS = {
    "fi": "fi", "suomi": "fi", "finnish": "fi", "finska": "fi",
    "sv": "sv", "svenska": "sv", "ruotsi": "sv", "swedish": "sv",
    "en": "en", "english": "en", "englanti": "en", "engelska": "en",
}  # fmt: skip

_IDENTITY_HEADER = re.compile(HENKILOTUNNUS + r"|\bssn\b", re.IGNORECASE)
# A cheap first look before stdnum checks the check character: a Finnish code (131052-308T), a
# Swedish one with its separator (811218-9876) or with the century (19811218-9876). Ten bare digits
# are left out: as often a phone number (0401234567), and about one in 300 of those passes the Luhn
# check, which would refuse most large files that carry phone numbers.
_IDENTITY_VALUE = r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]|\d{6}[-+]\d{4}|(?:18|19|20)\d{6}[-+]?\d{4}"
_IDENTITY_CELL = re.compile(_IDENTITY_VALUE, re.IGNORECASE)
# Inside longer text ("Hetu: 131052-308T", a data item "nimi, 131052-308T"), the forms with a
# separator only: twelve bare digits among other text are as often an order or invoice number.
_IDENTITY_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]|(?:18|19|20)?\d{6}[-+]\d{4})(?![0-9A-Za-z])",
    re.IGNORECASE,
)
# What every form has, for one cheap search of a row's cells joined: most rows have none.
_IDENTITY_HINT = re.compile(r"\d{6}[-+A-FU-Y]|\d{12}", re.IGNORECASE)
# Django's dot-atom local part, ASCII letters only (its pattern is case-insensitive, which in
# Unicode also lets in ſ, ı and the Kelvin sign): an address so plain needs only its domain checked.
_PLAIN_LOCAL_PART = re.compile(r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*")
_ITEMS = re.compile(r"[;|,\r\n]+")
# A character of two to four bytes as UTF-8 writes it, which Windows-1252 text next to never holds.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Recipient:
    row: int  # as a spreadsheet numbers it: the header is row 1, the first recipient row 2
    name: str
    address: tuple[str, ...]  # the street-address lines given, in column order
    postcode: str
    city: str
    country: str
    email: str
    language: str
    data_items: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        # By hand: dataclasses.asdict deep-copies every value, a third of a merge's start.
        return {
            "row": self.row,
            "name": self.name,
            "address": list(self.address),
            "postcode": self.postcode,
            "city": self.city,
            "country": self.country,
            "email": self.email,
            "language": self.language,
            "data_items": list(self.data_items),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Recipient:
        return cls(
            row=cast(int, data["row"]),
            name=str(data["name"]),
            address=tuple(cast("list[str]", data["address"])),
            postcode=str(data["postcode"]),
            city=str(data["city"]),
            country=str(data["country"]),
            email=str(data["email"]),
            language=str(data["language"]),
            data_items=tuple(cast("list[str]", data["data_items"])),
        )


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the file; 1: the header; n: that row
    column: str  # canonical name, the header cell as written for a column not recognised, or ""
    code: str
    message: str
    fatal: bool  # skipping the rows with problems cannot fix it

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class RecipientsFile:
    recipients: tuple[Recipient, ...]
    problems: tuple[Problem, ...]
    rows: int
    encoding: str
    delimiter: str
    columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]

    @property
    def fatal(self) -> bool:
        return any(problem.fatal for problem in self.problems)

    @property
    def problem_rows(self) -> frozenset[int]:
        return frozenset(problem.row for problem in self.problems)


def _problem(row: int, column: str, code: str, message: str) -> Problem:
    return Problem(row, column, code, message, code in FATAL)


def _refused(problem: Problem, encoding: str = "", delimiter: str = "") -> RecipientsFile:
    return RecipientsFile((), (problem,), 0, encoding, delimiter, (), ())


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:59] + "…"


def _decode(data: bytes) -> tuple[str, str] | Problem:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]  # Excel's "Unicode text"; the BOM gives the byte order
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            failed = error
            continue
        if encoding == "cp1252" and _UTF8_SEQUENCE.search(data):
            # Mostly UTF-8 with a line from elsewhere: read as Windows-1252, every ä of the rest
            # would print as Ã¤ in thousands of letters.
            line = data[: failed.start].count(b"\n") + 1
            message = _(
                "Line %(line)d: the file is UTF-8 text, but this line has characters in another encoding "
                "(pasted from another file?). Save the file as “CSV UTF-8” and upload it again."
            )
            return _problem(0, "", "encoding", message % {"line": line})
        return text, encoding
    line = data[: failed.start].decode(encoding, "replace").count("\n") + 1
    message = _(
        "Line %(line)d: the file's characters cannot be read as UTF-8, UTF-16 or Windows-1252 text. "
        "Save it as “CSV UTF-8” and upload it again."
    )
    return _problem(0, "", "encoding", message % {"line": line})


def _delimiter(text: str) -> str:
    """The separator the header line uses most, not counting quoted text."""
    header = re.match(r"[^\r\n]*", text)
    outside = re.sub(r'"[^"]*"', "", header.group() if header else "")
    return max(DELIMITERS, key=outside.count)


def _words(cell: str) -> str:
    return re.sub(r"[\s_\-]+", " ", cell.lower()).strip()


def _column(cell: str) -> str:
    """The canonical column of a header cell, or "". An address column may be numbered ("osoite 2",
    "address line 2", "adress2"): each is a further line of the address."""
    words = _words(cell)
    if words in _COLUMN:
        return _COLUMN[words]
    numbered = re.fullmatch(r"(.*?) ?\d+", words)
    if numbered and _COLUMN.get(numbered.group(1)) == "address":
        return "address"
    return ""


@dataclass
class _Header:
    cells: list[str]  # as written, stripped
    columns: list[str] = field(default_factory=list)  # each cell's canonical column, or ""
    positions: dict[str, list[int]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    identity: set[int] = field(default_factory=set)  # cells already reported for identity codes
    # The cells of the one-cell columns, in SINGLE_COLUMNS order, from a row's values; a column the
    # file lacks reads the empty cell every row ends with (index -1).
    singles: Callable[[list[str]], tuple[str, ...]] = field(default=lambda values: ())

    def name(self, index: int) -> str:
        """How Problem.column names the cell at index: canonical, else as written, else ""."""
        if index >= len(self.cells):
            return ""
        return self.columns[index] or self.cells[index]

    def label(self, index: int) -> str:
        """How a message names the cell at index."""
        if index < len(self.cells) and self.columns[index]:
            return str(COLUMN_LABELS[self.columns[index]])
        if index < len(self.cells) and self.cells[index]:
            return self.cells[index]
        return _("cell %(number)d") % {"number": index + 1}


def _header(cells: list[str], problems: list[Problem]) -> _Header:
    header = _Header(cells=[cell.strip() for cell in cells])
    for index, cell in enumerate(header.cells):
        column = ""
        if _IDENTITY_HEADER.search(_words(cell)):
            header.identity.add(index)
            message = _(
                "Column “%(column)s” is for personal identity codes. A letter never prints one and the "
                "file must not carry them: remove the column and upload the file again."
            )
            problems.append(_problem(1, cell, "identity_code", message % {"column": cell}))
        elif (column := _column(cell)) and column in SINGLE_COLUMNS and column in header.positions:
            # Two e-mail columns, say: which one a letter should use is not for the reader to guess.
            first = header.cells[header.positions[column][0]]
            message = _(
                "Column “%(column)s”: a second column for the %(label)s (the first is “%(first)s”). Keep "
                "one of them and upload the file again."
            )
            values = {"column": cell, "label": COLUMN_LABELS[column], "first": first}
            problems.append(_problem(1, cell, "duplicate_column", message % values))
            column = ""
        elif column:
            header.positions.setdefault(column, []).append(index)
        elif cell:
            header.ignored.append(cell)
        header.columns.append(column)
    where = [header.positions.get(column, [-1])[0] for column in SINGLE_COLUMNS]
    header.singles = operator.itemgetter(*where)
    missing = {
        "name": _("Column “name” is missing: add it with each person's name."),
        "language": _("Column “language” is missing: add it with fi, sv or en for each person."),
    }
    for column, message in missing.items():
        if column not in header.positions:
            problems.append(_problem(1, column, "missing_column", message))
    postal = all(column in header.positions for column in ("address", "postcode", "city"))
    if "email" not in header.positions and not postal:
        message = _(
            "Column “e-mail” is missing: add it, or the columns “address”, “postcode” and “city” for "
            "letters by post."
        )
        problems.append(_problem(1, "email", "missing_column", message))
    return header


def _records(reader: Iterator[list[str]], problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """(row, cells) of each record after the header; a quoted cell over several lines is still one
    row, as a spreadsheet shows it, and a blank line is a row too."""
    row = 1
    while True:
        row += 1
        try:
            yield row, next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # the reader goes on with the next record
            problems.append(_unreadable(row, str(error)))


def _unreadable(row: int, error: str) -> Problem:
    """The problem of a record csv refused: a quote opened and never closed takes every row after
    it into one cell, so the file itself is refused; a stray quote or an overlong cell, the row."""
    if "end of data" in error:
        message = _(
            'Row %(row)d: a quote (") opens a cell and never closes, so every row after it would read '
            "as part of that cell. Close the quote, or remove it, and upload the file again."
        )
        return _problem(row, "", "quotes_open", message % {"row": row})
    if "field limit" in error:
        message = _("Row %(row)d: it cannot be read: a cell is over %(count)d characters.")
        return _problem(row, "", "too_long", message % {"row": row, "count": CELL_MAX_CHARACTERS})
    message = _(
        'Row %(row)d: it cannot be read: a quote (") stands inside a cell where a spreadsheet never '
        "puts one. Quote the whole cell, or remove the quote."
    )
    return _problem(row, "", "quotes", message % {"row": row})


def _is_identity_code(value: str) -> bool:
    return bool(hetu.is_valid(value) or personnummer.is_valid(value))


def _holds_identity_code(value: str) -> bool:
    if _IDENTITY_CELL.fullmatch(value) and _is_identity_code(value):
        return True
    return any(_is_identity_code(match.group(0)) for match in _IDENTITY_IN_TEXT.finditer(value))


def _identity_codes(row: int, values: list[str], header: _Header) -> list[Problem]:
    """Each column's first identity code, found in any column; a column is reported once."""
    if not _IDENTITY_HINT.search("\x1f".join(values)):
        return []
    problems = []
    for index, value in enumerate(values):
        if index not in header.identity and _holds_identity_code(value):
            header.identity.add(index)
            message = _(
                "Row %(row)d, %(column)s: a personal identity code (the first in this column). A letter "
                "never prints one and the file must not carry them: remove them and upload the file again."
            )
            label = header.label(index)
            problems.append(
                _problem(row, header.name(index), "identity_code", message % {"row": row, "column": label})
            )
    return problems


def _sizes(row: int, cells: list[str], length: int, header: _Header) -> list[Problem]:
    """A row too wide or too long; ``length`` is its characters in all."""
    problems = []
    width = len(header.cells)
    if any(cell.strip() for cell in cells[width:]):  # empty cells past the header lose nothing
        message = _(
            "Row %(row)d: %(cells)d cells where the header has %(columns)d. Is a value with the "
            "separator in it missing its quotes?"
        )
        problems.append(
            _problem(row, "", "too_long", message % {"row": row, "cells": len(cells), "columns": width})
        )
    if length > ROW_MAX_CHARACTERS:
        message = _("Row %(row)d: over %(count)d characters in all.")
        problems.append(_problem(row, "", "too_long", message % {"row": row, "count": ROW_MAX_CHARACTERS}))
    for index, cell in enumerate(cells if length > CELL_MAX_CHARACTERS else ()):
        if len(cell) > CELL_MAX_CHARACTERS:
            message = _("Row %(row)d, %(column)s: over %(count)d characters.")
            values = {"row": row, "column": header.label(index), "count": CELL_MAX_CHARACTERS}
            problems.append(_problem(row, header.name(index), "too_long", message % values))
    return problems


def _is_email(value: str) -> bool:
    """Whether validate_email takes the address. It costs more than the rest of a row's reading
    together, so a plain local part at a domain it has taken before is not asked about again: the
    answer for a@domain is the answer for the address."""
    local_part, at, domain = value.rpartition("@")
    if at and len(value) <= 320 and _PLAIN_LOCAL_PART.fullmatch(local_part):
        return _is_email_at(domain)
    return _validates(value)


@functools.lru_cache(maxsize=4096)
def _is_email_at(domain: str) -> bool:
    return _validates(f"a@{domain}")


def _validates(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _language_problem(row: int, written: str) -> Problem:
    if written:
        message = _("Row %(row)d, language: “%(value)s” is not fi, sv or en.")
        message %= {"row": row, "value": _short(written)}
    else:
        message = _("Row %(row)d, language: it is empty; give fi, sv or en.") % {"row": row}
    return _problem(row, "language", "language", message)


def _recipient(row: int, values: list[str], header: _Header) -> tuple[Recipient, list[Problem]]:
    """The row read as a recipient, and its problems; ``values`` are stripped, padded to the header
    and end with an empty cell. A row with problems gets no letter."""
    name, postcode, city, country, email, written_language, items = header.singles(values)
    address = tuple(values[index] for index in header.positions.get("address", ()) if values[index])
    problems = []
    language = LANGUAGE_WORDS.get(written_language.lower(), "")
    if not language:
        problems.append(_language_problem(row, written_language))
    if not name:
        problems.append(_problem(row, "name", "name", _("Row %(row)d, name: it is empty.") % {"row": row}))
    if email:
        if not _is_email(email):
            message = _("Row %(row)d, e-mail: “%(value)s” is not an e-mail address.")
            problems.append(_problem(row, "email", "email", message % {"row": row, "value": _short(email)}))
    elif not (address and postcode and city):
        message = _(
            "Row %(row)d, address: give an e-mail address, or a postal address with street, postcode "
            "and city."
        )
        problems.append(_problem(row, "address", "address", message % {"row": row}))
    data_items = (item.strip() for item in _ITEMS.split(items)) if items else ()
    recipient = Recipient(
        row=row,
        name=name,
        address=address,
        postcode=postcode,
        city=city,
        country=country,
        email=email,
        language=language,
        data_items=tuple(dict.fromkeys(item for item in data_items if item)),
    )
    return recipient, problems


def _same_person(recipient: Recipient) -> tuple[str, ...]:
    """Who a row is for: the e-mail address, or without one the name and postal address, in any
    case and spacing."""
    if recipient.email:
        return ("email", recipient.email.casefold())
    parts = (recipient.name, *recipient.address, recipient.postcode)
    return ("post", *(_SPACE.sub("", part).casefold() for part in parts))


def _duplicate(recipient: Recipient, earlier: int) -> Problem:
    column = "email" if recipient.email else "name"
    message = _("Row %(row)d, %(column)s: the same recipient as row %(earlier)d.") % {
        "row": recipient.row,
        "column": COLUMN_LABELS[column],
        "earlier": earlier,
    }
    return _problem(recipient.row, column, "duplicate", message)


def recipients_read(data: bytes) -> RecipientsFile:
    """The file's recipients and every problem, by row and column; nothing is kept from it."""
    if len(data) > READ_MAX_BYTES:
        message = _("File: it is over %(mb)d MB; split it into smaller files.")
        problem = Problem(0, "", "too_long", message % {"mb": READ_MAX_BYTES // 1024 // 1024}, fatal=True)
        return _refused(problem)
    decoded = _decode(data)
    if isinstance(decoded, Problem):
        return _refused(decoded)
    # csv refused NUL before Python 3.11, and a NUL is no text for a letter: it is shown as U+FFFD.
    text, encoding = decoded[0].replace("\x00", "\ufffd"), decoded[1]
    delimiter = _delimiter(text)
    # Strict: a quote left open would otherwise take the rest of the file into one cell, silently.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        first = next(reader, [])
    except csv.Error:
        message = _("Row 1: the header cannot be read: a cell is too long, or its quotes do not close.")
        return _refused(Problem(1, "", "too_long", message, fatal=True), encoding, delimiter)
    if not any(cell.strip() for cell in first):
        if text.strip():
            problem = _problem(1, "", "empty", _("Row 1: it is empty; the first row names the columns."))
        else:
            problem = _problem(0, "", "empty", _("File: it is empty."))
        return _refused(problem, encoding, delimiter)
    problems: list[Problem] = []
    header = _header(first, problems)
    width = len(header.cells)
    recipients: list[Recipient] = []
    seen: dict[tuple[str, ...], int] = {}  # who each row with a letter is for: its row
    rows = 0
    for row, cells in _records(reader, problems):
        values = [cell.strip() for cell in cells]
        if not any(values):
            continue
        rows += 1
        values += [""] * (width - len(values))
        values.append("")
        recipient, own = _recipient(row, values, header)
        own += _identity_codes(row, values, header)
        length = sum(map(len, cells))
        if len(cells) > width or length > CELL_MAX_CHARACTERS:
            own += _sizes(row, cells, length, header)
        person = _same_person(recipient)
        if person in seen:
            own.append(_duplicate(recipient, seen[person]))
        elif not own:
            # Only a row that gets a letter is the one a later row repeats: were the earlier row
            # skipped for a problem of its own, the person would get no letter at all.
            seen[person] = row
            recipients.append(recipient)
        problems += own
    if rows == 0 and not any(problem.code == "quotes_open" for problem in problems):
        problems.append(_problem(0, "", "empty", _("File: it has a header but no recipients.")))
    return RecipientsFile(
        recipients=tuple(recipients),
        problems=tuple(sorted(problems, key=lambda problem: (problem.row, problem.column))),
        rows=rows,
        encoding=encoding,
        delimiter=delimiter,
        columns=tuple(dict.fromkeys(column for column in header.columns if column)),
        ignored_columns=tuple(header.ignored),
    )
