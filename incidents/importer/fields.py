"""Single values read off a statement: business ID, e-mail, phone, law, date, transfers, companies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from enum import StrEnum

# --- Business ID (Y-tunnus / FO-nummer) ------------------------------------------------------

# "Y-tunnus", "FO-nummer", "FO nr", "F-signum", "Business ID", and a VAT number ("VAT FI12345671",
# "ALV-numero", "Momsnummer"), which is the business ID behind FI. Each label is a word of its own:
# "privat" and "Vatanen" hold no "VAT".
_BUSINESS_ID_LABEL = (
    r"(?<!\w)(?:(?:l|liike)?y[-‐–]?tunnus|yritystunnus|yhteisötunnus|fo[- ]?(?:nummer|nr\.?)|fo?-?signum|"
    r"business id|company id|org\.?\s*nr|vat(?:[ -]?(?:number|no\.?|nr\.?|nro|id|reg\.?\s?no\.?))?|"
    r"alv-?(?:numero|nro|tunnus)|momsnummer|moms(?:reg)?\.?\s?nr\.?)(?![^\W\d_])"
)
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


# --- E-mail ------------------------------------------------------------------------------------

# People write addresses so that harvesters miss them: "etunimi.sukunimi(at)yritys.fi",
# "info [at] yritys [dot] fi", "kirjaamo(a)kunta.fi", "info @ yritys.fi", "tietosuoja at yritys.fi".
# Each match starts a token (the lookbehind), so a long run of letters is tried once, not once per
# letter: every pattern here is linear in the text.
_LOCAL = r"(?<![\w.+-])(?P<local>[\w.+-]+)"
_AT = r"(?:@[ \t]{0,3}|[ \t]{1,3}@[ \t]{1,3}|[ \t]{0,3}[(\[{](?:at|ät|a)[)\]}][ \t]{0,3})"
_AT_WORD = r"(?P<word>[ \t]{1,3}(?:at|ät)[ \t]{1,3})"
_DOT = r"(?:\.|[ \t]{0,3}[(\[{](?:dot|piste|punkt)[)\]}][ \t]{0,3})"
_DOMAIN = rf"(?P<domain>[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,}})\b"
_EMAIL = re.compile(rf"{_LOCAL}(?:{_AT}|{_AT_WORD}){_DOMAIN}", re.IGNORECASE)
_DOT_ANY = re.compile(_DOT, re.IGNORECASE)
# "tietosuoja at yritys.fi" is an address; "look at www.x.fi", "find us at x.fi", "more
# information at x.fi/tietosuoja" are English prose: the word "at" needs a local part that is no
# common English word, and a domain that is no web address.
_PROSE_BEFORE_AT = frozenset({
    "a", "an", "the", "us", "me", "we", "you", "him", "her", "them", "it", "is", "are", "was", "were",
    "be", "been", "being", "am", "look", "looking", "looked", "see", "seen", "find", "found",
    "available", "online", "published", "posted", "website", "site", "page", "pages", "web", "here",
    "there", "visit", "visiting", "located", "based", "more", "information", "details", "read", "reach",
    "reached", "contacted", "form", "forms", "office", "offices", "home", "work", "arrive", "arrived",
    "stay", "staying", "aimed", "directed", "held", "and", "or", "policy", "statement", "notice",
    "address", "portal", "service", "services", "store", "shop", "event", "events", "email", "e-mail",
    "mail"
})  # fmt: skip
_EMAIL_LABEL = re.compile(
    r"(?<!\w)(?:sähköposti(?:osoite)?|s-posti|e-post(?:adress)?|e-?mail(?:[ -]?(?:address|osoite))?)"
    r"(?!\w)[ \t\u00a0]{0,8}:?[ \t\u00a0]{0,8}(?P<value>[\w.+-]+)",
    re.IGNORECASE,
)
_WEB_HOST = re.compile(
    r"(?:(?<![\w.-])www\.|https?://(?:www\.)?)(?P<host>[\w-]+(?:\.[\w-]+)*\.[a-z]{2,})\b", re.IGNORECASE
)


def _email_match(match: re.Match[str]) -> str | None:
    local, domain = match.group("local").strip("."), match.group("domain")
    if match.group("word") is not None and (
        local.lower() in _PROSE_BEFORE_AT
        or not re.search(r"[^\W\d_]", local)
        or domain.lower().startswith("www.")
        or match.string.startswith("/", match.end())
    ):
        return None
    domain = _DOT_ANY.sub(".", domain).strip(".")
    return f"{local}@{domain}".lower() if local else None


_MAY_HOLD_ADDRESS = re.compile(r"www|http|@|[(\[{]\s*(?:at|ät|a)\s*[)\]}]|\s(?:at|ät)\s", re.IGNORECASE)


def domains_find(text: str) -> set[str]:
    """The domains a text shows: of its web addresses ("www.yritys.fi", "https://yritys.fi/x",
    without the "www.") and of its e-mail addresses, in lower case. A bare "yritys.fi" does not
    count: "Ilopiste.fi -palvelu" is as often a product's name."""
    # Only lines that can hold an address are searched: a long statement is mostly prose.
    text = "\n".join(line for line in text.split("\n") if _MAY_HOLD_ADDRESS.search(line))
    found = {match.group("host").lower() for match in _WEB_HOST.finditer(text)}
    for match in _EMAIL.finditer(text):
        email = _email_match(match)
        if email is not None:
            found.add(email.partition("@")[2])
    return found


