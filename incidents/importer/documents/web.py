"""Saved web pages read to blocks of the text a browser shows of them."""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.utils.translation import gettext as _

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


# --- Saved web pages ----------------------------------------------------------------------------

_HTML_SNIFF = 65_536
_HTML_START = re.compile(
    r"(?:\s|<\?xml[^>]{0,200}>|<!--.{0,2000}?-->)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
_TAG_START = re.compile(r"\s*<[a-zA-Z]")
_HTML_TAG = re.compile(r"<(?:body|h[1-6]|p)[\s/>]", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]{0,500})?/?>")  # not <info@example.fi>
_HTML_NAMES = (".html", ".htm", ".xhtml", ".shtml")
_TEXT_NAMES = (".txt", ".text", ".md", ".markdown")


def looks_like_html(text: str, source: str) -> bool:
    """Whether the text is a web page, known by its content: uploads' names can be anything. A
    name ending .txt or .md asks for the plainest proof (a doctype or <html>), since Markdown
    may start with a tag; one ending .html makes any tag enough."""
    head = text[:_HTML_SNIFF].lstrip("\ufeff")
    if _HTML_START.match(head[:8192]):
        return True
    name = source.lower()
    if name.endswith(_TEXT_NAMES):
        return False
    if _TAG_START.match(head) and _HTML_TAG.search(head):
        return True
    return name.endswith(_HTML_NAMES) and _ANY_TAG.search(head) is not None


def html_text(text: str) -> str:
    """The text a browser shows of a web page, as blocks: of its <main> if it has one (the
    statement is there; the menu, the cookie banner and the footer are not)."""
    reader = _VisibleText()
    try:
        reader.feed(text.replace("\r\n", "\n").replace("\r", "\n"))
        reader.close()
    except Exception as error:  # html.parser reads any text; this is for what it might yet meet
        logger.info("A web page could not be read: %r", error)
        raise DocumentRefused(
            _("the web page could not be read; save the statement as plain text and import that.")
        ) from error
    return blocks_text(reader.result())


