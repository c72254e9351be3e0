"""The recipients' CSV of a mail merge, read and checked before any letter is written: its encoding
(UTF-8 with or without BOM, UTF-16, Windows-1252) and separator (`;` as Finnish Excel writes it,
`,` or tab) found, its columns recognised in Finnish, Swedish and English, and every problem listed
by row and column. A column of personal identity codes is refused outright: a letter never prints
one, and the file should not hold them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from stdnum.fi import hetu
from stdnum.se import personnummer

from incidents.registers.classification import HENKILOTUNNUS

READ_MAX_BYTES = 64 * 1024 * 1024
CELL_MAX_CHARACTERS = 16_384
ROW_MAX_CHARACTERS = 32_768
LANGUAGES = ("fi", "sv", "en")
FATAL = frozenset({"encoding", "empty", "missing_column", "identity_code"})

ALIASES = {
    "name": "name|full name|recipient|nimi|koko nimi|vastaanottaja|namn|mottagare",
    "address": "address|street|street address|address line|osoite|katuosoite|lähiosoite|adress|gatuadress|"
    "utdelningsadress",
    "postcode": "postcode|postal code|post code|zip|zip code|postinumero|postnummer",
    "city": "city|town|post town|postitoimipaikka|paikkakunta|kaupunki|postort|ort|stad",
    "country": "country|maa|land",
    "email": "email|e mail|mail|sähköposti|s posti|e post|epost",
    "language": "language|lang|kieli|asiointikieli|språk",
    "data_items": "data items|data|affected data|tiedot|henkilötiedot|vuotaneet tiedot|uppgifter|"
    "personuppgifter",
}
_COLUMN = {alias: column for column, aliases in ALIASES.items() for alias in aliases.split("|")}
LANGUAGE_WORDS = {
    "fi": "fi", "suomi": "fi", "finnish": "fi", "finska": "fi",
    "sv": "sv", "svenska": "sv", "ruotsi": "sv", "swedish": "sv",
    "en": "en", "english": "en", "englanti": "en", "engelska": "en",
}  # fmt: skip
_IDENTITY_HEADER = re.compile(HENKILOTUNNUS + r"|\bssn\b", re.IGNORECASE)
# Cheap first look for a Finnish (131052-308T) or Swedish (19811218-9876) identity code.
_IDENTITY_VALUE = re.compile(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]|(?:\d{2})?\d{6}[-+]?\d{4}")
_ITEMS = re.compile(r"[;|,\n]")


@dataclass(frozen=True)
class Recipient:
    row: int
    name: str
    address: tuple[str, ...]
    postcode: str
    city: str
    country: str
    email: str
    language: str
    data_items: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["address"], data["data_items"] = list(self.address), list(self.data_items)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recipient:
        return cls(**{**data, "address": tuple(data["address"]), "data_items": tuple(data["data_items"])})


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the file; 1: the header; n: that row, as a spreadsheet numbers it
    column: str
    code: str
    message: str
    fatal: bool

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


def _decode(data: bytes) -> tuple[str, str] | Problem:
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            failed = error
    line = data[: failed.start].count(b"\n") + 1
    return _problem(
        0,
        "",
        "encoding",
        _("Line %(line)d: the file is neither UTF-8 nor Windows-1252 text. Save it as CSV (UTF-8).")
        % {"line": line},
    )


def _delimiter(header: str) -> str:
    outside = re.sub(r'"[^"]*"', "", header)
    return max((";", ",", "\t"), key=outside.count)


def _canonical(cell: str) -> tuple[str, str]:
    """(column, the line number of an address column) of a header cell, or ("", "")."""
    words = re.sub(r"[\s_\-]+", " ", cell.strip().lower()).strip()
    if words in _COLUMN:
        return _COLUMN[words], ""
    numbered = re.fullmatch(r"(.*?)\s?(\d)", words)
    if numbered and _COLUMN.get(numbered.group(1)) == "address":
        return "address", numbered.group(2)
    return "", ""


COLUMN_WORDS = {
    "name": "name",
    "address": "address",
    "postcode": "postcode",
    "city": "city",
    "country": "country",
    "email": "e-mail",
    "language": "language",
    "data_items": "data items",
}


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "…"


def recipients_read(data: bytes) -> RecipientsFile:
    """The file's recipients and every problem, by row and column; nothing is written from it."""
    if len(data) > READ_MAX_BYTES:
        return _refused(
            _problem(
                0, "", "too_long", _("File: at most %(mb)d MB.") % {"mb": READ_MAX_BYTES // 1024 // 1024}
            )
        )
    decoded = _decode(data)
    if isinstance(decoded, Problem):
        return _refused(decoded)
    text, encoding = decoded
    text = text.replace("\x00", "\ufffd")
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    csv.field_size_limit(max(csv.field_size_limit(), ROW_MAX_CHARACTERS * 4))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        header = []
    if not any(cell.strip() for cell in header):
        return _refused(_problem(0, "", "empty", _("File: it is empty.")), encoding, delimiter)
    positions: dict[str, list[int]] = {}
    ignored, problems = [], []
    identity_columns: set[int] = set()
    for index, cell in enumerate(header):
        if _IDENTITY_HEADER.search(cell):
            problems.append(_identity(1, cell.strip()))
            identity_columns.add(index)
            continue
        column, _line = _canonical(cell)
        if column:
            positions.setdefault(column, []).append(index)
        elif cell.strip():
            ignored.append(cell.strip())
    for column in ("name", "language"):
        if column not in positions:
            problems.append(_missing(column))
    postal = all(column in positions for column in ("address", "postcode", "city"))
    if "email" not in positions and not postal:
        problems.append(
            _problem(
                1,
                "email",
                "missing_column",
                _(
                    "Columns: give an “e-mail” column, or “address”, “postcode” and “city” for letters by "
                    "post."
                ),
            )
        )
    recipients: list[Recipient] = []
    seen: dict[str, int] = {}
    rows = 0
    width = len(header)
    for cells in _rows(reader, problems):
        row_number, cells = cells
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        for index, cell in enumerate(cells):
            if index not in identity_columns and _IDENTITY_VALUE.search(cell) and _is_identity(cell.strip()):
                identity_columns.add(index)
                name = header[index].strip() if index < width else str(index + 1)
                problems.append(_identity(row_number, name))
        recipient = _recipient(row_number, cells, width, positions, problems, seen)
        if recipient is not None:
            recipients.append(recipient)
    if rows == 0 and not problems:
        problems.append(_problem(0, "", "empty", _("File: it has a header but no recipients.")))
    bad = {problem.row for problem in problems}
    return RecipientsFile(
        recipients=tuple(recipient for recipient in recipients if recipient.row not in bad),
        problems=tuple(sorted(problems, key=lambda problem: (problem.row, problem.column))),
        rows=rows,
        encoding=encoding,
        delimiter=delimiter,
        columns=tuple(column for column in ALIASES if column in positions),
        ignored_columns=tuple(ignored),
    )


def _rows(reader: Any, problems: list[Problem]) -> Any:
    """(row number, cells) of each row, the row number as a spreadsheet shows it (the header is
    row 1; a quoted cell over several lines is still one row)."""
    row = 1
    while True:
        row += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(
                _problem(row, "", "too_long", _("Row %(row)d: %(error)s") % {"row": row, "error": error})
            )
            continue
        yield row, cells


def _is_identity(value: str) -> bool:
    return bool(hetu.is_valid(value) or personnummer.is_valid(value))


def _identity(row: int, column: str) -> Problem:
    return _problem(
        row,
        column,
        "identity_code",
        _(
            "Column “%(column)s” holds personal identity codes (first in row %(row)d). A letter never prints "
            "one: remove the column and upload the file again."
        )
        % {"column": column, "row": row},
    )


def _missing(column: str) -> Problem:
    messages = {
        "name": _("Column “name” is missing: add it with each person's name."),
        "language": _("Column “language” is missing: add it with fi, sv or en for each person."),
    }
    return _problem(1, column, "missing_column", messages[column])


def _recipient(
    row: int,
    cells: list[str],
    width: int,
    positions: dict[str, list[int]],
    problems: list[Problem],
    seen: dict[str, int],
) -> Recipient | None:
    found: list[Problem] = []
    if len(cells) > width:
        found.append(
            _problem(
                row,
                "",
                "too_long",
                _("Row %(row)d: %(cells)d cells where the header has %(columns)d.")
                % {"row": row, "cells": len(cells), "columns": width},
            )
        )
    if sum(len(cell) for cell in cells) > ROW_MAX_CHARACTERS:
        found.append(
            _problem(
                row,
                "",
                "too_long",
                _("Row %(row)d: over %(count)d characters.") % {"row": row, "count": ROW_MAX_CHARACTERS},
            )
        )
    cells = cells + [""] * (width - len(cells))

    def value(column: str) -> str:
        return " ".join(cells[index].strip() for index in positions.get(column, [])[:1])

    for column, indexes in positions.items():
        for index in indexes:
            if len(cells[index]) > CELL_MAX_CHARACTERS:
                found.append(
                    _problem(
                        row,
                        column,
                        "too_long",
                        _("Row %(row)d, %(column)s: over %(count)d characters.")
                        % {"row": row, "column": COLUMN_WORDS[column], "count": CELL_MAX_CHARACTERS},
                    )
                )
    name = value("name")
    address = tuple(cells[index].strip() for index in positions.get("address", []) if cells[index].strip())
    postcode, city, email = value("postcode"), value("city"), value("email")
    if not name:
        found.append(_problem(row, "name", "name", _("Row %(row)d, name: it is empty.") % {"row": row}))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            found.append(
                _problem(
                    row,
                    "email",
                    "email",
                    _("Row %(row)d, e-mail: “%(value)s” is not an e-mail address.")
                    % {"row": row, "value": _short(email)},
                )
            )
    elif not (address and postcode and city):
        found.append(
            _problem(
                row,
                "address",
                "address",
                _("Row %(row)d, address: give a postal address (street, postcode and city) or an e-mail.")
                % {"row": row},
            )
        )
    language = LANGUAGE_WORDS.get(value("language").lower(), "")
    if not language:
        found.append(
            _problem(
                row,
                "language",
                "language",
                _("Row %(row)d, language: “%(value)s” is not fi, sv or en.")
                % {"row": row, "value": _short(value("language"))},
            )
        )
    key = email.lower() if email else " ".join([name, *address, postcode]).lower()
    key = re.sub(r"\s+", " ", key)
    if key.strip() and key in seen:
        found.append(
            _problem(
                row,
                "email" if email else "name",
                "duplicate",
                _("Row %(row)d: the same recipient as row %(earlier)d.") % {"row": row, "earlier": seen[key]},
            )
        )
    elif key.strip():
        seen[key] = row
    problems.extend(found)
    if found:
        return None
    items = [item.strip() for item in _ITEMS.split(value("data_items"))]
    return Recipient(
        row=row,
        name=name,
        address=address,
        postcode=postcode,
        city=city,
        country=value("country"),
        email=email,
        language=language,
        data_items=tuple(dict.fromkeys(item for item in items if item)),
    )
