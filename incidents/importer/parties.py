"""Who a statement names: the controller(s), the contact person, and the registers' names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from incidents.importer.fields import (
    Company,
    business_id_find,
    companies_find,
    emails_find,
    is_business_id_line,
    is_phone_line,
    phones_find,
    same_company,
)

_BULLET = re.compile(r"^\s*(?:[•·\-*–—▪◦●‣]|\d{1,2}[.)])\s+")
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
    return [_BULLET.sub("", line).replace("**", "").strip() for line in text.split("\n") if line.strip()]


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


def controller_read(text: str) -> Controller:
    controller = Controller(business_id=business_id_find(text))
    emails, phones = emails_find(text), phones_find(text)
    controller.email = emails[0] if emails else None
    controller.phone = phones[0] if phones else None
    address: list[str] = []
    for line in _lines(text):
        if _is_contact_detail(line):
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


def contact_read(text: str) -> Contact:
    emails, phones = emails_find(text), phones_find(text)
    contact = Contact(email=emails[0] if emails else None, phone=phones[0] if phones else None)
    for line in _lines(text):
        for part in re.split(r",|\s+[-–]\s+", line):
            part = _NAME_LABEL.sub("", part.strip())
            if not part or "@" in part or re.search(r"\d", part) or _OTHER_LABEL.match(part):
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
