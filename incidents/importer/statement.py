"""A whole statement read into the registers it describes (one or several, seed 004)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.importer.decoding import StatementRejected
from incidents.importer.fields import (
    Transfers,
    about_transfers,
    document_date_find,
    domains_find,
    law_basis_find,
    transfers_find,
)
from incidents.importer.items import BULLET, ParsedDataItem, data_items_find
from incidents.importer.parsing import Kind, Section, sections_split, sentences
from incidents.importer.parties import (
    Contact,
    Controller,
    RegisterName,
    contact_read,
    controller_read,
    joint_controllers_find,
    name_compose,
    register_names_read,
)
from incidents.importer.prose import controller_in_prose, inferred_sections
from incidents.importer.remnants import remnants_clear
from incidents.registers.business_id import business_id_valid

# The keys of ``import_registers --json``, in order: a contract other tools rely on (issue 4).
JSON_KEYS = (
    "source",
    "controller_name",
    "business_id",
    "business_id_valid",
    "address",
    "contact_person",
    "contact_email",
    "contact_phone",
    "register_name",
    "purpose",
    "data_items",
    "special_categories",
    "henkilotunnus",
    "transfers_outside_eea",
    "law_basis",
    "warnings",
)

# Enough of the template to tell a privacy statement from any other text file.
_CORE_KINDS = {Kind.CONTROLLER, Kind.REGISTER_NAME, Kind.PURPOSE, Kind.DATA_ITEMS, Kind.CONTACT}
_TITLE_WORDS = re.compile(
    r"rekisteriseloste|tietosuojaseloste|tietosuojakäytäntö|dataskyddsbeskrivning|registerbeskrivning|"
    r"privacy (statement|notice|policy)|record of processing",
    re.IGNORECASE,
)


@dataclass
class ParsedRegister:
    source: str
    register_name: str | None
    controller: Controller
    joint_controllers: list[str]
    contact: Contact
    purpose: str | None
    legal_basis: str | None
    data_subjects: str | None
    data_items: list[ParsedDataItem]
    sources: str | None
    disclosures: str | None
    transfers: Transfers
    transfers_details: str | None
    retention: str | None
    security_measures: str | None
    law_basis: str | None
    document_date: dt.date | None
    other_sections: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Where a name had to be composed because the statement gives none: what it was made from.
    register_name_composed_from: str | None = None

    @property
    def business_id_valid(self) -> bool | None:
        bid = self.controller.business_id
        return None if bid is None else business_id_valid(bid)

    @property
    def contact_email(self) -> str | None:
        return self.contact.email or self.controller.email

    @property
    def contact_phone(self) -> str | None:
        return self.contact.phone or self.controller.phone

    def as_json(self) -> dict[str, Any]:
        items = self.data_items
        return {
            "source": self.source,
            "controller_name": self.controller.name,
            "business_id": self.controller.business_id,
            "business_id_valid": self.business_id_valid,
            "address": self.controller.address,
            "contact_person": self.contact.person,
            "contact_email": self.contact_email,
            "contact_phone": self.contact_phone,
            "register_name": self.register_name,
            "purpose": self.purpose,
            "data_items": [item.as_json() for item in items],
            "special_categories": any(i.classification.special_category for i in items) if items else None,
            "henkilotunnus": any(i.classification.henkilotunnus for i in items) if items else None,
            "transfers_outside_eea": self.transfers.value,
            "law_basis": self.law_basis,
            "warnings": list(self.warnings),
        }


@dataclass
class ParsedStatement:
    source: str
    text: str
    law_basis: str | None
    document_date: dt.date | None
    registers: list[ParsedRegister]


def _stem(name: str) -> str:
    """ "Asiakasrekisteri" is also written Asiakasrekisterin, -iä, -iin: match its stem."""
    return name[:-1] if len(name) > 6 and name[-1].lower() in "aeiouyäö" else name


def _texts_per_register(text: str, names: list[RegisterName]) -> list[str]:
    """Each register's share of a section: under its own sub-heading, or the sentences that name
    it (and those that follow them in the paragraph); the rest is shared by all."""
    labels = [{n.name.lower(), *([n.alias.lower()] if n.alias else [])} for n in names]
    # A register is also named by its head word: "Asiakasrekisterin tiedot" for "Studion asiakasrekisteri".
    heads = [(n.alias or n.name).split()[-1] for n in names]
    stems = [
        re.compile(
            r"\b("
            + re.escape(_stem(n.alias or n.name))
            + (f"|{re.escape(_stem(head))}" if len(head) >= 8 and heads.count(head) == 1 else "")
            + ")",
            re.IGNORECASE,
        )
        for n, head in zip(names, heads, strict=True)
    ]
    lines: list[list[str]] = [[] for _ in names]
    current: int | None = None
    for line in text.split("\n"):
        hit = next((i for i, label in enumerate(labels) if line.strip().rstrip(":").lower() in label), None)
        if hit is not None:
            current = hit
        elif current is not None:
            lines[current].append(line)
    if current is not None:
        return ["\n".join(share).strip() for share in lines]
    shares: list[list[str]] = [[] for _ in names]
    for paragraph in re.split(r"\n\s*\n", text):
        owner: int | None = None
        parts: list[list[str]] = [[] for _ in names]
        for sentence in sentences(paragraph):
            named = [i for i, stem in enumerate(stems) if stem.search(sentence)]
            owner = named[0] if len(named) == 1 else None if named else owner
            for i in range(len(names)) if owner is None else [owner]:
                parts[i].append(sentence)
        for i, part in enumerate(parts):
            if part:
                shares[i].append(" ".join(part))
    return ["\n\n".join(share) for share in shares]


# What a statement describing several registers one after the other gives each of them under its
# own name: "3. Rekisteri A / Rekisterin nimi: ... / Käyttötarkoitus: ... / Tietosisältö: ...".
_PER_REGISTER_KINDS = {
    Kind.REGISTER_NAME,
    Kind.PURPOSE,
    Kind.DATA_ITEMS,
    Kind.LEGAL_BASIS,
    Kind.DATA_SUBJECTS,
}


def _register_blocks(parts: list[Section], names: list[RegisterName]) -> dict[int, int]:
    """Section number → the register whose block it is in, where each register's name heads a run
    of sections of its own; empty when the registers share their sections."""
    starts = [n for n, s in enumerate(parts) if s.kind is Kind.REGISTER_NAME and register_names_read(s.text)]
    if len(starts) != len(names) or len(starts) < 2:
        return {}
    owner: dict[int, int] = {}
    for index, start in enumerate(starts):
        owner[start] = index
        for number in range(start + 1, len(parts)):
            if parts[number].kind not in _PER_REGISTER_KINDS or number in starts:
                break
            owner[number] = index
    owned_kinds = [{parts[n].kind for n, i in owner.items() if i == index} for index in range(len(names))]
    return owner if all(Kind.PURPOSE in kinds or Kind.DATA_ITEMS in kinds for kinds in owned_kinds) else {}


def _shares(parts: list[Section], names: list[RegisterName]) -> list[list[str]]:
    if len(names) <= 1:
        return [[s.text] for s in parts]
    blocks = _register_blocks(parts, names)
    return [
        [s.text if i == blocks[n] else "" for i in range(len(names))]
        if n in blocks
        else _texts_per_register(s.text, names)
        for n, s in enumerate(parts)
    ]


def _joined(parts: list[str]) -> str | None:
    text = "\n\n".join(part.strip() for part in parts if part.strip())
    return text or None


# The rest of what Art. 30(1) asks a record of processing to hold, with the register form's labels.
_RECORD_FIELDS = (
    ("legal_basis", gettext_lazy("legal basis")),
    ("data_subjects", gettext_lazy("data subjects")),
    ("sources", gettext_lazy("sources")),
    ("disclosures", gettext_lazy("disclosures")),
    ("retention", gettext_lazy("retention")),
    ("security_measures", gettext_lazy("security measures")),
)


def _warnings(register: ParsedRegister) -> list[str]:
    out = []
    if register.controller.name is None:
        out.append(_("No controller (rekisterinpitäjä) is named."))
    elif register.controller.business_id is None:
        out.append(_("No business ID (Y-tunnus) is given for the controller."))
    elif not register.business_id_valid:
        out.append(_("Business ID %(id)s fails its check digit.") % {"id": register.controller.business_id})
    for joint in register.joint_controllers:
        out.append(_("Joint controller %(name)s is named without a business ID.") % {"name": joint})
    if register.register_name_composed_from is not None:
        origin = {
            "title": _("the statement's title"),
            "controller": _("the controller's name"),
            "file": _("the file's name"),
        }[register.register_name_composed_from]
        out.append(
            _("Register name: the statement gives none; “%(name)s” was composed from %(origin)s. Check it.")
            % {"name": register.register_name, "origin": origin}
        )
    elif register.register_name is None:
        out.append(_("No register name is given."))
    if register.controller.name is not None and register.controller.address is None:
        out.append(_("No address is given for the controller."))
    if register.contact.person is None:
        out.append(_("No contact person is named."))
    if register.contact_email is None:
        out.append(_("No e-mail address is given for the contact person or the controller."))
    if register.contact_phone is None:
        out.append(_("No phone number is given for the contact person or the controller."))
    if register.purpose is None:
        out.append(_("No purpose of processing is given."))
    if not register.data_items:
        out.append(_("No data items were found."))
    if register.transfers is Transfers.UNSPECIFIED:
        out.append(_("The statement does not say whether data is transferred outside the EU/EEA."))
    missing = [str(label) for attribute, label in _RECORD_FIELDS if getattr(register, attribute) is None]
    if missing:
        out.append(
            _("Not found in the statement, to fill in on the register: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    return out


def _refuse_unless_statement(source: str, text: str, parts: list[Section]) -> None:
    kinds = {
        kind for section in parts for kind in section.kinds | ({section.kind} if section.kind else set())
    }
    found = kinds & _CORE_KINDS
    if len(found) < 2 and not (found and _TITLE_WORDS.search(text)):
        raise StatementRejected(
            source,
            _(
                "this does not look like a privacy statement: no controller, register name, purpose "
                "or data items were found."
            ),
        )


def _covers(section: Section, kind: Kind, *, exclusive: bool = False) -> bool:
    return section.kind is kind or (not exclusive and section.kind is not None and kind in section.kinds)


@dataclass
class _Common:
    """What every register of one statement shares."""

    source: str
    parts: list[Section]
    shares: list[list[str]]  # per section, each register's share of its text
    controller: Controller
    contact: Contact
    joint_controllers: list[str]
    law: str | None
    date: dt.date | None
    headed: bool  # whether any section stands under a heading the reading recognised

    def texts(self, index: int, kind: Kind, *, exclusive: bool = False) -> list[str]:
        return [
            self.shares[number][index]
            for number, section in enumerate(self.parts)
            if _covers(section, kind, exclusive=exclusive)
        ]


# A paragraph that opens by saying how long data is kept is about retention, wherever it stands
# (seed 004 says it under the purpose heading).
_RETENTION_OPENING = re.compile(
    r"^[^.]*\b(säilytetään|säilytämme|säilytettävä|säilytysaika|lagras|sparas|bevaras|"
    r"(is|are) (kept|retained|stored) for|we (keep|retain))\b",
    re.IGNORECASE,
)


def _is_list(paragraph: str) -> bool:
    """A paragraph that lists (bullets, or a lead-in ending in a colon) rather than explains."""
    lines = [line for line in paragraph.split("\n") if line.strip()]
    return any(BULLET.match(line) or line.rstrip().endswith(":") for line in lines)


def _unique(items: list[ParsedDataItem]) -> list[ParsedDataItem]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.text.lower() not in seen:
            seen.add(item.text.lower())
            out.append(item)
    return out


def _paragraphs(text: str) -> list[str]:
    return [paragraph for paragraph in re.split(r"\n\s*\n", text) if paragraph.strip()]


def _without_transfers(text: str) -> str:
    """A section about disclosures and transfers both ("Tietojen luovutukset ja siirto EU:n
    ulkopuolelle"), without its sentences about transfers: those are the transfer details."""
    kept = [
        " ".join(s for s in sentences(paragraph) if not about_transfers(s)) for paragraph in _paragraphs(text)
    ]
    return "\n\n".join(paragraph for paragraph in kept if paragraph)


def _item_texts(common: _Common, index: int) -> list[str]:
    """The data-content text; where one heading asks for the data and the purpose both, only its
    lists (the explaining paragraphs are the purpose)."""
    texts = []
    for number, section in enumerate(common.parts):
        if not _covers(section, Kind.DATA_ITEMS):
            continue
        text = common.shares[number][index]
        if _covers(section, Kind.PURPOSE):
            text = "\n\n".join(paragraph for paragraph in _paragraphs(text) if _is_list(paragraph))
        texts.append(text)
    return texts


def _register_read(common: _Common, index: int, name: RegisterName | None) -> ParsedRegister:
    purpose_texts: list[str] = []
    basis_texts = common.texts(index, Kind.LEGAL_BASIS, exclusive=True)
    retention_texts = common.texts(index, Kind.RETENTION)
    for number, section in enumerate(common.parts):
        if not _covers(section, Kind.PURPOSE):
            continue
        with_items = _covers(section, Kind.DATA_ITEMS)
        for paragraph in _paragraphs(common.shares[number][index]):
            if with_items and _is_list(paragraph):
                continue  # "Mitä tietoja keräämme ja miksi?": the list is the data items
            if _RETENTION_OPENING.match(paragraph):
                retention_texts.append(paragraph)
            elif Kind.LEGAL_BASIS in section.kinds and re.search(r"peruste|grund|basis", paragraph, re.I):
                # "Käyttötarkoitus ja peruste": the paragraph about the basis is the legal basis.
                basis_texts.append(paragraph)
            else:
                purpose_texts.append(paragraph)
    disclosure_texts = [
        _without_transfers(common.shares[number][index])
        if Kind.TRANSFERS in section.kinds
        else common.shares[number][index]
        for number, section in enumerate(common.parts)
        if _covers(section, Kind.DISCLOSURES)
    ]
    # What the statement says about transfers may stand under any heading (seed 000 says it under
    # disclosures), but a heading alone says nothing (seed 001).
    body = [
        common.shares[n][index]
        for n, s in enumerate(common.parts)
        if (s.kind is not None and (s.heading or s.inferred)) or not common.headed
    ]
    transfers, details = transfers_find(sentence for chunk in body for sentence in sentences(chunk))
    register = ParsedRegister(
        source=common.source,
        register_name=name.name if name else None,
        controller=common.controller,
        joint_controllers=common.joint_controllers,
        contact=common.contact,
        purpose=_joined(purpose_texts),
        legal_basis=_joined(basis_texts),
        data_subjects=_joined(common.texts(index, Kind.DATA_SUBJECTS)),
        data_items=_unique([item for chunk in _item_texts(common, index) for item in data_items_find(chunk)]),
        sources=_joined(common.texts(index, Kind.SOURCES)),
        disclosures=_joined(disclosure_texts),
        transfers=transfers,
        transfers_details=details,
        retention=_joined(retention_texts),
        security_measures=_joined(common.texts(index, Kind.SECURITY)),
        law_basis=common.law,
        document_date=common.date,
        other_sections=[
            {"heading": s.heading, "text": s.text}
            for s in common.parts
            if (s.kind is None or s.kind in (Kind.RIGHTS, Kind.DPO)) and (s.heading or s.text)
        ],
    )
    register.warnings = _warnings(register)
    return register


def _sections(text: str, subheadings: frozenset[str] = frozenset()) -> list[Section]:
    parts = sections_split(text, subheadings=subheadings)
    return parts + inferred_sections(parts)


def statement_parse(*, source: str, text: str) -> ParsedStatement:
    """Read a statement's text; :class:`StatementRejected` if it is not a privacy statement."""
    original, text = text, remnants_clear(text)
    parts = _sections(text)
    _refuse_unless_statement(source, text, parts)
    names = [n for s in parts if _covers(s, Kind.REGISTER_NAME) for n in register_names_read(s.text)]
    if len(names) > 1:
        # Read again, now knowing that a line naming one of the registers heads its part of a
        # section ("Asiakasrekisteri" under "Rekisterin tietosisältö", seed 004).
        labels = {label.lower() for n in names for label in (n.name, n.alias) if label}
        parts = _sections(text, frozenset(labels))
    domains = domains_find(text)
    controller_text = "\n".join(s.text for s in parts if _covers(s, Kind.CONTROLLER))
    controller = controller_read(controller_text, domains=domains)
    named = controller_in_prose(controller_text) if controller.name is None else None
    if named:
        # "Kuka olen?" answered in sentences: the one that names the controller names it.
        found = controller_read(named)
        controller.name, controller.aliases = found.name, found.aliases
        controller.address = controller.address or found.address
    lead = []  # the title lines: everything before the first recognised heading
    for section in parts:
        if section.kind is not None:
            break
        lead.append(f"{section.heading}\n{section.text}")
    law = law_basis_find(text)
    common = _Common(
        source=source,
        parts=parts,
        shares=_shares(parts, names),
        controller=controller,
        contact=contact_read("\n".join(s.text for s in parts if _covers(s, Kind.CONTACT)), domains=domains),
        joint_controllers=joint_controllers_find(controller, [n.name for n in names]),
        law=law,
        date=document_date_find(text, "\n".join(lead)),
        headed=any(s.kind is not None and s.heading for s in parts),
    )
    registers = [_register_read(common, index, name) for index, name in enumerate(names or [None])]
    if not names:
        composed = name_compose(lead=lead, controller=controller.name, text=text, source=source)
        registers[0].register_name, registers[0].register_name_composed_from = composed
        registers[0].warnings = _warnings(registers[0])
    return ParsedStatement(
        source=source, text=original, law_basis=law, document_date=common.date, registers=registers
    )