def email_repaired(candidate: str, known_domains: AbstractSet[str]) -> str | None:
    """The address an e-mail label's value stands for when its ``@`` was lost in copying:
    "tietosuojayritys.fi" or "tietosuoja.yritys.fi" is "tietosuoja@yritys.fi" when the statement
    shows ``yritys.fi`` elsewhere (the longest such domain the value ends with). None when the
    value is no such thing: one with an ``@``, a known domain or web address itself, or one that
    ends with no known domain. Only for a value labelled as an e-mail: unlabelled,
    "tietosuoja.yritys.fi" is as likely a web server."""
    value = candidate.strip().rstrip(".").lower()
    domains = {domain.lower() for domain in known_domains}
    if "@" in value or value in domains or value.startswith("www.") or not re.fullmatch(r"[\w.+-]+", value):
        return None
    for domain in sorted(domains, key=len, reverse=True):
        if not value.endswith(domain) or len(value) == len(domain):
            continue
        local = value[: -len(domain)]
        local = local[:-1] if local.endswith(".") else local
        if re.fullmatch(r"\w(?:[\w.+-]*\w)?", local) and ".." not in local:
            return f"{local}@{domain}"
    return None


def emails_find(text: str, domains: AbstractSet[str] | None = None) -> list[str]:
    """The e-mail addresses in the text, in lower case, each once, in the order written: however
    obfuscated, and those whose ``@`` was lost on a line labelled as e-mail (``Sähköposti:``,
    ``E-post:``, ``Email:``) when their domain is known. The known domains are those the text
    shows (``domains_find``) and ``domains``: pass those of the whole statement when ``text`` is
    one of its sections."""
    found: list[tuple[int, str]] = []
    written: set[int] = set()  # where an address as written starts
    for match in _EMAIL.finditer(text):
        email = _email_match(match)
        if email is not None:
            found.append((match.start(), email))
            written.add(match.start())
    labelled = [label for label in _EMAIL_LABEL.finditer(text) if label.start("value") not in written]
    if labelled:
        known = domains_find(text) | set(domains or ())
        for label in labelled:
            repaired = email_repaired(label.group("value"), known)
            if repaired is not None:
                found.append((label.start("value"), repaired))
    unique: list[str] = []
    seen: set[str] = set()
    for _, email in sorted(found, key=lambda pair: pair[0]):
        if email not in seen:
            seen.add(email)
            unique.append(email)
    return unique


# --- Phone -------------------------------------------------------------------------------------

