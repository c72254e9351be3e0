"""The data items of a register, read off its data-content section.

Items come as bullets, as comma-separated lists in running text, or under group labels
("Asiakkaan perustiedot:"). Sentences about the items ("Rekisteriin tallennetaan tietoja, jotka
...", "Mikäli käyttäjä on ...") are not items; they stay in the section's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidents.registers.classification import Classification, data_item_classify_in_group

# A list item's marker: a bullet, "1." or "a)". The importer's other readers use it too.
BULLET = re.compile(r"^\s*(?:[•·\-*–—▪◦●‣○]|\d{1,2}[.)]|[a-z][.)])\s+")
# Words that make a line a sentence about the data rather than a list of it.
_PROSE_START = re.compile(
    r"^(mikäli|jos|kun|lisäksi|en|emme|ei|eikä|tällaisia|rekisteriin|rekisteri|rekisterissä|seuraavia|henkilörekisteri|"
    r"keräämme|käsittelemme|tallennamme|if|when|we|the register|in addition|om|när|registret|vi)\b",
    re.IGNORECASE,
)
_PROSE_VERB = re.compile(
    r"\b(tallennetaan|kerätään|keräämme|käsitellään|käsittelemme|sisältää|sisältävät|kerää|ovat|"
    r"voidaan|käytämme|käytetään|ei|eivät|emme|is|are|will|not|contains|collects?|collected|stored|"
    r"use|used|inte|"
    r"använder|används|lagras|samlas|innehåller|behandlar|"
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
        and not match.group(2).startswith("-")
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
    if len(parts) < 2:
        return items  # a bullet of its own ("IP address and browser cookies") is one item
    return [item for part in items for item in _split_phrases(part)]


_PHRASE_PAIR = re.compile(r"(\S+\s+\S.*?)\s+(?:ja|och|and)\s+(\S+\s+\S.*)")
# "tiedot palveluarvioinneista ja yleisestä asiakaspalautteesta": what follows "ja" completes the
# head word the item opens with; it is one item.
_SHARED_HEAD = re.compile(r"^(tiedot|tietoja|uppgifter|information|data|details|muut|övriga|other)\b", re.I)


def _split_phrases(part: str) -> list[str]:
    """ "huoltajan nimi ja huoltajan puhelinnumero", "kiinnostavat lajit ja tilauksen ajankohta":
    "ja" between two items of several words each; "tiedot luvista ja kielloista" (one word after
    it) and "tilaushistoria ja sen maksutiedot" (pointing back) stay one."""
    pair = _PHRASE_PAIR.fullmatch(part)
    if (
        pair is None
        or pair.group(1).endswith("-")
        or _SHARED_HEAD.match(pair.group(1))
        or _REFERS_BACK.match(pair.group(2))
        or _MORE_OF_THE_SAME.match(pair.group(2))
    ):
        return [part]
    return [pair.group(1), pair.group(2)]


_WRAPPED_AT = 50  # a line this long that stops mid-sentence was wrapped by its editor


def unwrapped(text: str) -> list[str]:
    """Lines as written, with a sentence that an editor wrapped over several lines made one again
    ("seuraavia tietoja: nimi,\nsähköpostiosoite, ..."); short lines, bullets and lines that end
    a sentence or open a list stay as they are."""
    out: list[str] = []
    joining = False
    for raw in text.split("\n"):
        line = raw.strip()
        if joining and line and line[0].islower() and not BULLET.match(raw):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(raw)
        last = out[-1].rstrip()
        joining = (
            bool(line)
            and (len(last) >= _WRAPPED_AT or last.endswith(","))
            and not last.endswith((".", ":", ";", "!", "?"))
        )
    return out


def data_items_find(text: str) -> list[ParsedDataItem]:
    found: list[ParsedDataItem] = []
    group: str | None = None
    lines = unwrapped(text)
    listed = any(BULLET.match(line) for line in lines)
    for raw in lines:
        line = raw.strip().replace("**", "")
        if not line:
            continue
        # Where the items are bullets, a sentence standing between or after them explains them
        # ("Palautetun lainan tiedot poistuvat ..."): it is no item.
        if listed and not BULLET.match(line) and line.endswith(".") and len(line.split()) >= 4:
            continue
        line = BULLET.sub("", line).strip()
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
