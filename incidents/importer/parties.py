"""Who a statement names: the controller(s), the contact person, and the registers' names."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from incidents.importer.fields import (
    LEGAL_FORMS,
    Company,
    business_id_find,
    companies_find,
    emails_find,
    is_business_id_line,
    is_phone_line,
    phones_find,
    same_company,
)
from incidents.importer.items import BULLET, unwrapped

_NAME_LABEL = re.compile(
    r"^(nimi|name|namn|yritys|yhtiö|företag|company|organisation|organisaatio)\s*:\s*", re.I
)
_ADDRESS_LABEL = re.compile(
    r"^((posti|käynti)?osoite|(post|besöks)?adress|(postal |visiting )?address)\s*:\s*", re.IGNORECASE
)
_OTHER_LABEL = re.compile(r"^[^:()]{2,30}:(\s|$)")
# "(jäljempänä OP)", "(”Valmennuskumppani Oy”)", "(jatkossa Asiakasrekisteri)", "(nedan Bolaget)"
_ALIAS = re.compile(
    r"\(\s*(?:(?:jäljempänä|jatkossa|myöhemmin|nedan|hädanefter|hereinafter|later)\s+)?[\"”“'’]?"
    r"([^()\"”“]+?)[\"”“'’]?\s*\)"
)


def _lines(text: str) -> list[str]:
    return [BULLET.sub("", line).replace("**", "").strip() for line in text.split("\n") if line.strip()]


def _without_aliases(text: str) -> tuple[str, list[str]]:
    aliases = []
    for match in _ALIAS.finditer(text):
        inner = match.group(1).strip()
        if not re.search(r"\d|tunnus|nummer|business id", inner, re.IGNORECASE):
            aliases.append(inner)
    return " ".join(_ALIAS.sub(" ", text).split()), aliases


@dataclass
class Controller:
    name: str | None = None
    business_id: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    aliases: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # further controllers named in the section

    def is_named(self, company: Company) -> bool:
        names = [self.name or "", *self.aliases]
        return any(same_company(company, Company(name)) for name in names if name)


def _is_contact_detail(part: str) -> bool:
    return "@" in part or is_phone_line(part) or is_business_id_line(part) or bool(emails_find(part))


def _name_of(line: str) -> tuple[str, list[str], str]:
    """The controller's name on its line, any short names it is given, and what follows it."""
    line, aliases = _without_aliases(_NAME_LABEL.sub("", line))
    # "Firma Oy, Y-tunnus 2316408-3, Katu 1, 00100 Helsinki": the business ID, phone and e-mail
    # are read elsewhere; what is left after the name is the address.
    line = ", ".join(part.strip() for part in line.split(",") if not _is_contact_detail(part))
    if len(line.split()) > 8 or line.endswith("."):
        companies = companies_find(line)
        return (companies[0].name if companies else line), aliases, ""
    name, _, rest = line.partition(",")
    name, slash, trade = name.partition(" / ")
    if slash and trade.strip() and not trade.strip().islower():
        aliases.append(trade.strip())
    return name.strip(), aliases, rest.strip()


_LEGAL_FORM = re.compile(rf"\b({LEGAL_FORMS}|rf|r\.y\.)(?![\w])")


def _is_prose_line(line: str) -> bool:
    """ "Olen laillistettu fysioterapeutti ja toimin ...": a sentence about the controller, not its
    name."""
    words = line.split()
    if _LEGAL_FORM.search(line) and not line.endswith("."):
        return False
    return (len(words) >= 5 and sum(w[:1].islower() for w in words) >= 4) or (
        len(words) >= 4 and line.endswith(".")
    )


