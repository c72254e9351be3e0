"""A statement's text as sections: the headings it uses, in Finnish, Swedish or English.

Statements follow the old rekisteriseloste template (henkilötietolaki 10 §) or a GDPR-era one, but
every organisation lays it out its own way: numbered or not, Markdown, ``Label: value`` lines,
blank lines or none. A heading is recognised by its words; a section whose heading is not
recognised is kept with its heading and text, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    CONTROLLER = "controller"
    CONTACT = "contact"
    DPO = "dpo"
    REGISTER_NAME = "register_name"
    PURPOSE = "purpose"
    LEGAL_BASIS = "legal_basis"
    DATA_SUBJECTS = "data_subjects"
    DATA_ITEMS = "data_items"
    SOURCES = "sources"
    DISCLOSURES = "disclosures"
    TRANSFERS = "transfers"
    RETENTION = "retention"
    SECURITY = "security"
    RIGHTS = "rights"


# Matched with re.match against the heading in lower case, without numbering or Markdown: a
# heading starts with its subject. Order matters: the first kind that matches wins, so the
# specific ("tietojen siirto EU:n ulkopuolelle") comes before the general ("luovutukset").
HEADINGS: tuple[tuple[Kind, str], ...] = (
    (Kind.DPO, r"(rekisterinpitäjän )?(tietosuojavastaava|dataskyddsombud|data protection officer|dpo\b)"),
    (
        Kind.CONTACT,
        r"(rekisteriasioiden |rekisteriasioita hoitava |rekisteristä vastaava )?yhteyshenkilö|"
        r"(rekisteriä hoitava|rekisteristä vastaava|rekisteriasioista vastaava) henkilö|vastuuhenkilö|"
        r"rekisterinhoitaja|kontaktperson|contact person|person in charge",
    ),
    (
        Kind.CONTROLLER,
        r"(yhteis)?rekisterin ?pitäjä|(gemensamt )?personuppgiftsansvarig|registeransvarig|"
        r"(joint |data )?controllers?\b|personuppgiftsansvariga",
    ),
    (
        Kind.REGISTER_NAME,
        r"(rekisterin|rekisterien) nim|registrets namn|registrens namn|(the )?name of the register|"
        r"register name|registers?$|rekisterit$",
    ),
    (
        Kind.PURPOSE,
        r"(henkilötietojen |rekisterin )?(käsittelyn )?(ja rekisterin )?(käyttö)?tarkoitus|käyttötarkoitus|"
        r"(henkilötietojen käsittelyn ja rekisterin )?käyttötarkoitus|(ändamål|syfte)|"
        r"(the )?purposes?\b",
    ),
    (
        Kind.LEGAL_BASIS,
        r"(rekisterin ylläpitämisen |henkilötietojen käsittelyn |käsittelyn |rekisterin )?(oikeus)?peruste|"
        r"(rättslig|laglig) grund|grund(en)? för (behandlingen|registret)|(legal|lawful) basis",
    ),
    (
        Kind.DATA_SUBJECTS,
        r"rekisteröityjen (ryhmät|joukko|piiri)|rekisteröidyt|registrerade$|kategorier av registrerade|"
        r"(categories of )?data subjects",
    ),
    (
        Kind.DATA_ITEMS,
        r"(rekisterin )?tietosisältö|rekisterissä olevat tiedot|rekisteröitävät tiedot|rekisterin sisältämät|"
        r"(käsiteltävät|kerättävät) (henkilö)?tiedot|henkilötietoryhmät|"
        r"registrets (data)?innehåll|uppgifter (i|som ingår i) registret|(kategorier av )?personuppgifter|"
        r"(categories of )?personal data|data content|contents of the register|data items",
    ),
    (
        Kind.SOURCES,
        r"(säännönmukaiset )?tietolähteet|mistä tiedot saadaan|(regelmässiga )?uppgiftskällor|"
        r"(regular )?(sources|source of (the )?data)",
    ),
    (
        Kind.TRANSFERS,
        r"(tietojen |henkilötietojen )?siirt\w* (eu|eta|euroopan|kolmansiin)|"
        r"överföring\w* (av uppgifter |av personuppgifter )?(utanför|till tredje)|"
        r"(international )?transfers?( of (personal )?data)? (outside|to third)",
    ),
    (
        Kind.DISCLOSURES,
        r"(säännönmukaiset |tietojen |henkilötietojen )*(luovutu|luovuttaminen|vastaanottajat)|"
        r"(regelmässigt )?utlämn|mottagare|(regular )?(disclosures?|recipients)",
    ),
    (
        Kind.RETENTION,
        r"(henkilötietojen |tietojen )?(säilytysaika|säilyttäminen|säilytys)|lagringstid|(data )?retention",
    ),
    (
        Kind.SECURITY,
        r"(kuvaus )?(rekisterin )?(suojau|suojaa)|tietoturva|"
        r"(principerna för |principer för )?(registrets )?skydd|"
        r"säkerhet|(principles of )?(register |data )?(protection|security)",
    ),
    (
        Kind.RIGHTS,
        r"tarkastusoikeus|oikaisu|(henkilötietojen käsittelyyn liittyvät )?rekisteröidyn oikeudet|"
        r"den registrerades rättigheter|rätt till insyn|(rights of the data subject|your rights)",
    ),
)
_HEADING_PATTERNS = tuple((kind, re.compile(pattern)) for kind, pattern in HEADINGS)

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*$")
_NUMBERED = re.compile(r"^(\d{1,2})(?:\.\d{1,2})*[.)]?\s+(\S.*)$")
_LABEL = re.compile(r"^([^:]{2,60}?)\s*:(?:\s+(.*))?$")
_SENTENCE_END = (".", ",", ";", "!", "?")
# The document's title names the kind of document, not a section ("TIETOTURVAKÄYTÄNTÖ /
# REKISTERISELOSTE" is not a heading about security).
_TITLE = re.compile(
    r"seloste|dataskyddsbeskrivning|registerbeskrivning|privacy (statement|notice|policy)|"
    r"tietosuojakäytäntö|tietoturvakäytäntö|integritetspolicy|dataskyddspolicy",
    re.IGNORECASE,
)
_MAX_HEADING_WORDS = 16


def _plain(line: str) -> str:
    """A line without Markdown emphasis or heading marks."""
    line = line.strip().replace("**", "").replace("__", "")
    match = _MARKDOWN_HEADING.match(line)
    return (match.group(1) if match else line).strip()


def heading_kind(heading: str) -> Kind | None:
    normal = re.sub(r"\s+", " ", heading.strip().rstrip(":").strip().lower())
    normal = re.sub(r"^(§\s*)?\d{1,2}(\.\d{1,2})*[.)]?\s+", "", normal)
    for kind, pattern in _HEADING_PATTERNS:
        if pattern.match(normal):
            return kind
    return None


def heading_kinds(heading: str) -> set[Kind]:
    """Every kind a combined heading covers ("Käyttötarkoitus ja peruste")."""
    normal = heading.lower()
    kinds = set()
    for part in re.split(r"\s+(?:ja|och|and)\s+|\s*[/,]\s*", normal):
        kind = heading_kind(part)
        if kind is not None:
            kinds.add(kind)
    first = heading_kind(heading)
    if first is not None:
        kinds.add(first)
    return kinds


@dataclass
class Section:
    heading: str  # as written; "" for the text before the first heading
    kind: Kind | None
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines)).strip()

    @property
    def kinds(self) -> set[Kind]:
        return heading_kinds(self.heading) if self.heading else set()


def _is_heading_shaped(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= _MAX_HEADING_WORDS
        and not line.endswith(_SENTENCE_END)
        and "@" not in line
        and not _TITLE.search(line)
    )


def _looks_like_title(line: str) -> bool:
    """An unrecognised heading standing alone: short, sentence case, no digits. Names of people
    and companies (every word capitalised) are not headings."""
    words = line.rstrip(":").split()
    if not 0 < len(words) <= 8 or line.endswith((*_SENTENCE_END, ":")) or re.search(r"[\d@/]", line):
        return False
    if not words[0][0].isupper():
        return False
    return len(words) == 1 or not all(word[0].isupper() for word in words)


def _label_section(line: str) -> Section | None:
    """ "Rekisterinpitäjä: Testi Oy" starts the controller section with its value."""
    label = _LABEL.match(line)
    if label is None or not label.group(2) or len(label.group(1).split()) > 6:
        return None
    kind = heading_kind(label.group(1))
    return Section(heading=label.group(1), kind=kind, lines=[label.group(2)]) if kind else None


def _headings_run_into_text(lines: list[str]) -> bool:
    """Whether this statement writes its text straight under its headings, with no blank line
    between (seed 004); then an unrecognised heading has no blank line after it either."""
    for index, line in enumerate(lines[:-1]):
        plain = _plain(line)
        if plain and _is_heading_shaped(plain) and heading_kind(plain) is not None:
            return bool(lines[index + 1].strip())
    return False


def sections_split(text: str, *, subheadings: frozenset[str] = frozenset()) -> list[Section]:
    """The statement as sections, in order; the first holds what comes before any heading.

    ``subheadings`` (in lower case) are lines that head a part of a section, such as the names of
    the registers a statement describes under its data-content heading, not a new section.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    run_in = _headings_run_into_text(lines)
    sections = [Section(heading="", kind=None)]
    last_number = 0
    # Kept as the lines go, so that each line is read once: the last line with text before this
    # one, and whether the current section has text yet.
    previous, has_text = "", False

    def start(section: Section) -> None:
        nonlocal has_text
        sections.append(section)
        has_text = any(body.strip() for body in section.lines)

    for index, raw in enumerate(lines):
        line = _plain(raw)
        before, previous = previous, (line if raw.strip() else previous)
        if not line:
            sections[-1].lines.append("")
            continue
        if line.rstrip(":").lower() in subheadings:
            sections[-1].lines.append(line)
            has_text = True
            continue
        markdown = _MARKDOWN_HEADING.match(raw.strip()) is not None
        bold = raw.strip().startswith(("**", "__")) and raw.strip().rstrip(":").endswith(("**", "__"))
        numbered = _NUMBERED.match(line)
        blank_before = index == 0 or not lines[index - 1].strip()
        blank_after = index + 1 == len(lines) or not lines[index + 1].strip()
        first_in_section = bool(sections[-1].heading) and not has_text
        labelled = _label_section(line)
        kind = heading_kind(line) if _is_heading_shaped(line) and labelled is None else None

        if numbered and _is_heading_shaped(line):
            number = int(numbered.group(1))
            title = numbered.group(2)
            # A list numbered 1, 2, 3 inside a section is not a run of headings: an unrecognised
            # numbered heading only continues a numbering that recognised headings began.
            continues = (kind is not None and number <= last_number + 2) or (
                last_number and number == last_number + 1
            )
            if continues and not re.match(r"^\d", title):
                last_number = number
                start(Section(heading=line, kind=kind))
                continue
        if kind is not None or ((markdown or bold) and _is_heading_shaped(line)):
            start(Section(heading=line, kind=kind))
            continue
        if labelled is not None:
            start(labelled)
            continue
        # Lines of an address block ("Kielto tulee lähettää osoitteella:", a name, a department)
        # are not headings, however short.
        in_address = before.endswith(":") or (
            not before.endswith(_SENTENCE_END) and all(word[:1].isupper() for word in before.split())
        )
        stands_alone = blank_before and (blank_after or run_in)
        if stands_alone and not first_in_section and not in_address and _looks_like_title(line):
            start(Section(heading=line, kind=None))
            continue
        sections[-1].lines.append(line)
        has_text = True
    return sections


def sentences(text: str) -> list[str]:
    """Sentences of running text; abbreviations such as "mm." or "em." are followed by a lower-case
    word, so only a stop followed by a capital ends a sentence."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n(?=\s*[•·\-*–▪◦●])", text):
        flat = " ".join(paragraph.split())
        out.extend(part for part in re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÅ])", flat) if part)
    return out
