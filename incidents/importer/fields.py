"""Single values read off a statement: business ID, e-mail, phone, law, date, transfers, companies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# --- Business ID (Y-tunnus / FO-nummer) ------------------------------------------------------

_BUSINESS_ID_LABEL = r"(?:y-?tunnus|yritystunnus|fo-?nummer|fo-?nr|business id|company id|org\.?\s*nr)"
_BUSINESS_ID = re.compile(
    _BUSINESS_ID_LABEL + r"\s*[:.]?\s*(?:FI\s?)?(?:(\d{7})\s*[-‐–]?\s*(\d)|(\d{6})\s*[-‐–]\s*(\d))(?!\d)",
    re.IGNORECASE,
)
_BUSINESS_ID_BARE = re.compile(r"(?<![\d-])(\d{7})[-‐–](\d)(?![\d-])")


def business_id_find(text: str) -> str | None:
    """The first business ID in the text, normalised to ``NNNNNNN-N`` (with or without its
    hyphen, an old six-digit one padded with a zero), whether or not its check digit holds."""
    match = _BUSINESS_ID.search(text)
    if match is not None:
        groups = [group for group in match.groups() if group is not None]
        return f"{groups[0].zfill(7)}-{groups[1]}"
    bare = _BUSINESS_ID_BARE.search(text)
    return f"{bare.group(1)}-{bare.group(2)}" if bare else None


def business_id_remove(text: str) -> str:
    return _BUSINESS_ID_BARE.sub(" ", _BUSINESS_ID.sub(" ", text))


# --- E-mail and phone --------------------------------------------------------------------------

# People write addresses so that harvesters miss them: "etunimi.sukunimi(at)yritys.fi".
_AT = r"(?:@|\s?\((?:at|ät|a)\)\s?|\s?\[(?:at|ät|a)\]\s?|\s?\{at\}\s?)"
_DOT = r"(?:\.|\s?\((?:dot|piste|punkt)\)\s?|\s?\[(?:dot|piste|punkt)\]\s?)"
_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,}}\b", re.IGNORECASE)


def emails_find(text: str) -> list[str]:
    found = []
    for match in _EMAIL.finditer(text):
        email = re.sub(_AT, "@", match.group(0), flags=re.IGNORECASE)
        email = re.sub(_DOT, ".", email, flags=re.IGNORECASE).strip(". ").lower()
        if email not in found:
            found.append(email)
    return found


_PHONE_LABEL = r"(?:puh(?:elin)?|puhelinnumero|matkapuhelin|gsm|tel(?:efon|ephone)?|phone|mobile|mob)"
_PHONE_NUMBER = r"(\+?\(?\d[\d \t()/-]{5,20}\d)"
_PHONE_LABELLED = re.compile(rf"\b{_PHONE_LABEL}\b\.?\s*[:.]?\s*{_PHONE_NUMBER}", re.IGNORECASE)
# Without a label, only what a Finnish or international number looks like: +358 ... or 0...
_PHONE_BARE = re.compile(
    r"(?<![\w+-])(\+\d{2,3}[\s-]?(?:\(0\))?\d{1,3}(?:[\s-]?\d{2,4}){1,4}|0\d{1,3}(?:[\s-]?\d{2,4}){1,4})(?![\w-])"
)


def _digits(number: str) -> int:
    return sum(character.isdigit() for character in number)


def phones_find(text: str) -> list[str]:
    text = business_id_remove(text)
    found: list[str] = []
    candidates = [m.group(1) for m in _PHONE_LABELLED.finditer(text)]
    candidates += [m.group(1) for m in _PHONE_BARE.finditer(_EMAIL.sub(" ", text))]
    for candidate in candidates:
        number = " ".join(candidate.split())
        if 7 <= _digits(number) <= 15 and number not in found:
            found.append(number)
    return found


def is_phone_line(line: str) -> bool:
    return bool(re.match(rf"{_PHONE_LABEL}\b", line.strip(), re.IGNORECASE)) or bool(
        _PHONE_BARE.fullmatch(line.strip())
    )


def is_business_id_line(line: str) -> bool:
    return bool(re.match(_BUSINESS_ID_LABEL, line.strip(), re.IGNORECASE)) or bool(
        _BUSINESS_ID_BARE.fullmatch(line.strip())
    )


# --- The law a statement cites -------------------------------------------------------------------

LAWS: tuple[tuple[str, str], ...] = (
    (
        "523/1999",
        r"523/1999|henkilötietola(ki|kia|kiin|in|issa|ista|illa)\b|personuppgiftslag(en)?\b|"
        r"personal data act",
    ),
    (
        "1050/2018",
        r"1050/2018|tietosuojala(ki|kia|kiin|in|issa|ista|illa)\b|dataskyddslag(en)?\b|data protection act",
    ),
    (
        "GDPR",
        r"\bgdpr\b|2016/679|679/2016|tietosuoja-asetu|tietosuoja-asetu|dataskyddsförordning|"
        r"general data protection regulation|yleinen tietosuoja-asetus|yleisen tietosuoja-asetuksen",
    ),
)


def law_basis_find(text: str) -> str | None:
    """The law the statement cites first: a statement citing the henkilötietolaki in its title is
    a pre-GDPR rekisteriseloste even if it mentions the GDPR later."""
    first: tuple[int, str] | None = None
    for law, pattern in LAWS:
        match = re.search(pattern, text, re.IGNORECASE)
        if match is not None and (first is None or match.start() < first[0]):
            first = (match.start(), law)
    return first[1] if first else None


# --- The statement's date ------------------------------------------------------------------------

_DATE = re.compile(r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DATE_LABEL = re.compile(
    r"(päivitetty|laadittu|päiväys|päivämäärä|uppdaterad|upprättad|datum|updated|last updated|date)\W{0,3}"
    r"(?=\d)",
    re.IGNORECASE,
)


def _date_at(text: str, start: int = 0) -> dt.date | None:
    for match in _DATE.finditer(text, start):
        if match.group(1):
            day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        else:
            year, month, day = int(match.group(4)), int(match.group(5)), int(match.group(6))
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def document_date_find(text: str, preamble: str) -> dt.date | None:
    """A date labelled as the statement's (päivitetty, laadittu, ...) or else the first date of its
    title lines."""
    label = _DATE_LABEL.search(text)
    if label is not None:
        labelled = _date_at(text[label.end() : label.end() + 12])
        if labelled is not None:
            return labelled
    return _date_at(preamble)


# --- Transfers outside the EU/EEA ----------------------------------------------------------------


class Transfers(StrEnum):
    NONE = "none"
    YES = "yes"
    UNSPECIFIED = "unspecified"


_OUTSIDE_EEA = re.compile(
    r"\b(eu|eta|ety|euroopan|eu-|eta-)[^.]{0,60}?ulkopuol|kolmansi\w* mai|kolmanteen maahan|yhdysval|"
    r"utanför\s+(eu|ees|europeiska|det europeiska)|tredje land|tredjeländer|förenta staterna|"
    r"outside\s+(of\s+)?(the\s+)?(eu|eea|european)|third countr|united states",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(ei|eikä|eivät|emme|not|never|no|inte|aldrig|ingen|inga)\b", re.IGNORECASE)
# "Not transferred, unless ..." and "may be transferred" both mean: it can happen (issue 4).
_POSSIBLE = re.compile(
    r"\b(ellei|elleivät|paitsi|lukuun ottamatta|voi|voidaan|voivat|saatetaan|saattaa|saattavat|"
    r"mahdollisesti|unless|except|may|might|can|could|utom|såvida|förutom|kan|eventuellt)\b",
    re.IGNORECASE,
)


def about_transfers(sentence: str) -> bool:
    """Whether a sentence speaks of data going outside the EU/EEA."""
    return _OUTSIDE_EEA.search(sentence) is not None


def transfers_find(sentences: Iterable[str]) -> tuple[Transfers, str | None]:
    """What the statement says about transfers outside the EU/EEA, and the sentences that say it."""
    said = [sentence for sentence in sentences if about_transfers(sentence)]
    if not said:
        return Transfers.UNSPECIFIED, None
    possible = any(not _NEGATION.search(s) or _POSSIBLE.search(s) for s in said)
    return (Transfers.YES if possible else Transfers.NONE), " ".join(said)


# --- Companies -----------------------------------------------------------------------------------

LEGAL_FORMS = r"Oyj|Oy|Ab|Abp|Ky|Ay|Ltd|Osk|ry|GmbH|Inc|AB|Tmi|Oü|AS|ApS"
_COMPANY = re.compile(
    rf"(?:(?:Oy|Ab)\s+)?(?:[A-ZÄÖÅ0-9][\w&.'’-]*\s+){{0,6}}?[A-ZÄÖÅ][\w&.'’-]*\s+(?:{LEGAL_FORMS})(?![\w])",
)


@dataclass(frozen=True)
class Company:
    name: str

    @property
    def core(self) -> set[str]:
        """Its words without the legal form: "Oy Yritys Ab" and "Yritys Oy" are one company.
        A shorter name ("Valmennuskumppani Oy" for "Valmennuskumppani Heini Salmu Oy") is only
        the same company when the statement says so, as an alias; "Optimal Performance Oy" and
        "Optimal Performance Center Finland Oy" are two (seed 000)."""
        words = re.findall(r"[\w&.'’-]+", self.name.lower())
        forms = {form.lower() for form in LEGAL_FORMS.split("|")}
        return {word for word in words if word not in forms}


def companies_find(text: str) -> list[Company]:
    return [Company(match.group(0).strip()) for match in _COMPANY.finditer(text)]


def same_company(one: Company, other: Company) -> bool:
    return bool(one.core) and one.core == other.core