# Elements whose text a browser does not show as the page's text; <nav> and dialogs (menus, a
# cookie banner, a table of contents) are not the statement either, and would repeat headings.
_SKIPPED = frozenset(
    {"head", "title", "script", "style", "noscript", "template", "svg", "math", "iframe", "object"}
    | {"canvas", "audio", "video", "button", "select", "textarea", "nav", "dialog"}
)
_SKIPPED_ROLES = frozenset({"navigation", "dialog", "alertdialog"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source"}
    | {"track", "wbr", "keygen"}
)
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details"}
    | {"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "html", "legend", "li", "main", "menu", "ol", "p", "pre"}
    | {"section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "dir"}
)
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_CELLS = frozenset({"td", "th"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TABLE, _ROW, _ITEM, _PARAGRAPH = frozenset({"table"}), frozenset({"tr"}), frozenset({"li"}), frozenset({"p"})
_DEFINITIONS, _DEFINITION_LIST = frozenset({"dt", "dd"}), frozenset({"dl"})
_NOT_IN_PARAGRAPH = _BLOCK - _PARAGRAPH
_MAX_NESTING = 8  # of tables, and of lists' indentation
_HTML_SPACE = re.compile(r"[ \t\n\f\r]+")  # what a browser collapses; a no-break space it keeps
_SCAN = 64  # how far down the open elements an implied end tag is looked for


@dataclass
class _Open:
    """An open element, and what opening it changed, to be undone when it ends."""

    tag: str
    skips: bool = False
    structural: bool = False  # it starts and ends a block
    main: bool = False
    pushed: str = ""  # the structure it opened: "heading", "list", "item", "pre", "table", "cell"


@dataclass
class _Item:
    marker: str
    depth: int
    marked: bool = False  # its first block has the marker; the others are indented under it


@dataclass
class _List:
    ordered: bool
    count: int = 0


@dataclass
class _Table:
    group: int
    rows: list[list[list[Block]]] = field(default_factory=list)


class _VisibleText(HTMLParser):
    """Blocks of the page's visible text, each marked whether it is inside <main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Open] = []
        self.open: Counter[str] = Counter()
        self.skipping = 0
        self.main = 0
        self.pre = 0
        self.headings: list[int] = []
        self.items: list[_Item] = []
        self.lists: list[_List] = []
        self.tables: list[_Table] = []
        self.groups = itertools.count(1)
        self.cells: list[list[Block]] = []  # the blocks of each open table cell, innermost last
        self.blocks: list[tuple[Block, bool]] = []  # the page's blocks, and whether in <main>
        self.pieces: list[str | None] = []  # inline text of the block being read; None a <br>

    def result(self) -> list[Block]:
        in_main = [block for block, main in self.blocks if main]
        return in_main or [block for block, _main in self.blocks]

    # The parser's events.

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if not self.skipping:
                if tag == "br":
                    self.pieces.append(None)
                elif tag == "hr":
                    self.flush()
            return
        self._close_implied(tag)
        attributes = dict(attrs)
        entry = _Open(tag, skips=self.skipping > 0 or _skipped(tag, attributes))
        if entry.skips:
            self.skipping += 1
        else:
            self._open_structure(entry, attributes)
        self.stack.append(entry)
        self.open[tag] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open[tag]:
            return  # an end tag with no start: a browser ignores it too
        while self.stack:
            entry = self.stack.pop()
            self._close(entry)
            if entry.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.pre:
            for number, line in enumerate(data.split("\n")):
                if number:
                    self.pieces.append(None)
                self.pieces.append(line)
        else:
            self.pieces.append(data)

    def close(self) -> None:
        super().close()
        while self.stack:
            self._close(self.stack.pop())
        self.flush()

    # Opening and closing elements.

    def _open_structure(self, entry: _Open, attributes: dict[str, str | None]) -> None:
        tag = entry.tag
        if tag in _BLOCK:
            self.flush()
            entry.structural = True
        if tag == "main" or attributes.get("role") == "main":
            entry.main = True
            self.main += 1
        if tag in _HEADINGS:
            self.headings.append(int(tag[1]))
            entry.pushed = "heading"
        elif tag in _LISTS:
            self.lists.append(_List(ordered=tag == "ol"))
            entry.pushed = "list"
        elif tag == "li":
            current = self.lists[-1] if self.lists else _List(ordered=False)
            current.count += 1
            marker = f"{current.count}. " if current.ordered else "- "
            self.items.append(_Item(marker, min(max(len(self.lists) - 1, 0), _MAX_NESTING)))
            entry.pushed = "item"
        elif tag == "pre":
            self.pre += 1
            entry.pushed = "pre"
        elif tag == "table" and len(self.tables) < _MAX_NESTING:
            # A table nested deeper than any statement's is read as the blocks it holds: each
            # level of tables copies the blocks of those inside it.
            self.tables.append(_Table(next(self.groups)))
            entry.pushed = "table"
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in _CELLS and self.tables and len(self.cells) < len(self.tables):
            self.cells.append([])
            entry.pushed = "cell"

    def _close(self, entry: _Open) -> None:
        self.open[entry.tag] -= 1
        if entry.skips:
            self.skipping -= 1
            return
        if entry.structural:
            self.flush()
        if entry.main:
            self.main -= 1
        if entry.pushed == "heading":
            self.headings.pop()
        elif entry.pushed == "list":
            self.lists.pop()
        elif entry.pushed == "item":
            self.items.pop()
        elif entry.pushed == "pre":
            self.pre -= 1
        elif entry.pushed == "cell":
            cell = self.cells.pop()
            table = self.tables[-1]
            if not table.rows:
                table.rows.append([])
            table.rows[-1].append(cell)
        elif entry.pushed == "table":
            table = self.tables.pop()
            for block in table_blocks(table.rows, table.group):
                self._add(block)

    def _close_implied(self, tag: str) -> None:
        """End the elements a browser ends before this one starts: a <td> ends the cell before it,
        a <tr> the row, an <li> the item, a block the <p> it cannot be inside."""
        if tag in _CELLS:
            self._close_open(_CELLS, barriers=_TABLE)
        elif tag == "tr":
            self._close_open(_ROW, barriers=_TABLE)
        elif tag == "li":
            self._close_open(_ITEM, barriers=_LISTS)
        elif tag in _DEFINITIONS:
            self._close_open(_DEFINITIONS, barriers=_DEFINITION_LIST)
        if tag in _BLOCK:
            self._close_open(_PARAGRAPH, barriers=_NOT_IN_PARAGRAPH)

    def _close_open(self, targets: frozenset[str], *, barriers: frozenset[str]) -> None:
        if not any(self.open[target] for target in targets):
            return  # none open: nothing to look for (a page of 100,000 nested <div>s)
        for index in range(len(self.stack) - 1, max(-1, len(self.stack) - 1 - _SCAN), -1):
            tag = self.stack[index].tag
            if tag in targets:
                while len(self.stack) > index:
                    self._close(self.stack.pop())
                return
            if tag in barriers:
                return

    # Writing blocks.

    def flush(self) -> None:
        """End the block being read: its text, whitespace collapsed, as a heading, an item or a
        paragraph, by the elements it is in."""
        if not self.pieces:
            return
        lines: list[str] = []
        current: list[str] = []
        for piece in self.pieces:
            if piece is None:
                lines.append("".join(current))
                current = []
            else:
                current.append(piece)
        lines.append("".join(current))
        self.pieces = []
        lines = [line.rstrip() if self.pre else _HTML_SPACE.sub(" ", line).strip(" ") for line in lines]
        text = "\n".join(lines).strip("\n")
        if not text.strip():
            return
        if self.headings:
            self._add(Block("#" * self.headings[-1] + " " + " ".join(text.split("\n")), HEADING))
        elif self.items:
            item = self.items[-1]
            marker = item.marker if not item.marked else " " * len(item.marker)
            item.marked = True
            self._add(Block(_item_text(text, marker, item.depth), ITEM))
        else:
            self._add(Block(text))

    def _add(self, block: Block) -> None:
        if self.cells:
            self.cells[-1].append(block)
        else:
            self.blocks.append((block, self.main > 0))


def _skipped(tag: str, attributes: dict[str, str | None]) -> bool:
    return (
        tag in _SKIPPED
        or "hidden" in attributes
        or attributes.get("role") in _SKIPPED_ROLES
        or _HIDDEN_STYLE.search(attributes.get("style") or "") is not None
    )
