"""What a statement copied out of a website or a Markdown file keeps of its markup, cleared away.

Statements are pasted from content management systems and wikis, so their text holds YAML front
matter, fenced code blocks around the contact lines, ``<br />`` inside a value, HTML tags and
entities, Markdown links and tables. A reader sees through all of it; so does the importer, by
turning it into the plain lines the rest of the reading understands. Nothing of the text itself
is dropped: a table becomes one line per row, a code block its lines.
"""

from __future__ import annotations

import html
import re

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
# Keys whose value is the statement's own words; the rest (layout, permalink, tags) is the site's.
_FRONT_MATTER_KEPT = {
    "title": "{}",
    "otsikko": "{}",
    "rubrik": "{}",
    "date": "Date: {}",
    "updated": "Date: {}",
}
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_LIST_ITEM_TAG = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_BLOCK_TAG = re.compile(
    r"</?(p|div|li|ul|ol|tr|table|h[1-6]|section|article|blockquote)\b[^>]*>", re.IGNORECASE
)
# Only tags HTML has, so that "<nimi>" written as a placeholder stays text.
_INLINE_TAG = re.compile(
    r"</?(a|b|i|u|em|strong|span|font|small|sup|sub|mark|abbr|code|td|th|tbody|thead|dl|dt|dd|"
    r"img|hr|center)\b[^>]*/?>",
    re.IGNORECASE,
)
_ENTITY = re.compile(r"&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.IGNORECASE)
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]{1,300})\]\((?:mailto:|tel:)?[^)\s]{0,500}\)")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def _front_matter(text: str) -> str:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text
    kept = []
    for line in match.group(1).split("\n"):
        key = _FRONT_MATTER_KEY.match(line.strip())
        if key and key.group(1).lower() in _FRONT_MATTER_KEPT and key.group(2).strip():
            value = key.group(2).strip().strip("\"'")
            kept.append(_FRONT_MATTER_KEPT[key.group(1).lower()].format(value))
    return "\n".join([*kept, ""]) + text[match.end() :]


def _table_row(line: str) -> str:
    """A two-column row reads as "label: value", a wider one as its cells in a list."""
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    cells = [cell for cell in cells if cell]
    if len(cells) == 2 and not cells[0].endswith(":"):
        return f"{cells[0]}: {cells[1]}"
    return ", ".join(cells)


def _inline(text: str) -> str:
    text = _INLINE_TAG.sub("", text) if "<" in text else text
    text = _MARKDOWN_LINK.sub(r"\1", text) if "](" in text else text
    text = _ESCAPE.sub(r"\1", text) if "\\" in text else text
    if "&" in text:
        text = _ENTITY.sub(lambda match: html.unescape(match.group(0)), text)
    return text.replace("\xa0", " ")


# A heading underlined with === or --- (Markdown's other way of writing them).
_SETEXT = re.compile(r"^([^\n|#>\-*=][^\n]{0,150})\n(=+|-+)[ \t]*$", re.MULTILINE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _setext(match: re.Match[str]) -> str:
    title = match.group(1).strip()
    if not title or len(match.group(2)) < 3:
        return match.group(0)
    return ("# " if match.group(2)[0] == "=" else "## ") + title


def remnants_clear(text: str) -> str:
    """The statement's text without its markup, line for line where the markup allows."""
    text = _front_matter(text)
    if "<!--" in text:
        text = _HTML_COMMENT.sub("", text)
    if "==" in text or "--" in text:
        text = _SETEXT.sub(_setext, text)
    if "<" in text:
        text = _LINE_BREAK_TAG.sub("\n", text)
        text = _LIST_ITEM_TAG.sub("\n- ", text)
        text = _BLOCK_TAG.sub("\n", text)
    text = _inline(text)
    if "|" not in text and "```" not in text and "~~~" not in text:
        return text
    out: list[str] = []
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            # The fence goes; what it held are ordinary lines ("Nimi: ...") and stay.
            out.append("")
            continue
        if "|" in line:
            if _TABLE_RULE.match(line):
                continue
            if _TABLE_ROW.match(line):
                line = _table_row(line)
        out.append(line)
    return "\n".join(out)
