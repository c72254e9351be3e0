"""Word documents, PDFs and saved web pages read to the text of a privacy statement.

Organisations keep their statements as .docx, as PDF or as a page of their web site, not as text.
Each reader here turns one of them into text laid out the way a text statement is, so that the
reading of sections (``parsing.py``) finds in it what it finds in a text file: a paragraph per
block with a blank line between, headings as Markdown ``# `` lines, list items as ``- `` lines,
and a table's row of label and value as a ``Label: value`` line (other rows as cells joined by
`` | ``).

Uploads are untrusted: each reader bounds what it unpacks, and whatever a broken file makes
python-docx, lxml, zipfile or pypdf raise becomes :class:`DocumentRefused` with a reason for the
person who uploaded it, never a traceback. ``decoding.statement_read`` routes files here by their
content and names the file in the refusal.
"""

from __future__ import annotations

from incidents.importer.documents.blocks import (
    HEADING,
    ITEM,
    PARAGRAPH,
    ROW,
    Block,
    DocumentRefused,
    blocks_text,
    table_blocks,
)
from incidents.importer.documents.pdf import MAX_PDF_PAGES, pdf_text
from incidents.importer.documents.web import html_text, looks_like_html
from incidents.importer.documents.word import (
    BROKEN,
    EXCEL,
    MAX_UNPACKED_BYTES,
    OPEN_DOCUMENT,
    OPEN_DOCUMENT_TEXT,
    POWERPOINT,
    WORD,
    ZIP,
    docx_text,
    package_kind,
    word_unreadable,
)

__all__ = [
    "BROKEN",
    "EXCEL",
    "HEADING",
    "ITEM",
    "MAX_PDF_PAGES",
    "MAX_UNPACKED_BYTES",
    "OPEN_DOCUMENT",
    "OPEN_DOCUMENT_TEXT",
    "PARAGRAPH",
    "POWERPOINT",
    "ROW",
    "WORD",
    "ZIP",
    "Block",
    "DocumentRefused",
    "blocks_text",
    "docx_text",
    "html_text",
    "looks_like_html",
    "package_kind",
    "pdf_text",
    "table_blocks",
    "word_unreadable",
]
