"""Single values read off statements as their writers write them: e-mail addresses however
obfuscated or damaged, phone numbers in every Finnish form, business IDs under every label, the
data-protection law among others cited, and the special categories of data items."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from incidents.importer import statement_parse
from incidents.importer.fields import (
    business_id_find,
    domains_find,
    email_repaired,
    emails_find,
    is_business_id_line,
    is_phone_line,
    law_basis_find,
    phones_find,
)
from incidents.registers.classification import data_item_classify

# --- E-mail addresses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "address"),
    [
        ("etunimi.sukunimi(at)yritys.fi", "etunimi.sukunimi@yritys.fi"),
        ("info[at]yritys.fi", "info@yritys.fi"),
        ("info (at) yritys.fi", "info@yritys.fi"),
        ("info {at} yritys.fi", "info@yritys.fi"),
        ("tietosuoja at yritys.fi", "tietosuoja@yritys.fi"),
        ("tietosuoja ät yritys.fi", "tietosuoja@yritys.fi"),
        ("Tietosuoja AT Yritys.fi", "tietosuoja@yritys.fi"),
        ("info(a)yritys.fi", "info@yritys.fi"),
        ("info @ yritys.fi", "info@yritys.fi"),
        ("info@ yritys.fi", "info@yritys.fi"),
        ("info(at)yritys(dot)fi", "info@yritys.fi"),
        ("info(at)yritys[piste]fi", "info@yritys.fi"),
        ("info [at] yritys [dot] fi", "info@yritys.fi"),
        ("anna.andersson(at)exempel(punkt)fi", "anna.andersson@exempel.fi"),
        ("Kysy lisää: tietosuoja at yritys.fi.", "tietosuoja@yritys.fi"),
        ("Matti Meikäläinen, matti.meikalainen ät yritys.fi, 040 123 4567", "matti.meikalainen@yritys.fi"),
    ],
)
def test_an_obfuscated_address_is_read_as_the_address_it_stands_for(written: str, address: str) -> None:
    assert emails_find(written) == [address]


@pytest.mark.parametrize(
    "prose",
    [
        "Please look at www.yritys.fi for details.",
        "at yritys.fi",
        "We are at Kauppakatu 1, 00100 Helsinki.",
        "Find us at yritys.fi",
        "More information is available at yritys.fi/tietosuoja.",
        "The statement is published at https://yritys.fi/tietosuoja.",
        "Opening hours at 9-16.",
        "Seuraa meitä @yritys.fi -tilillä",
        "Sähköposti: tietosuojayritys.fi",  # no @, and the statement shows no yritys.fi
    ],
)
def test_english_prose_with_at_and_a_web_address_is_no_e_mail_address(prose: str) -> None:
    assert emails_find(prose) == []


def test_addresses_are_lower_case_each_once_in_the_order_written() -> None:
    text = (
        "Tietosuoja@Yritys.FI, asiakaspalvelu(at)yritys.fi\n"
        "tietosuoja (at) yritys.fi, kirjaamo [at] kunta [dot] fi"
    )
    assert emails_find(text) == ["tietosuoja@yritys.fi", "asiakaspalvelu@yritys.fi", "kirjaamo@kunta.fi"]


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("Verkkosivut: www.yritys.fi", {"yritys.fi"}),
        (
            "Lue lisää https://www.Yritys.fi/tietosuoja ja http://kauppa.example.com",
            {"yritys.fi", "kauppa.example.com"},
        ),
        ("info(at)yritys.fi, myynti@toinen.fi", {"yritys.fi", "toinen.fi"}),
        # A bare name with a dot is as often a product's name ("Ilopiste.fi -palvelu", seed 004).
        ("Ilopiste.fi -palvelun rekisteriseloste", set()),
        ("look at www.x.fi", {"x.fi"}),
    ],
)
def test_the_domains_a_statement_shows_are_those_of_its_web_and_e_mail_addresses(
    text: str, domains: set[str]
) -> None:
    assert domains_find(text) == domains


WITH_SITE = "Verkkosivut: www.yritys.fi\n"


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (WITH_SITE + "Sähköposti: tietosuojayritys.fi", "tietosuoja@yritys.fi"),
        (WITH_SITE + "Sähköposti: tietosuoja.yritys.fi", "tietosuoja@yritys.fi"),
        (WITH_SITE + "S-posti: Tietosuoja.Yritys.fi.", "tietosuoja@yritys.fi"),
        (WITH_SITE + "E-post: dataskyddyritys.fi", "dataskydd@yritys.fi"),
        (WITH_SITE + "E-mail: privacy.yritys.fi", "privacy@yritys.fi"),
        (WITH_SITE + "Email: etunimi.sukunimiyritys.fi", "etunimi.sukunimi@yritys.fi"),
        (WITH_SITE + "Sähköpostiosoite tietosuojayritys.fi", "tietosuoja@yritys.fi"),
        (WITH_SITE + "Puh. 040 123 4567, sähköposti: tietosuojayritys.fi", "tietosuoja@yritys.fi"),
        ("Kotisivu https://yritys.fi/yhteystiedot\nSähköposti: tietosuojayritys.fi", "tietosuoja@yritys.fi"),
    ],
)
def test_an_address_that_lost_its_at_on_an_e_mail_line_is_repaired_when_its_domain_is_known(
    text: str, address: str
) -> None:
    assert emails_find(text) == [address]


def test_the_domain_of_another_address_is_known_too() -> None:
    text = "asiakaspalvelu@yritys.fi\nSähköposti: tietosuojayritys.fi"
    assert emails_find(text) == ["asiakaspalvelu@yritys.fi", "tietosuoja@yritys.fi"]


@pytest.mark.parametrize(
    "text",
    [
        "Sähköposti: tietosuojayritys.fi",  # the domain is shown nowhere
        WITH_SITE + "Sähköposti: tietosuojatoinen.fi",  # it ends with no known domain
        WITH_SITE + "Sähköposti: yritys.fi",  # no local part: the web address itself
        WITH_SITE + "Sähköposti: www.yritys.fi",
        WITH_SITE + "Palvelin tietosuoja.yritys.fi",  # no e-mail label: as likely a web server
        WITH_SITE + "Lisätietoja: tietosuojayritys.fi",
        "www.tietosuoja.yritys.fi\nwww.yritys.fi\nSähköposti: tietosuoja.yritys.fi",  # a known site
        WITH_SITE + "Sähköposti: tietosuoja-yritys.fi",  # "tietosuoja-@" is no address
    ],
)
def test_a_value_is_not_repaired_into_an_address_without_a_label_and_a_known_domain(text: str) -> None:
    assert emails_find(text) == []


def test_an_address_written_whole_on_an_e_mail_line_is_not_repaired_into_another() -> None:
    text = WITH_SITE + "Sähköposti: info.yritys.fi@gmail.com\nSähköposti: tietosuoja at yritys.fi"
    assert emails_find(text) == ["info.yritys.fi@gmail.com", "tietosuoja@yritys.fi"]


def test_a_section_is_repaired_with_the_domains_of_the_whole_statement() -> None:
    statement = (
        "Rekisterinpitäjä\nYritys Oy, www.yritys.fi\n\nYhteyshenkilö\nSähköposti: tietosuojayritys.fi\n"
    )
    section = "Sähköposti: tietosuojayritys.fi"
    assert emails_find(section) == []
    assert emails_find(section, domains=domains_find(statement)) == ["tietosuoja@yritys.fi"]


@pytest.mark.parametrize(
    ("candidate", "known", "address"),
    [
        ("tietosuojayritys.fi", {"yritys.fi"}, "tietosuoja@yritys.fi"),
        ("tietosuoja.yritys.fi", {"yritys.fi"}, "tietosuoja@yritys.fi"),
        ("TIETOSUOJA.YRITYS.FI.", {"Yritys.fi"}, "tietosuoja@yritys.fi"),
        # The longest known domain it ends with: "info@" at "suojayritys.fi", not "infosuoja@".
        ("infosuojayritys.fi", {"yritys.fi", "suojayritys.fi"}, "info@suojayritys.fi"),
        ("tietosuojayritys.fi", set(), None),
        ("tietosuoja@yritys.fi", {"yritys.fi"}, None),
        ("yritys.fi", {"yritys.fi"}, None),
        ("tietosuoja..yritys.fi", {"yritys.fi"}, None),
        (".yritys.fi", {"yritys.fi"}, None),
    ],
)
def test_a_candidate_is_repaired_only_into_an_address_at_a_known_domain(
    candidate: str, known: set[str], address: str | None
) -> None:
    assert email_repaired(candidate, known) == address


def test_a_statement_s_contact_address_may_be_written_with_the_word_at() -> None:
    text = (
        "Tietosuojaseloste\n\nRekisterinpitäjä\nYritys Oy\nY-tunnus 2332801-7\n\n"
        "Rekisterin nimi\nAsiakasrekisteri\n\n"
        "Yhteyshenkilö\nMaija Meikäläinen, tietosuoja at yritys.fi, puh. (09) 1911\n\n"
        "Rekisterin tietosisältö\nNimi, sähköpostiosoite\n"
    )
    [register] = statement_parse(source="s.txt", text=text).registers
    assert register.contact.person == "Maija Meikäläinen"
    assert register.contact.email == "tietosuoja@yritys.fi"
    assert register.contact.phone == "(09) 1911"


# --- Phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("(09) 1911", "(09) 1911"),
        ("(09) 1911 2345", "(09) 1911 2345"),
        ("044 417 4040", "044 417 4040"),
        ("+358 44 280 5164", "+358 44 280 5164"),
        ("+358 (0)44 280 5164", "+358 (0)44 280 5164"),
        ("09-123 4567", "09-123 4567"),
        ("09 123 4567", "09 123 4567"),
        ("0400 123 456", "0400 123 456"),
        ("010 123 4567", "010 123 4567"),
        ("+358 9 1911 2345", "+358 9 1911 2345"),
        ("puh. 044 4174040", "044 4174040"),
        ("p. 044 417 4040", "044 417 4040"),
        ("tfn 08-123 45 67", "08-123 45 67"),
        ("tel. +46 8 123 456 78", "+46 8 123 456 78"),
        ("Puhelin: +358 50 414 5280", "+358 50 414 5280"),
        ("Puh.040 5158156", "040 5158156"),
        ("Tel.:+358 40 765 4321", "+358 40 765 4321"),
        ("Puhelin 09 1911", "09 1911"),  # six digits, labelled
        ("Vaihde  (09)   1911   2345.", "(09) 1911 2345"),  # whitespace collapsed
        ("Matti, matti(at)firma.fi, 040 123 4567", "040 123 4567"),
    ],
)
def test_a_phone_number_is_read_in_every_finnish_form_as_written(written: str, number: str) -> None:
    assert phones_find(written) == [number]


@pytest.mark.parametrize(
    "text",
    [
        "Y-tunnus 1234567-8",
        "1234567-8",
        "0116297-6",  # a business ID beginning with 0
        "Päivitetty 1.2.2024",
        "Päivitetty 01.02.2024",
        "Laadittu 2024-01-02",
        "00100 Helsinki",
        "FI-00100 Helsinki",
        "PL 100, 00101 Helsinki",
        "tietosuojalaki (1050/2018) ja henkilötietolaki (523/1999)",
        "IBAN FI21 1234 5600 0007 85",
        "IBAN FI49 0123 4567 8901 23",
        "Kauppakatu 10 B 12",
        "Erkkilänkatu 11 A, 33100 Tampere",
        "09 1911",  # six digits with neither label nor parentheses
        "puh. 123",
        "Puhelin: +358 50 1",  # a country code and no number
        "sivu 12, p. 34",
    ],
)
def test_what_only_looks_like_a_phone_number_is_not_one(text: str) -> None:
    assert phones_find(text) == []


def test_the_same_number_spaced_differently_is_found_once_in_the_order_written() -> None:
    text = (
        "Vaihde (09) 1911 2345, gsm 044 417 4040\n"
        "Puhelin 0444174040 tai +358 44 417 4040 tai +358 (0)44 417 4040\n"
        "tel. +46 8 123 456 78, 09-1911 2345, 010 123 4567"
    )
    assert phones_find(text) == ["(09) 1911 2345", "044 417 4040", "+46 8 123 456 78", "010 123 4567"]


def test_a_phone_beside_an_address_a_business_id_and_a_date_is_the_only_number_taken() -> None:
    text = "Firma Oy, Y-tunnus 2316408-3, Katu 1, 00100 Helsinki, puh. 09 123 4567, päivitetty 1.2.2024"
    assert phones_find(text) == ["09 123 4567"]


# --- Business IDs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "business_id"),
    [
        ("F-signum 2344421-0", "2344421-0"),
        ("FO-signum: 2344421-0", "2344421-0"),
        ("FO-nummer 2344421-0", "2344421-0"),
        ("FO nr 2344421-0", "2344421-0"),
        ("FO-nr. 2344421-0", "2344421-0"),
        ("Y-tunnus: 2332801-7", "2332801-7"),
        ("Y-tunnus 1234567-1", "1234567-1"),
        ("Business ID: 2332801-7", "2332801-7"),
        ("VAT FI12345671", "1234567-1"),
        ("VAT number: FI23328017", "2332801-7"),
        ("ALV-numero FI23328017", "2332801-7"),
        ("Momsnummer FI23328017", "2332801-7"),
        ("Y-tunnus/FO-nummer: 2332801-7", "2332801-7"),
        ("LY-tunnus 123456-7", "0123456-7"),
        ("Yhteisötunnus: 2332801-7", "2332801-7"),
        ("Hinnat sis. VAT 24 %", None),
        ("privat 1234567", None),
    ],
)
def test_a_business_id_is_read_under_every_label(written: str, business_id: str | None) -> None:
    assert business_id_find(written) == business_id


@pytest.mark.parametrize(
    ("line", "business_id_line", "phone_line"),
    [
        ("VAT FI12345671", True, False),
        ("FO nr 2344421-0", True, False),
        ("Vatanen Matti", False, False),  # a name that begins with "vat"
        ("Tfn 08-123 45 67", False, True),
        ("(09) 1911 2345", False, True),
        ("P. Virtanen", False, False),  # "p." is a phone label only before a number
        ("Mobilia Oy", False, False),
        ("Telia Finland Oyj", False, False),
    ],
)
def test_a_contact_line_is_told_from_a_business_id_or_phone_line(
    line: str, business_id_line: bool, phone_line: bool
) -> None:
    assert is_business_id_line(line) is business_id_line
    assert is_phone_line(line) is phone_line


# --- The law cited -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "law"),
    [
        ("Laki yksityisyyden suojasta työelämässä (759/2004)", None),
        ("Työelämän tietosuojalaki", None),
        ("Käsittelemme tietoja työelämän tietosuojalain mukaisesti.", None),
        ("Sähköisen viestinnän tietosuojalaki (516/2004)", None),
        ("Työelämän tietosuojalaki ja tietosuojalaki (1050/2018)", "1050/2018"),
        (
            "Lainsäädäntö: kirjanpitolaki (1336/1997), laki yksityisyyden suojasta työelämässä (759/2004), "
            "EU:n yleinen tietosuoja-asetus (2016/679) ja tietosuojalaki (1050/2018)",
            "GDPR",
        ),
        (
            "Lainsäädäntö: työelämän tietosuojalaki (759/2004), tietosuojalaki (1050/2018) ja "
            "EU:n yleinen tietosuoja-asetus",
            "1050/2018",
        ),
        ("Dataskyddsförordningen (EU) 2016/679", "GDPR"),
        ("EU:s allmänna dataskyddsförordning", "GDPR"),
        ("Dataskyddslagen (1050/2018)", "1050/2018"),
        ("Personuppgiftslagen (523/1999)", "523/1999"),
        ("General Data Protection Regulation", "GDPR"),
        ("Data Protection Act (1050/2018)", "1050/2018"),
        ("EU:n tietosuoja-asetus", "GDPR"),
        ("Tietosuoja-asetuksen 13 ja 14 artikla", "GDPR"),
        ("TSA 13 art.", "GDPR"),
        ("Henkilötietolaki (523/1999) 10 §, päivitetty GDPR:n mukaiseksi", "523/1999"),
        ("Noudatamme tietosuojalainsäädäntöä.", None),
        ("Ohje 11050/2018", None),
    ],
)
def test_the_data_protection_law_cited_is_told_from_other_laws(text: str, law: str | None) -> None:
    assert law_basis_find(text) == law


# --- Special categories and the identity code --------------------------------------------------


@pytest.mark.parametrize(
    "item",
    [
        "sairaudet",
        "sairaus",
        "terveydentila",
        "terveydentilatiedot",
        "allergiat",
        "allergia",
        "lääkitys",
        "lääkitykset",
        "erityisruokavalio",  # a diet for health reasons: the kindergarten asks a doctor's statement
        "Lapsen erityisruokavaliot ja allergiat",
        "hälsotillstånd",
        "sjukdomar",
        "allergier",
        "medicinering",
        "specialkost",
        "diagnoosit",
        "hoitotiedot",
        "potilastiedot",
        "sairaalahoitojaksot",
        "Special diet",
        "Medication",
    ],
)
def test_health_data_is_a_special_category(item: str) -> None:
    classification = data_item_classify(item)
    assert classification.data_class.code == "sensitive"
    assert classification.special_category is True
    assert classification.reason == "health"
    assert classification.henkilotunnus is False


@pytest.mark.parametrize(
    "item",
    [
        "henkilötunnus",
        "henkilötunnukset",
        "hetu",
        "HETU",
        "henkilötunnuksen loppuosa",
        "syntymäaika ja henkilötunnus",
        "personbeteckning",
        "personnummer",
        "personal identity code",
        "social security number",
    ],
)
def test_the_personal_identity_code_is_flagged_in_either_language(item: str) -> None:
    classification = data_item_classify(item)
    assert classification.data_class.code == "sensitive"
    assert classification.henkilotunnus is True
    assert classification.special_category is False


@pytest.mark.parametrize(
    ("item", "data_class"),
    [
        ("nimi", "simple"),
        ("sähköpostiosoite", "simple"),
        ("syntymäaika", "simple"),
        ("asiakasnumero", "simple"),
        ("terveisiä", "simple"),
        # A hospital as an employer or a workplace says nothing of the person's health.
        ("sairaala", "simple"),
        ("työnantaja (esim. sairaala)", "simple"),
        # An allergy-friendly dish describes food, not a person.
        ("allergiaystävällinen ruokavalio", "simple"),
        ("ruokavalio", "simple"),
        ("hälsningar", "simple"),
        ("hoitajan nimi", "simple"),
    ],
)
def test_ordinary_items_are_not_special_categories(item: str, data_class: str) -> None:
    classification = data_item_classify(item)
    assert classification.data_class.code == data_class
    assert classification.special_category is False
    assert classification.henkilotunnus is False


# --- Linear in the length of the text ----------------------------------------------------------


def finishes(read: Callable[[str], object], text: str, seconds: float = 10.0) -> bool:
    """Whether reading the text finishes well within a generous bound: catastrophic
    backtracking on 200 kB takes minutes to hours, not seconds."""
    started = time.monotonic()
    read(text)
    return time.monotonic() - started < seconds


LONG_LINES = {
    "a(at) repeated": "a(at)" * 40_000,
    "a (at) a repeated": "a (at) a " * 22_000,
    "a at repeated": "a at " * 40_000,
    "one long word": "a" * 200_000,
    "dotted word": "a." * 100_000,
    "digits and spaces": "0 1 23 456 " * 18_000,
    "a long number": "0" * 200_000,
    "phone-like groups": "0400 123 " * 22_000,
    "hyphens and digits": "09-1-2-" * 28_000,
    "e-mail label": "Sähköposti: " * 16_000 + "a" * 10_000,
}


@pytest.mark.parametrize("read", [emails_find, domains_find, phones_find, business_id_find, law_basis_find])
@pytest.mark.parametrize("line", LONG_LINES.values(), ids=LONG_LINES.keys())
def test_a_200_kb_line_is_read_in_linear_time(read: Callable[[str], object], line: str) -> None:
    assert finishes(read, line)


def test_a_200_kb_data_item_is_classified_in_linear_time() -> None:
    assert finishes(lambda text: data_item_classify(text), "allergiaystävälline" * 10_000)
