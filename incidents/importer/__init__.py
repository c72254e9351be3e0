"""Reading Finnish, Swedish and English privacy statements into registers.

``statement_parse`` reads one statement's text; ``incidents.importer.service.registers_import``
is the act of importing files (it needs the models, so it is imported from there).
"""

from __future__ import annotations

from incidents.importer.decoding import (
    MAX_DOCUMENT_BYTES,
    MAX_STATEMENT_BYTES,
    MAX_UPLOAD_BYTES,
    StatementRejected,
    statement_text,
)
from incidents.importer.statement import JSON_KEYS, ParsedRegister, ParsedStatement, statement_parse

__all__ = [
    "JSON_KEYS",
    "MAX_DOCUMENT_BYTES",
    "MAX_STATEMENT_BYTES",
    "MAX_UPLOAD_BYTES",
    "ParsedRegister",
    "ParsedStatement",
    "StatementRejected",
    "statement_parse",
    "statement_text",
]
