"""What a statement written as running text says, where it has no heading for it.

Small organisations write their statement as a few paragraphs: "Rekisterinpitäjä on Esimerkki Oy
(Y-tunnus ...), Katu 1, 00100 Helsinki. Keräämme seuraavia tietoja: nimi, ...". A reader finds the
controller, the contact person, the data items and the purpose in those sentences; so does the
importer, as sections it infers from them, for the kinds no heading gave.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from incidents.importer.items import BULLET, unwrapped
from incidents.importer.parsing import Kind, Section, sentences

# The sentence that names the controller, and where in it the name begins.
_CONTROLLER_AFTER = re.compile(
    r"\b(?:rekisterinpitäjä(?:nä)?|rekisterin ylläpitäjä(?:nä)?|henkilötietojen käsittelystä vastaa|"
    r"personuppgiftsansvarig(?: för [^.]{0,80}?)?|(?:the )?(?:data )?controller(?: of [^.]{0,80}?)?)"
    # "rekisterinpitäjänä toimii toiminimeni Uravalmennus ...": a word or two before the name.
    r"\s+(?:on|toimii|är|is)\s+(?-i:(?:[a-zäöå]+\s+){0,2})(?P<rest>[A-ZÄÖÅ0-9].*)$",
    re.IGNORECASE,
)
_CONTROLLER_BEFORE = re.compile(
    r"^(?P<rest>[A-ZÄÖÅ].*?)\s+(?:on|toimii|är|is)\s+(?:tämän |the |den )?(?:rekisterin |registrets )?"
    r"(?:rekisterinpitäjä|rekisterinpitäjänä|personuppgiftsansvarig|(?:data )?controller)\b",
    re.IGNORECASE,
)
_CONTACT_AFTER = re.compile(
    r"\b(?:yhteyshenkilö(?:nä|mme)?|yhteyshenkilönämme|kontaktperson(?:en)?|contact person)"
    r"(?: [^.]{0,60}?)?\s+(?:on|toimii|är|is)\s+(?-i:(?:[a-zäöå]+\s+){0,3})(?P<rest>[A-ZÄÖÅ].*)$",
    re.IGNORECASE,
)
# "De uppgifter jag sparar om dig är namn, ...", "Tiedot, jotka keräämme, ovat nimi, ...".
_ITEMS_ARE = re.compile(
    r"\b(?:tiedot|henkilötiedot|uppgifter(?:na)?|personuppgifter(?:na)?|the (?:personal )?data|information)"
    r",?\s+(?:jotka|joita|som|jag|vi|we|that)\b[^.:]{0,60}?,?\s+(?:ovat|är|are|include)\s+(?P<list>[^.]+)",
    re.IGNORECASE,
)
# "Keräämme seuraavia tietoja: nimi, ..." and the bullets that may follow the colon.
_ITEMS_LEAD = re.compile(
    r"\b(?:seuraav(?:ia|at)|alla olev(?:ia|at)|näitä)\s+(?:henkilö)?tieto(?:ja|ja sinusta)?|"
    r"\bseuraavat (?:henkilö)?tiedot|följande (?:person)?uppgifter|"
    r"the following (?:personal )?(?:data|information|details)",
    re.IGNORECASE,
)
_PURPOSE = re.compile(
    r"\b(?:käytetään|käytämme|käytän|käsittelemme|käsittelen|käsitellään|kerätään|keräämme|kerään)\b.*"
    r"\b(?:tarkoitukseen|tarkoituksiin|varten|jotta|\w+miseksi|\w+misessa|\w+miseen)\b|"
    r"\b(?:käyttö)?tarkoitus(?:ena)? on\b|"
    r"\b(?:används|använder (?:vi|jag)|(?:vi|jag) använder|behandlar (?:vi|jag)|(?:vi|jag) behandlar|"
    r"behandlas)\b.*\bför (?:att|ändamål)|"
    r"\b(?:ändamålet|syftet)\b[^.]*\bär\b|"
    r"\b(?:we use|is used|are used|we process)\b.*\b(?:to|for)\b|\bthe purpose\b[^.]*\bis\b",
    re.IGNORECASE,
)


def _controller(sentence: str) -> str | None:
    for pattern in (_CONTROLLER_AFTER, _CONTROLLER_BEFORE):
        match = pattern.search(sentence)
        if match is not None:
            return match.group("rest").rstrip(" .")
    return None


def _items(lines: list[str]) -> list[str]:
    """The list a lead-in sentence opens: after its colon to the end of the sentence, or the
    bullets below it."""
    for index, line in enumerate(lines):
        lead = _ITEMS_LEAD.search(line)
        if lead is None or ":" not in line[lead.end() :]:
            continue
        after = line[lead.end() :].split(":", 1)[1].strip()
        after = re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÅ])", after, maxsplit=1)[0]
        found = [after] if after else []
        for below in lines[index + 1 :]:
            if not BULLET.match(below):
                break
            found.append(below)
        if found:
            return found
    for line in lines:
        listing = _ITEMS_ARE.search(line)
        if listing is not None and "," in listing.group("list"):
            return [listing.group("list")]
    return []


def inferred_sections(parts: list[Section]) -> list[Section]:
    """Sections for the controller, contact, data items and purpose read from the sentences of the
    text that stands under no recognised heading, for each of those kinds no heading covers."""
    covered = {
        kind for section in parts for kind in section.kinds | ({section.kind} if section.kind else set())
    }
    prose = [section for section in parts if section.kind is None]
    text = "\n\n".join(section.text for section in prose if section.text)
    found: list[Section] = []
    if Kind.CONTROLLER not in covered:
        controller = _said_with_the_rest(text, _controller)
        if controller:
            found.append(Section(heading="", kind=Kind.CONTROLLER, lines=controller, inferred=True))
    if Kind.CONTACT not in covered:
        contact = _said_with_the_rest(text, _contact)
        if contact:
            found.append(Section(heading="", kind=Kind.CONTACT, lines=contact, inferred=True))
    if Kind.DATA_ITEMS not in covered:
        items = _items([line.strip() for line in unwrapped(text) if line.strip()])
        if items:
            found.append(Section(heading="", kind=Kind.DATA_ITEMS, lines=items, inferred=True))
    if Kind.PURPOSE not in covered:
        purpose = _purpose(text)
        if purpose:
            found.append(Section(heading="", kind=Kind.PURPOSE, lines=[purpose], inferred=True))
    return found


def _contact(sentence: str) -> str | None:
    match = _CONTACT_AFTER.search(sentence)
    return match.group("rest").rstrip(" .") if match else None


def _said_with_the_rest(text: str, reader: Callable[[str], str | None]) -> list[str]:
    """What the first sentence ``reader`` finds names, then the rest of its paragraph, one sentence
    a line: "Du når mig per e-post på ..." after the sentence naming the person."""
    for paragraph in re.split(r"\n\s*\n", text):
        said = sentences(paragraph)
        for index, sentence in enumerate(said):
            named = reader(sentence)
            if named:
                return [named, *said[index + 1 :]]
    return []


def _other_kind(sentence: str) -> bool:
    return bool(_ITEMS_LEAD.search(sentence) or _controller(sentence) or _CONTACT_AFTER.search(sentence))


def _purpose(text: str) -> str | None:
    """The paragraph that says what the data is used for, from that sentence to its end."""
    for paragraph in re.split(r"\n\s*\n", text):
        said = sentences(paragraph)
        for index, sentence in enumerate(said):
            if _PURPOSE.search(sentence) and not _other_kind(sentence):
                kept = []
                for following in said[index:]:
                    if _other_kind(following):
                        break
                    kept.append(following)
                return " ".join(kept)
    return None


def controller_in_prose(text: str) -> str | None:
    """The controller a sentence names ("... rekisterinpitäjänä toimii Firma Oy"), if any."""
    return next((rest for sentence in sentences(text) if (rest := _controller(sentence))), None)
