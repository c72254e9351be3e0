"""The breach record as CSV that Excel opens as it is with Finnish settings: UTF-8 with a byte-order
mark (else Excel reads Windows-1252 and garbles ä and ö), ``;`` between cells (the list separator
where the decimal separator is a comma), CRLF line ends, a cell quoted when it holds ``;``, a quote
or a line break."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from incidents.breach_record.entries import FIELDS, field_texts
from incidents.models import Incident

BOM = "\ufeff"
DELIMITER = ";"
# A cell starting with one of these is a formula to a spreadsheet (=, +, -, @), or hides one (tab,
# carriage return); the ' makes it text. OWASP, "CSV Injection".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """The text as a cell that Excel shows and never runs: "=HYPERLINK(...)" becomes "'=HYPERLINK(...)"."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def breach_record_csv(incidents: Iterable[Incident]) -> bytes:
    """The record as CSV bytes, one column per field of the record; call under the reader's
    language (translation.override), which the header and the dates use."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([spreadsheet_safe(str(field.label)) for field in FIELDS])
    for incident in incidents:
        writer.writerow([spreadsheet_safe(text) for text in field_texts(incident)])
    return buffer.getvalue().encode("utf-8")