def controller_read(text: str, *, domains: AbstractSet[str] = frozenset()) -> Controller:
    """The controller a section names; ``domains`` are the web domains the whole statement shows,
    by which an address whose @ was lost in copying is mended."""
    controller = Controller(business_id=business_id_find(text))
    emails, phones = emails_find(text, domains), phones_find(text)
    controller.email = emails[0] if emails else None
    controller.phone = phones[0] if phones else None
    address: list[str] = []
    for line in _lines("\n".join(unwrapped(text))):
        if _is_contact_detail(line):
            continue
        if controller.name is None and _is_prose_line(line) and not _NAME_LABEL.match(line):
            continue
        if controller.name is None and (_NAME_LABEL.match(line) or not _OTHER_LABEL.match(line)):
            controller.name, controller.aliases, rest = _name_of(line)
            if rest and re.search(r"\d", rest):
                address.append(rest)
            continue
        labelled = _ADDRESS_LABEL.match(line)
        if labelled:
            address.append(line[labelled.end() :])
        elif _OTHER_LABEL.match(line):
            continue
        elif re.search(r"\d", line):
            address.append(line)
        elif controller.name and re.search(r"\b(Oyj|Oy|Ab|Ltd|ry|AB)\b", line):
            company = Company(_without_aliases(line)[0])
            if not controller.is_named(company):
                controller.others.append(company.name)
    if address:
        cleaned = [re.sub(r"\s+", " ", part).strip(" ,") for part in address]
        controller.address = ", ".join(part for part in cleaned if part) or None
    return controller


def joint_controllers_find(controller: Controller, register_names: list[str]) -> list[str]:
    """Controllers beside the first: listed under the controller heading, or named with it in
    the register's name ("X Oy:n ja Y Oy:n asiakasrekisteri", seed 000)."""
    found = list(controller.others)
    if controller.name is None:
        return found
    for name in register_names:
        for company in companies_find(name):
            if not controller.is_named(company) and all(
                not same_company(company, Company(other)) for other in found
            ):
                found.append(company.name)
    return found


@dataclass
class Contact:
    person: str | None = None
    email: str | None = None
    phone: str | None = None


# "Yhteyshenkilönä toimii Matti Virta", "puheenjohtaja Matti Virta", "Isännöitsijä Petri Hautala":
# the name is what follows the verb or the title.
_LEAD_IN = re.compile(r"^.*?\b(?:toimii|on|är|is)\s+(?=[A-ZÄÖÅ])")
_ROLE = re.compile(
    r"[\wäöå-]*(päällikkö|johtaja|vastaava|sihteeri|isännöitsijä|koordinaattori|asiantuntija|esimies|"
    r"esihenkilö|hoitaja|lääkäri|terapeutti|yrittäjä|ohjaaja|neuvoja|suunnittelija|kirjanpitäjä|rehtori|"
    r"opettaja|valmentaja|omistaja|teknikko|insinööri|assistentti|konsultti|kouluttaja|disponent|chef|ansvarig|ledare|sekreterare|ordförande|föreståndare|"
    r"handläggare|samordnare|rektor|ägare|företagare|vd|ceo|manager|officer|director|coordinator|"
    r"secretary|owner|chair|chairperson)",
    re.IGNORECASE,
)


def _person(part: str) -> str:
    part = " ".join(_ALIAS.sub(" ", part).split())  # "Onni Rantanen (hallituksen puheenjohtaja)"
    if len(part.split()) > 2:
        part = _LEAD_IN.sub("", part)
    words = part.split()
    # Titles before the name ("Päiväkodin johtaja Anu Heikkinen"): up to the last word that is in
    # lower case or names a role, as long as two words are left.
    titles = [i for i, word in enumerate(words[:-2]) if word[:1].islower() or _ROLE.fullmatch(word)]
    return " ".join(words[titles[-1] + 1 :] if titles else words)


def contact_read(text: str, *, domains: AbstractSet[str] = frozenset()) -> Contact:
    emails, phones = emails_find(text, domains), phones_find(text)
    contact = Contact(email=emails[0] if emails else None, phone=phones[0] if phones else None)
    for line in _lines("\n".join(unwrapped(text))):
        line = re.sub(r"\([^()]*\)", " ", line)  # "(tuula@kuoro.fi, puhelin ...)", "(sihteeri)"
        for part in re.split(r",|\s+[-–]\s+", line):
            part = _person(_NAME_LABEL.sub("", part.strip()))
            if not part or "@" in part or re.search(r"\d", part) or _OTHER_LABEL.match(part):
                continue
            if emails_find(part):  # "tietosuoja at yritys.fi" before the name
                continue
            if len(part.split()) <= 5 and part[0].isupper():
                contact.person = part.rstrip(".")
                return contact
    return contact


@dataclass(frozen=True)
class RegisterName:
    name: str
    alias: str | None