# The labels that start a phone line ("Puhelin 040 5158156"); "p." only before a number.
_PHONE_LABEL = (
    r"(?:puh(?:elin)?|puhelinnumero|matkapuhelin|gsm|tfn|telefonnummer|mobil|"
    r"tel(?:efon|ephone)?|phone|mobile|mob)"
)
# The forms of a number: international ("+358 44 280 5164", "+358 (0)44 280 5164", "+46 8 123 456
# 78"), an area code in parentheses ("(09) 1911 2345"), or national from its 0 ("044 417 4040",
# "09-123 4567", "0400 123 456"). Spaces and hyphens separate groups; a dot or a slash never
# does, so dates (1.2.2024) and law numbers (1050/2018) are no numbers. Each form is bounded, and a
# number starts no word or number: linear in the text.
_SPACE = r"[ \t\u00a0]"
_SEP = rf"(?:{_SPACE}{{0,3}}[-‐–]{_SPACE}{{0,3}}|{_SPACE}{{1,3}})"
_NUMBER = (
    rf"(?P<number>\+\d{{1,3}}(?:{_SPACE}{{0,3}}\(0\))?(?:{_SEP}?\d{{1,4}}){{2,5}}"
    rf"|\(0\d{{1,3}}\){_SPACE}{{0,3}}\d{{2,4}}(?:{_SEP}?\d{{2,4}}){{0,3}}"
    rf"|0\d{{1,3}}(?:{_SEP}?\d{{2,4}}){{1,4}})"
    r"(?![\w/‐–-]|[.,]\d)"
)
_PHONE_LABELLED = re.compile(
    rf"(?:(?<!\w){_PHONE_LABEL}\b\.?|(?<![\w.])p\.){_SPACE}{{0,8}}[:.]?{_SPACE}{{0,8}}{_NUMBER}",
    re.IGNORECASE,
)
_PHONE_BARE = re.compile(rf"(?<![\w+./‐–-]){_NUMBER}")
# Read before the numbers and blanked: what holds digit groups but is no phone number.
_NOT_PHONE = re.compile(
    r"\b[A-Z]{2}\d{2}(?:[ \t]?[A-Z0-9]{4}){2,7}(?:[ \t]?[A-Z0-9]{1,3})?\b"  # an IBAN
    r"|(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"  # an ISO date
    r"|(?<!\d)\d{1,4}/\d{4}(?!\d)",  # a law's number
    re.IGNORECASE,
)


def _digits(number: str) -> int:
    return sum(character.isdigit() for character in number)


def _phone_key(number: str) -> str:
    """One number however spaced: "+358 (0)44 280 5164", "+358 44 2805164" and "044 280 5164"."""
    digits = "".join(c for c in number.replace("(0)", "") if c.isdigit())
    if number.startswith("+"):
        return "0" + digits[3:] if digits.startswith("358") else "+" + digits
    return digits


def phones_find(text: str) -> list[str]:
    """The phone numbers in the text as written (whitespace collapsed), each once, in order. Seven
    digits or more; six will do when the area code is in parentheses ("(09) 1911") or the number
    is labelled ("puh. 09 1911")."""
    text = _NOT_PHONE.sub(" ", business_id_remove(text))
    text = _EMAIL.sub(" ", text)
    candidates = [(m.start("number"), m.group("number"), 6) for m in _PHONE_LABELLED.finditer(text)]
    for match in _PHONE_BARE.finditer(text):
        number = match.group("number")
        candidates.append((match.start("number"), number, 6 if number.startswith("(") else 7))
    found: list[str] = []
    seen: set[str] = set()
    for _, candidate, least in sorted(candidates, key=lambda candidate: candidate[0]):
        number = " ".join(candidate.split())
        key = _phone_key(number)
        if number.startswith("+"):
            least = 8  # a country code and a subscriber's number of five digits at least
        if least <= _digits(number) <= 15 and key not in seen:
            seen.add(key)
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

# Finnish, Swedish and English names of each; the numbers stand alone ("11050/2018" is another).
LAWS: tuple[tuple[str, str], ...] = (
    (
        "523/1999",
        r"(?<![\d/])523/1999(?!\d)|henkilötietola(ki|kia|kiin|in|issa|ista|illa)\b|personuppgiftslag(en)?\b|"
        r"personal data act",
    ),
    (
        "1050/2018",
        r"(?<![\d/])1050/2018(?!\d)|tietosuojala(ki|kia|kiin|in|issa|ista|illa)\b|dataskyddslag(en)?\b|"
        r"data protection act",
    ),
    (
        "GDPR",
        r"\bgdpr\b|(?<![\d/])2016/679(?!\d)|(?<![\d/])679/2016(?!\d)|tietosuoja[- ]?asetu|"
        r"dataskyddsförordning|general data protection regulation|(?-i:\bTSA\b)",
    ),
)
_LAW_PATTERNS = tuple((law, re.compile(pattern, re.IGNORECASE)) for law, pattern in LAWS)
# Other laws named after data protection: "työelämän tietosuojalaki" is the laki yksityisyyden
# suojasta työelämässä (759/2004), "sähköisen viestinnän tietosuojalaki" the 516/2004.
_OTHER_LAW_BEFORE = re.compile(r"(?:työelämän|viestinnän)[\s-]*$", re.IGNORECASE)


