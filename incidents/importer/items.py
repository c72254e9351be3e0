"""The data items of a register, read off its data-content section.

Items come as bullets, as comma-separated lists in running text, or under group labels
("Asiakkaan perustiedot:"). Sentences about the items ("Rekisteriin tallennetaan tietoja, jotka
...", "Mikäli käyttäjä on ...") are not items; they stay in the section's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidents.registers.classification import Classification, data_item_classify_in_group

_BULLET = re.compile(r"^\s*(?:[•·\-*–—▪◦●‣○]|\d{1,2}[.)]|[a-z][.)])\s+")
# Words that make a line a sentence about the data rather than a list of it.
_PROSE_START = re.compile(
    r"^(mikäli|jos|kun|lisäksi|tällaisia|rekisteriin|rekisteri|rekisterissä|seuraavia|henkilörekisteri|"
    r"keräämme|käsittelemme|tallennamme|if|when|we|the register|in addition|om|när|registret|vi)\b",
    re.IGNORECASE,
)
_PROSE_VERB = re.compile(
    r"\b(tallennetaan|kerätään|keräämme|käsitellään|käsittelemme|sisältää|sisältävät|kerää|ovat|"
    r"voidaan|is|are|will|contains|collects?|collected|stored|lagras|samlas|innehåller|behandlar|"
    r"behandlas|är)\b",
    re.IGNORECASE,
)
_MAX_ITEM_WORDS = 20


@dataclass(frozen=True)
class ParsedDataItem:
    text: str
    classification: Classification

    def as_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "class": self.classification.data_class.code,
            "special_category": self.classification.special_category,
            "henkilotunnus": self.classification.henkilotunnus,
        }


def _is_prose(sentence: str) -> bool:
    words = sentence.split()
    if len(words) > _MAX_ITEM_WORDS and sentence.count(",") < 3:
        return True
    return bool(_PROSE_START.match(sentence) or _PROSE_VERB.search(sentence))


def _split_outside_parentheses(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for character in text:
        depth += 1 if character in "([" else -1 if character in ")]" else 0
        if character in separators and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(character)
    parts.append("".join(current))
    return parts


# "muut tarpeelliset yhteystiedot" after "sähköpostiosoite ja": more of the same kind, one item.
_MORE_OF_THE_SAME = re.compile(r"^(muut|muita|other|others|övriga|andra)\b", re.IGNORECASE)


def _split_pair(part: str) -> list[str]:
    """ "Käyttäjätunnus ja salasana" and "käyttäjätunnus ja voimassaolevat palvelut hintoineen" are
    two items; "etu- ja sukunimi", "tiedot luvista ja kielloista" and "sähköpostiosoite ja muut
    yhteystiedot" are one."""
    match = re.fullmatch(r"(\S+)\s+(?:ja|och|and|sekä)\s+(\S.*)", part)
    if (
        match
        and not match.group(1).endswith("-")
        and not _MORE_OF_THE_SAME.match(match.group(2))
        and not _REFERS_BACK.match(match.group(2))
    ):
        return [match.group(1), match.group(2)]
    return [part]


# A part that begins with a relative word or a pronoun pointing back ("palvelut, niiden käyttöä
# koskevat tiedot") says more of the item before it: it belongs to that item.
_RELATIVE = re.compile(r"^(joka|jotka|joita|jonka|joiden|joissa|jossa|which|that|who|som|vilka|vars)\b", re.I)
_REFERS_BACK = re.compile(
    r"^(niiden|näiden|sen|tämän|hänen|heidän|its|their|these|those|dess|deras|dessa)\b", re.IGNORECASE
)


def _items_of(sentence: str) -> list[str]:
    parts: list[str] = []
    for part in _split_outside_parentheses(sentence, ",;"):
        part = part.strip().strip(".").strip()
        if not part:
            continue
        # "muut käyttäjätiedot, joita käyttäjä lähettää": the clause belongs to its item.
        if parts and (_RELATIVE.match(part) or _REFERS_BACK.match(part)):
            parts[-1] = f"{parts[-1]}, {part}"
        else:
            parts.append(part)
    items = []
    for part in parts:
        items.extend(_split_pair(part) if "," not in part else [part])
    return items


def data_items_find(text: str) -> list[ParsedDataItem]:
    found: list[ParsedDataItem] = []
    group: str | None = None
    for raw in text.split("\n"):
        line = raw.strip().replace("**", "")
        if not line:
            continue
        line = _BULLET.sub("", line).strip()
        label = re.match(r"^([^:,]{2,60}):(?:\s+(.*))?$", line)
        if label and len(label.group(1).split()) <= 7:
            group, line = label.group(1).strip(), (label.group(2) or "").strip()
            if not line:
                continue
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÅ])", line):
            if sentence.rstrip().endswith(":"):
                continue
            if _is_prose(sentence):
                continue
            for item in _items_of(sentence):
                if item.lower() not in {existing.text.lower() for existing in found}:
                    found.append(ParsedDataItem(item, data_item_classify_in_group(item, group)))
    return found
