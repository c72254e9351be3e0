"""What every reader makes of a document, and how it is written out as text.

A reader turns a document into blocks (a paragraph, heading, list item or table row each);
``blocks_text`` writes them out as the text of a statement. :class:`DocumentRefused` is what every
reader raises for a file it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


class DocumentRefused(Exception):
    """A document that cannot be read; ``reason`` is for the person who uploaded it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- Blocks: what every reader makes, and how they are written out as text ---------------------

PARAGRAPH = "paragraph"
HEADING = "heading"
ITEM = "item"
ROW = "row"

_SENTENCE_END = (".", ",", ";", "!", "?")
# A table's first cell is a label when it is as short as the labels the statement reader knows
# ("Rekisterinpitäjä", "Yhteyshenkilö rekisteriä koskevissa asioissa").
_LABEL_WORDS = 8


@dataclass(frozen=True)
class Block:
    """One paragraph, heading, list item or table row, as the lines it is written as."""

    text: str
    kind: str = PARAGRAPH
    group: int = 0  # the rows of one table: written on consecutive lines


def blocks_text(blocks: Iterable[Block]) -> str:
    """Blocks apart by a blank line, as paragraphs are in a text file; the items of a list and
    the rows of a table on consecutive lines, as a list or table is written in Markdown."""
    out: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None:
            together = block.kind == previous.kind and (
                block.kind == ITEM or (block.kind == ROW and block.group == previous.group)
            )
            out.append("\n" if together else "\n\n")
        out.append(block.text)
        previous = block
    return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip("\n")


def _lines(blocks: list[Block]) -> list[str]:
    return [line.strip() for block in blocks for line in block.text.split("\n") if line.strip()]


def _is_label(lines: list[str]) -> bool:
    if len(lines) != 1:
        return False
    label = lines[0].rstrip(":").strip()
    return (
        0 < len(label) <= 60
        and len(label.split()) <= _LABEL_WORDS
        and not label.endswith(_SENTENCE_END)
        and "|" not in label
        and any(character.isalpha() for character in label)
    )


def table_blocks(rows: Iterable[list[list[Block]]], group: int) -> list[Block]:
    """A table's rows, each cell given as the blocks it holds.

    A row of a label and a value is written ``Label: value`` (the value's further lines below
    it), which is how the statement reader knows a labelled section; other rows are their cells
    joined by `` | `` on one line. A row with one cell, or with a heading or a table in a cell, is a
    table used to lay out the page: its cells' blocks are written as they are.
    """
    out: list[Block] = []
    for cells in rows:
        filled = [cell for cell in cells if _lines(cell)]
        if not filled:
            continue
        if len(filled) == 1 or any(block.kind in (HEADING, ROW) for cell in filled for block in cell):
            out.extend(block for cell in filled for block in cell)
            continue
        lines = [_lines(cell) for cell in filled]
        if len(filled) == 2 and _is_label(lines[0]):
            label = lines[0][0].rstrip(":").rstrip()
            out.append(Block("\n".join([f"{label}: {lines[1][0]}", *lines[1][1:]])))
        else:
            out.append(Block(" | ".join(" ".join(cell) for cell in lines), ROW, group))
    return out


def _item_text(text: str, marker: str, depth: int) -> str:
    """ "- text", indented two spaces a level, its further lines under its text."""
    indent = "  " * depth
    return indent + marker + text.replace("\n", "\n" + indent + " " * len(marker))