def _cited(pattern: re.Pattern[str], text: str) -> int | None:
    for match in pattern.finditer(text):
        if not _OTHER_LAW_BEFORE.search(text, max(0, match.start() - 20), match.start()):
            return match.start()
    return None


_LAW_WINDOW = 20_000  # characters; statements cite their law in the first page or so


def law_basis_find(text: str) -> str | None:
    """The data-protection law the statement cites first, of the GDPR, the tietosuojalaki
    (1050/2018) and the henkilötietolaki (523/1999): a statement citing the henkilötietolaki in
    its title is a pre-GDPR rekisteriseloste even if it mentions the GDPR later; in a list of laws
    the first of the three is reported, and the others the list names (kirjanpitolaki, the
    "työelämän tietosuojalaki") are not data-protection laws of this kind."""
    # A law cited in the first page is cited before anything later: the rest is read only when
    # the first page cites none (a 100,000-line statement is read once, not three times).
    for window in (text[: _LAW_WINDOW + 100], text) if len(text) > _LAW_WINDOW + 100 else (text,):
        first: tuple[int, str] | None = None
        for law, pattern in _LAW_PATTERNS:
            start = _cited(pattern, window)
            if start is not None and (first is None or start < first[0]):
                first = (start, law)
        if first is not None:
            return first[1]
    return None


# --- The statement's date ------------------------------------------------------------------------

_DATE = re.compile(r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?!\d)|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DATE_LABEL = re.compile(  # matched against the text in lower case
    r"(päivitetty|laadittu|päiväys|päivämäärä|uppdaterad|upprättad|datum|updated|last updated|date)\W{0,3}"
    r"(?=\d)"
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
    # Searched in lower case: a case-blind search of a long text is several times slower.
    lower = text.lower()
    label = _DATE_LABEL.search(lower)
    if label is not None:
        labelled = _date_at(lower[label.end() : label.end() + 12])
        if labelled is not None:
            return labelled
    return _date_at(preamble)


# --- Transfers outside the EU/EEA ----------------------------------------------------------------


class Transfers(StrEnum):
    NONE = "none"
    YES = "yes"
    UNSPECIFIED = "unspecified"


# A word every sentence _OUTSIDE_EEA finds holds: most sentences hold none and are passed at once.
_OUTSIDE_WORDS = (
    "ulkopuol", "kolmans", "kolmanteen", "yhdysval", "utanför", "tredje", "förenta", "outside",
    "third countr", "united states", "usa",
)  # fmt: skip
_OUTSIDE_EEA = re.compile(  # matched against the sentence in lower case, which is much faster
    r"\b(eu|eta|ety|euroopan|eu-|eta-)[^.]{0,60}?ulkopuol|kolmansi\w* mai|kolmanteen maahan|yhdysval|"
    r"utanför\s+(eu|ees|europeiska|det europeiska)|tredje land|tredjeländer|förenta staterna|"
    r"outside\s+(of\s+)?(the\s+)?(eu|eea|european)|third countr|united states|\busa\b"
)
# "En siirrä tietoja ..." (the first person singular) says no as "Emme siirrä" does; Swedish "en"
# is an article, so only a sentence that opens with it counts.
_NEGATION = re.compile(r"\b(ei|eikä|eivät|emme|not|never|no|inte|aldrig|ingen|inga)\b|^en\b", re.IGNORECASE)
# "Not transferred, unless ..." and "may be transferred" both mean: it can happen (issue 4).
_POSSIBLE = re.compile(
    r"\b(ellei|elleivät|paitsi|lukuun ottamatta|voi|voidaan|voivat|saatetaan|saattaa|saattavat|"
    r"mahdollisesti|unless|except|may|might|can|could|utom|såvida|förutom|om inte|kan|eventuellt)\b",
    re.IGNORECASE,
)


def about_transfers(sentence: str) -> bool:
    """Whether a sentence speaks of data going outside the EU/EEA."""
    lower = sentence.lower()
    return any(word in lower for word in _OUTSIDE_WORDS) and _OUTSIDE_EEA.search(lower) is not None


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