def register_names_read(text: str) -> list[RegisterName]:
    """One name per line; a sentence after the name describes it and is not another register."""
    names = []
    for line in _lines(text):
        line = _NAME_LABEL.sub("", line)
        if len(line.split()) > 14 or line.endswith((".", ":")):
            continue
        plain, aliases = _without_aliases(line)
        if plain:
            names.append(RegisterName(plain, aliases[0] if aliases else None))
    return names


# --- A name for a register the statement does not name -------------------------------------------

# A register's own word in a title: "Jäsenrekisterin tietosuojaseloste", "kundregistret".
_REGISTER_WORD = re.compile(
    r"\b([\wäöåÄÖÅ-]*(?:rekisteri|rekisterin|rekisterit|rekisterien|register|registret|registry))\b",
    re.IGNORECASE,
)
_DOCUMENT_WORDS = re.compile(
    r"(rekisteri|tietosuoja)selost\w*|registerbeskrivning\w*|dataskyddsbeskrivning\w*|"
    r"tietosuojakäytäntö\w*|integritetspolicy\w*|dataskyddspolicy\w*|"
    r"privacy (statement|notice|policy)|record of processing|gdpr|eu:n|tietosuoja-asetu\w*",
    re.IGNORECASE,
)
_TITLE_SEPARATOR = re.compile(r"\s+[–—-]\s+|\s*[:|/]\s+")
_LANGUAGE_WORDS = {
    "fi": re.compile(r"\b(ja|tai|on|tietoja|henkilötietoja|rekisteri\w*|käsitellään)\b", re.IGNORECASE),
    "sv": re.compile(r"\b(och|eller|är|uppgifter|personuppgifter|behandlas|för)\b", re.IGNORECASE),
    "en": re.compile(r"\b(and|or|is|the|data|personal|processed|for)\b", re.IGNORECASE),
}
_COMPOSED = {"fi": "{} – henkilörekisteri", "sv": "{} – personregister", "en": "{} – personal data register"}


def statement_language(text: str) -> str:
    """ "fi", "sv" or "en": the language whose common words the statement's start uses most."""
    head = text[:20000]
    counts = {language: len(pattern.findall(head)) for language, pattern in _LANGUAGE_WORDS.items()}
    return max(counts, key=lambda language: counts[language])


def _title_lines(lead: list[str]) -> list[str]:
    lines = [line.strip().strip("#*_ ").strip() for chunk in lead for line in chunk.split("\n")]
    # A title is short and is not a sentence or an address ("Rekisterinpitäjä on ..., 40100").
    return [
        line
        for line in lines
        if line and len(line.split()) <= 12 and not line.endswith((".", ",")) and line.count(",") < 2
    ][:4]


def _from_title(line: str) -> str | None:
    for word in _REGISTER_WORD.findall(line):
        if _DOCUMENT_WORDS.fullmatch(word):
            continue
        # "Jäsenrekisterin" in "Jäsenrekisterin tietosuojaseloste" is the genitive of the name.
        if word.lower().endswith(("rekisterin", "rekisterien")):
            word = word[:-1] if word.lower().endswith("rekisterin") else word[:-3] + "t"
        return word[:1].upper() + word[1:]
    for part in _TITLE_SEPARATOR.split(line):
        part = part.strip(" ,.")
        if part and not _DOCUMENT_WORDS.search(part) and not re.search(r"\d{4}|\d\.\d", part):
            return part
    return None


def name_compose(*, lead: list[str], controller: str | None, text: str, source: str) -> tuple[str, str]:
    """A register name where the statement gives none, and what it was made from: the title
    ("Jäsenrekisterin tietosuojaseloste" gives "Jäsenrekisteri"), the controller's name, or the
    file's name. The import's warnings say so, for the reader to check."""
    for line in _title_lines(lead):
        if _DOCUMENT_WORDS.search(line) or _REGISTER_WORD.search(line):
            name = _from_title(line)
            if name and (controller is None or name.lower() != controller.lower()):
                return name, "title"
    if controller:
        return _COMPOSED[statement_language(text)].format(controller), "controller"
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.replace("\\", "/").rsplit("/", 1)[-1])
    return stem or source, "file"
