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
        r"([\wäöå-]+ ){0,3}yhteyshenkilö|"
        r"(rekisteriä hoitava|rekisteristä vastaava|rekisteriasioista vastaava) henkilö|vastuuhenkilö|"
        r"rekisterinhoitaja|kontaktperson|contact person|person in charge|"
        # Headings written as questions: "Keneen voin ottaa yhteyttä?", "Vem kan jag kontakta?"
        r"(keneen|kehen|kenelle) (voi|voit|voin|voitte) (ottaa yhteyttä|olla yhteydessä)|"
        r"vem (kan|ska) (jag|du|man) (kontakta|vända)|who (can|should) (i|you) contact",
    ),
    (
        Kind.CONTROLLER,
        r"(yhteis)?rekisterin ?pitäjä|(gemensamt )?personuppgiftsansvarig|registeransvarig|"
        r"(joint |data )?controllers?\b|personuppgiftsansvariga|rekisterin ylläpitäjä|"
        # In the first person or as a question: "Kuka olen", "Keitä olemme?", "Vem är vi?"
        r"kuka (olen|olemme|on rekisterinpitäjä|vastaa)|keitä olemme|meistä$|"
        r"vem (är|ansvarar)\b|vilka är vi|"
        r"who (am i|are we|we are|is (the )?(data )?controller|is responsible)|about us",
    ),
    (
        Kind.REGISTER_NAME,
        r"(rekisterin|rekisterien) nim|registrets namn|registrens namn|(the )?name of the register|"
        r"register name|registers?$|rekisterit$|"
        r"(mikä|mistä) (henkilö)?rekister|mikä on rekisterin nimi|vad heter registret|vilket register|"
        r"which register|what is the register called",
    ),
    (
        Kind.PURPOSE,
        r"(henkilötietojen |rekisterin )?(käsittelyn )?(ja rekisterin )?(käyttö)?tarkoitu(s|ks)|"
        r"(henkilötietojen käsittelyn ja rekisterin )?käyttötarkoitu(s|ks)|(ändamål|syfte)|"
        r"(the )?purposes?\b|"
        r"miksi\b|mihin (tarkoitukseen|tarkoituksiin|käytämme|(henkilö)?tietoja(si)? käytetään)|"
        r"mihin käytän|(miten|kuinka) (käytämme|käytän)|varför\b|för vilka ändamål|till vad|hur använder vi|"
        r"why\b|"
        r"(for )?what purposes?|how (do )?we use",
    ),
    (
        Kind.LEGAL_BASIS,
        r"(rekisterin ylläpitämisen |henkilötietojen käsittelyn |käsittelyn |rekisterin )?(oikeus)?peruste|"
        r"(rättslig|laglig) grund|grund(en)? för (behandlingen|registret)|(legal|lawful) basis|"
        r"millä (oikeus)?perusteella|mihin (käsittely|tietojen käsittely|henkilötietojen käsittely) perustuu|"
        r"på vilken (rättslig )?grund|on what (legal )?(basis|grounds)",
    ),
    (
        Kind.DATA_SUBJECTS,
        r"rekisteröityjen (ryhmät|joukko|piiri)|rekisteröidyt|registrerade$|kategorier av registrerade|"
        r"(categories of )?data subjects|keitä (rekisteri|tiedot)|kenen (henkilö)?tietoja|"
        r"vems (person)?uppgifter|whose (personal )?data",
    ),
    (
        Kind.DATA_ITEMS,
        r"(rekisterin )?tietosisältö|rekisterissä olevat tiedot|rekisteröitävät tiedot|rekisterin sisältämät|"
        r"(käsiteltävät|kerättävät|kerätyt|tallentuvat|tallennettavat|tallennetut|rekisteröitävät) "
        r"(henkilö)?tiedot|henkilötietoryhmät|"
        r"registrets (data)?innehåll|uppgifter (i|som ingår i) registret|(kategorier av )?personuppgifter|"
        r"uppgifter som (registreras|behandlas|samlas in|lagras|sparas)|"
        r"(categories of )?personal data|data content|contents of the register|data items|"
        r"mitä (henkilö)?tieto(ja|jasi)|mitä tietoja|mitkä (henkilö)?tiedot|"
        r"vilka (person)?uppgifter|vad för (person)?uppgifter|"
        r"what (personal )?(data|information)|which (personal )?(data|information)",
    ),
    (
        Kind.SOURCES,
        r"(säännönmukaiset )?tietolähteet|mistä tiedot saadaan|(regelmässiga )?uppgiftskällor|"
        r"(regular )?(sources|source of (the )?data)|"
        r"mistä (saamme|keräämme|tiedot|tietoja|henkilötiedot|henkilötietoja)|varifrån\b|"
        r"where (do we get|does the data come|we get)",
    ),
    (
        Kind.TRANSFERS,
        r"(tietojen |henkilötietojen )?siirt\w* (eu|eta|euroopan|kolmansiin)|"
        r"överföring\w* (av uppgifter |av personuppgifter )?(utanför|till tredje)|"
        r"(international )?transfers?( of (personal )?data)? (outside|to third)|"
        r"(siirretäänkö|siirrämmekö|siirränkö|siirtyvätkö) (henkilö)?tieto\w*|"
        r"(överförs|överför vi) (person)?uppgifter\w*|(do we|are (your )?(personal )?data) transferr?(ed)?",
    ),
    (
        Kind.DISCLOSURES,
        r"(säännönmukaiset |tietojen |henkilötietojen )*(luovutu|luovuttaminen|vastaanottajat)|"
        r"(regelmässigt )?utlämn|mottagare|(regular )?(disclosures?|recipients)|"
        r"(kenelle|kenen kanssa) (luovutamme|tietoja(si)? luovutetaan|jaamme|tietoja(si)?)|"
        r"(luovutammeko|luovutetaanko)|vem (lämnar vi ut|delar vi|får (ta del av|tillgång))|till vem|"
        r"lämnar vi ut|who (do we share|receives|gets)|with whom",
    ),
    (
        Kind.RETENTION,
        r"(henkilötietojen |tietojen )?(säilytysaika|säilyttäminen|säilytys)|lagringstid|(data )?retention|"
        r"(kuinka|miten) (kauan|pitkään)|kauanko|hur länge|how long",
    ),
    (
        Kind.SECURITY,
        r"(kuvaus )?(rekisterin )?(suojau|suojaa)|tietoturva|"
        r"(principerna för |principer för )?(registrets )?skydd|"
        r"säkerhet|(principles of )?(register |data )?(protection|security)|"
        r"(miten|kuinka) (suojaamme|suojataan|tiedot suojataan|tietosi suojataan|huolehdimme)|"
        r"hur (skyddar|skyddas)|how (do )?we (protect|secure|keep)",
    ),
    (
        Kind.RIGHTS,
        r"tarkastusoikeus|oikaisu|(henkilötietojen käsittelyyn liittyvät )?rekisteröidyn oikeudet|"
        r"den registrerades rättigheter|rätt till insyn|(rights of the data subject|your rights)|"
        r"(mitkä|mitä) (ovat |on )?(sinun |rekisteröidyn )?oikeu|oikeutesi|sinun oikeutesi|dina rättigheter|"
        r"vilka rättigheter|what (are )?(your )?rights",
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
    normal = re.sub(r"\s+", " ", heading.strip().rstrip(":?").strip().lower())
    normal = re.sub(r"^(§\s*)?\d{1,2}(\.\d{1,2})*[.)]?\s+", "", normal)
    for kind, pattern in _HEADING_PATTERNS:
        if pattern.match(normal):
            return kind
    # "Kameravalvonnan tarkoitus", "Jäsenrekisterin tietosisältö": a genitive before the subject.
    first, _space, rest = normal.partition(" ")
    if rest and first.endswith("n") and len(first) > 3 and len(rest.split()) <= 3:
        for kind, pattern in _HEADING_PATTERNS:
            match = pattern.match(rest)
            if match is not None and match.end() == len(rest):
                return kind
    return None


def heading_kinds(heading: str) -> set[Kind]:
    """Every kind a combined heading covers ("Käyttötarkoitus ja peruste")."""
    normal = heading.lower().rstrip("?")
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
    inferred: bool = False  # read from running text, under no heading of its own (prose.py)

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


_FINITE_VERB = re.compile(
    r"\b(on|ovat|toimii|vastaa|käsitellään|käytetään|kerätään|tallennetaan|säilytetään|luovutetaan|"
    r"är|ansvarar|behandlas|används|samlas|lagras|sparas|lämnas|is|are|will)\b"
)


def _is_sentence(line: str) -> bool:
    """ "Yhteyshenkilö rekisteriä koskevissa asioissa on kuoron sihteeri Tuula": a sentence that an
    editor wrapped, which starts with a heading's words but says something."""
    return len(line.split()) >= 6 and (_FINITE_VERB.search(line) is not None or line.endswith(","))


def _is_question_heading(line: str) -> bool:
    """ "Mitä henkilötietoja keräämme ja miksi?" is a heading when its words are a heading's."""
    return line.endswith("?") and _is_heading_shaped(line[:-1]) and heading_kind(line) is not None


# The label of a contact detail standing on its own line, its value below ("Y-tunnus" / "0215472-4").
_DETAIL_LABEL = re.compile(
    r"^(y-?tunnus|yritystunnus|fo-?nummer|fo-?signum|f-signum|business id|(posti|käynti|laskutus)?osoite|"
    r"(post|besöks|faktura)?adress|(postal |visiting )?address|puh(elin)?|puhelinnumero|tel(efon|ephone)?|"
    r"phone|matkapuhelin|sähköposti(osoite)?|e-?post(adress)?|e-?mail|www|kotisivu|verkkosivu\w*|"
    r"webbplats|website|nimi|namn|name)\s*:?$",
    re.IGNORECASE,
)


def _looks_like_title(line: str) -> bool:
    """An unrecognised heading standing alone: short, sentence case, no digits. Names of people
    and companies (every word capitalised) are not headings, nor the label of a detail."""
    if _DETAIL_LABEL.match(line) or ": " in line:  # nor a "Label: value" line
        return False
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
    if _FINITE_VERB.search(label.group(1)):
        return None  # "Personuppgifterna behandlas för att ...: ta emot" is a sentence, not a label
    kind = heading_kind(label.group(1))
    return Section(heading=label.group(1), kind=kind, lines=[label.group(2)]) if kind else None


def _headings_run_into_text(lines: list[str]) -> bool:
    """Whether this statement writes its text straight under its headings, with no blank line
    between (seed 004); then an unrecognised heading has no blank line after it either."""
    for index, line in enumerate(lines[:-1]):
        plain = _plain(line)
        if (
            plain
            and _is_heading_shaped(plain)
            and not _is_sentence(plain)
            and heading_kind(plain) is not None
        ):
            return bool(lines[index + 1].strip())
    return False


_CONNECTIVE_WORDS = (" ja", " tai", " sekä", " och", " eller", " samt", " and", " or", " &", "**")
_CONNECTIVE_END = re.compile(r"\s(ja|tai|sekä|och|eller|samt|and|or|&)$", re.IGNORECASE)


def _headings_joined(lines: list[str]) -> list[str]:
    """A heading the editor wrapped ("8. Tietojen luovutukset ja tietojen siirto EU:n tai" /
    "ETA:n ulkopuolelle") as the one line it is."""
    out: list[str] = []
    skip = False
    for index, line in enumerate(lines):
        if skip:
            skip = False
            continue
        if not line.endswith(_CONNECTIVE_WORDS):
            out.append(line)
            continue
        plain = _plain(line)
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if (
            _CONNECTIVE_END.search(plain)
            and (_NUMBERED.match(plain) or heading_kind(plain) is not None)
            and following
            and len(following.split()) <= 6
            and not following.endswith(_SENTENCE_END)
        ):
            out.append(f"{line} {following}")
            skip = True
        else:
            out.append(line)
    return out


def sections_split(text: str, *, subheadings: frozenset[str] = frozenset()) -> list[Section]:
    """The statement as sections, in order; the first holds what comes before any heading.

    ``subheadings`` (in lower case) are lines that head a part of a section, such as the names of
    the registers a statement describes under its data-content heading, not a new section.
    """
    lines = _headings_joined([line.rstrip() for line in text.split("\n")])
    run_in = _headings_run_into_text(lines)
    # Whether the statement writes its headings in bold. If it does not, a bold line is a
    # sub-heading inside a section ("**Asiakkaan perustiedot**" under "Tietosisältö").
    bold_headings = any(
        heading_kind(_plain(raw)) is not None for raw in lines if raw.lstrip().startswith(("**", "__"))
    )
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
        # An indented "1. ..." is an item of a nested list, never a heading.
        numbered = _NUMBERED.match(line) if raw[:1] not in (" ", "\t") else None
        blank_before = index == 0 or not lines[index - 1].strip()
        blank_after = index + 1 == len(lines) or not lines[index + 1].strip()
        first_in_section = bool(sections[-1].heading) and not has_text
        labelled = _label_section(line)
        shaped = (_is_heading_shaped(line) and not _is_sentence(line)) or _is_question_heading(line)
        kind = heading_kind(line) if shaped and labelled is None else None

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
        items_group = sections[-1].kind is Kind.DATA_ITEMS and line.endswith(":")
        if (
            kind is None
            and bold
            and not markdown
            and (not bold_headings or items_group)
            and sections[-1].kind
        ):
            # Under the data content it names a group of items; elsewhere it is only emphasis.
            group = sections[-1].kind is Kind.DATA_ITEMS and not line.endswith(":")
            sections[-1].lines.append(f"{line}:" if group else line)
            has_text = True
            continue
        # A bold line straight under a heading is that section's first line ("**Firma ry**"
        # under "Kuka on rekisterinpitäjä?"), not a heading of its own.
        marked = markdown or (bold and not first_in_section)
        if kind is not None or (marked and _is_heading_shaped(line.rstrip("?"))):
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
        # A paragraph's first line, wrapped by the editor, runs on in lower case on the next.
        runs_on = not blank_after and lines[index + 1].lstrip()[:1].islower()
        title = _looks_like_title(line) and not _is_sentence(line) and not runs_on
        if stands_alone and not first_in_section and not in_address and title:
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
