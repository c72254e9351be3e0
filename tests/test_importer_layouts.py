"""Statements laid out as other organisations lay them out: beyond the five seeds."""

from __future__ import annotations

import pytest

from incidents.importer import StatementRejected, statement_parse
from incidents.importer.fields import business_id_find, emails_find
from incidents.importer.items import data_items_find
from incidents.registers.business_id import business_id_valid
from incidents.registers.classification import data_item_classify
from tests.importer_support import items, parsed

SWEDISH = """Dataskyddsbeskrivning
EU:s allmänna dataskyddsförordning (2016/679), artiklarna 13 och 14

1. Personuppgiftsansvarig
Stiftelsen Exempelhemmet sr
FO-nummer 0116297-6
Strandvägen 5, 65100 Vasa

2. Kontaktperson i ärenden som gäller registret
Anna Andersson, anna.andersson(at)exempelhemmet.fi, 06 123 4567

3. Registrets namn
Klientregistret för hemvården

4. Ändamålet med behandlingen av personuppgifter
Planering och genomförande av hemvårdstjänster.

5. Registrets datainnehåll
- Namn, personbeteckning, adress och telefonnummer
- Uppgifter om hälsotillstånd och medicinering
- Fakturerings- och betalningsuppgifter

6. Överföring av uppgifter utanför EU eller EES
Uppgifter överförs inte utanför EU eller EES.

7. Besöksloggar
Varje besök i klientens hem antecknas.
"""

MARKDOWN = """# Privacy statement

## Controller

**Name:** Example Analytics Ltd
**Business ID:** 2332801 7
**Address:** Mannerheimintie 1, 00100 Helsinki

## Contact person

Name: Jane Doe
Email: jane.doe[at]example[dot]fi
Phone: +358 40 765 4321

## Name of the register

Web analytics register

## Purpose of processing

Measuring how the web shop is used.

## Personal data processed

* IP address and browser cookies
* Purchase history
* Credit card number

## Transfers outside the EU/EEA

Data may be transferred to the United States under standard contractual clauses.

## Cookie banner

We ask before setting any cookie that is not strictly necessary.
"""

LABELS = """Tietosuojaseloste

Rekisterinpitäjä: Testi Oy
Y-tunnus: 23328017
Rekisterin nimi: Jäsenrekisteri
Yhteyshenkilö: Maija Meikäläinen
Käyttötarkoitus: Jäsenyyden hoitaminen ja jäsenmaksujen perintä.
Rekisterin tietosisältö: nimi, osoite, ammattiliiton jäsenyys, tilinumero
"""

NO_CONTROLLER = """REKISTERISELOSTE

Rekisterin nimi
Asiakaspalautteet

Rekisterin tietosisältö
Nimi, sähköpostiosoite, palautteen sisältö

Sekalaista
Tämä osio ei ole mikään tunnettu otsikko, mutta sen teksti säilyy.
"""


def test_a_swedish_statement_with_numbered_headings() -> None:
    [register] = parsed(SWEDISH)
    assert register["controller_name"] == "Stiftelsen Exempelhemmet sr"
    assert register["business_id"] == "0116297-6"
    assert register["business_id_valid"] is True
    assert register["address"] == "Strandvägen 5, 65100 Vasa"
    assert register["contact_person"] == "Anna Andersson"
    assert register["contact_email"] == "anna.andersson@exempelhemmet.fi"
    assert register["contact_phone"] == "06 123 4567"
    assert register["register_name"] == "Klientregistret för hemvården"
    assert register["purpose"] == "Planering och genomförande av hemvårdstjänster."
    assert items(register) == [
        ("Namn", "simple"),
        ("personbeteckning", "sensitive"),
        ("adress", "simple"),
        ("telefonnummer", "simple"),
        ("Uppgifter om hälsotillstånd och medicinering", "sensitive"),
        ("Fakturerings- och betalningsuppgifter", "financial"),
    ]
    assert register["henkilotunnus"] is True
    assert register["special_categories"] is True
    assert register["transfers_outside_eea"] == "none"
    assert register["law_basis"] == "GDPR"


def test_an_unrecognised_section_is_kept_as_text() -> None:
    [register] = statement_parse(source="sv.txt", text=SWEDISH).registers
    assert {"heading": "7. Besöksloggar", "text": "Varje besök i klientens hem antecknas."} in (
        register.other_sections
    )


def test_a_markdown_statement_in_english() -> None:
    [register] = parsed(MARKDOWN)
    assert register["controller_name"] == "Example Analytics Ltd"
    assert register["business_id"] == "2332801-7"
    assert register["business_id_valid"] is True
    assert register["address"] == "Mannerheimintie 1, 00100 Helsinki"
    assert register["contact_person"] == "Jane Doe"
    assert register["contact_email"] == "jane.doe@example.fi"
    assert register["contact_phone"] == "+358 40 765 4321"
    assert register["register_name"] == "Web analytics register"
    assert register["purpose"] == "Measuring how the web shop is used."
    assert items(register) == [
        ("IP address and browser cookies", "behavioural"),
        ("Purchase history", "behavioural"),
        ("Credit card number", "financial"),
    ]
    assert register["transfers_outside_eea"] == "yes"
    assert register["law_basis"] is None
    [full] = statement_parse(source="en.md", text=MARKDOWN).registers
    assert {
        "heading": "Cookie banner",
        "text": "We ask before setting any cookie that is not strictly necessary.",
    } in (full.other_sections)


def test_label_value_lines_and_a_business_id_without_its_hyphen() -> None:
    [register] = parsed(LABELS)
    assert register["controller_name"] == "Testi Oy"
    assert register["business_id"] == "2332801-7"
    assert register["business_id_valid"] is True
    assert register["register_name"] == "Jäsenrekisteri"
    assert register["contact_person"] == "Maija Meikäläinen"
    assert register["purpose"] == "Jäsenyyden hoitaminen ja jäsenmaksujen perintä."
    assert items(register) == [
        ("nimi", "simple"),
        ("osoite", "simple"),
        ("ammattiliiton jäsenyys", "sensitive"),
        ("tilinumero", "financial"),
    ]
    assert register["special_categories"] is True


def test_a_wrong_check_digit_is_reported_not_corrected() -> None:
    [register] = parsed(LABELS.replace("23328017", "2332801-8"))
    assert register["business_id"] == "2332801-8"
    assert register["business_id_valid"] is False
    assert "Business ID 2332801-8 fails its check digit." in register["warnings"]


def test_a_statement_that_names_no_controller_is_imported_with_a_warning() -> None:
    [register] = statement_parse(source="x.txt", text=NO_CONTROLLER).registers
    data = register.as_json()
    assert data["controller_name"] is None
    assert data["business_id"] is None
    assert data["business_id_valid"] is None
    assert data["register_name"] == "Asiakaspalautteet"
    assert [text for text, _ in items(data)] == ["Nimi", "sähköpostiosoite", "palautteen sisältö"]
    assert data["warnings"][0] == "No controller (rekisterinpitäjä) is named."
    assert data["purpose"] is None and "No purpose of processing is given." in data["warnings"]
    assert {
        "heading": "Sekalaista",
        "text": "Tämä osio ei ole mikään tunnettu otsikko, mutta sen teksti säilyy.",
    } in register.other_sections


def test_a_text_that_is_not_a_privacy_statement_is_refused_with_its_reason() -> None:
    with pytest.raises(StatementRejected) as refused:
        statement_parse(source="kauppalista.txt", text="Maitoa\nLeipää\nKahvia, kaksi pakettia\n")
    assert str(refused.value).startswith("kauppalista.txt: this does not look like a privacy statement")


@pytest.mark.parametrize(
    ("written", "normalised", "valid"),
    [
        ("Y-tunnus: 2332801-7", "2332801-7", True),
        ("Y-tunnus 23328017", "2332801-7", True),
        ("y-tunnus 2332801 - 7", "2332801-7", True),
        ("FO-nummer: 2344421-0", "2344421-0", True),
        ("Business ID FI23164083", "2316408-3", True),
        ("Y-tunnus 737546-2", "0737546-2", True),
        ("Y-tunnus 2332801-1", "2332801-1", False),
        ("Katuosoite 12, 33100 Tampere", None, None),
    ],
)
def test_business_ids_are_found_normalised_and_checked(
    written: str, normalised: str | None, valid: bool | None
) -> None:
    found = business_id_find(written)
    assert found == normalised
    if found is not None:
        assert business_id_valid(found) is valid


def test_check_digit_rule_refuses_a_remainder_of_one() -> None:
    # 1000003: 7*1 + 2*3 = 13, 13 mod 11 = 2 -> check 9; 0000010 -> 4*1 = 4 -> check 7;
    # 0000003: 2*3 = 6 -> 5;  0100000: 9 -> r 9 -> 2; remainder 1: 0000500 -> 8*5=40 -> 40 mod 11 = 7 ...
    assert business_id_valid("1000003-9")
    assert not business_id_valid("1000003-8")
    # 0000006: 2*6 = 12, 12 mod 11 = 1: no check digit can make this valid.
    assert not any(business_id_valid(f"0000006-{digit}") for digit in range(10))


@pytest.mark.parametrize(
    ("written", "address"),
    [
        ("etunimi.sukunimi(at)yritys.fi", "etunimi.sukunimi@yritys.fi"),
        ("info [at] yritys [dot] fi", "info@yritys.fi"),
        ("Tietosuoja@Yritys.FI.", "tietosuoja@yritys.fi"),
        ("kirjaamo(a)kunta.fi", "kirjaamo@kunta.fi"),
    ],
)
def test_email_addresses_are_read_as_people_write_them(written: str, address: str) -> None:
    assert emails_find(written) == [address]


@pytest.mark.parametrize(
    ("text", "data_class", "special", "hetu"),
    [
        ("Henkilötunnus", "sensitive", False, True),
        ("Personbeteckning", "sensitive", False, True),
        ("Terveydentilaa koskevat tiedot", "sensitive", True, False),
        ("Rikostaustaselvitys", "sensitive", True, False),
        ("Trade union membership", "sensitive", True, False),
        ("Sijaintitiedot", "behavioural", False, False),
        ("Location data", "behavioural", False, False),
        ("Pankkitilin numero", "financial", False, False),
        ("Betalningsuppgifter", "financial", False, False),
        ("Laskutusosoite", "simple", False, False),
        ("Sähköpostiosoite", "simple", False, False),
    ],
)
def test_data_items_are_classed_in_three_languages(
    text: str, data_class: str, special: bool, hetu: bool
) -> None:
    classification = data_item_classify(text)
    assert classification.data_class.code == data_class
    assert classification.special_category is special
    assert classification.henkilotunnus is hetu


ONE_LINE = """REKISTERISELOSTE

REKISTERINPITÄJÄ:
Firma Oy, Y-tunnus 2316408-3, Katu 1, 00100 Helsinki

REKISTERIN NIMI:
Asiakasrekisteri

YHTEYSHENKILÖ:
Matti Meikäläinen, matti(at)firma.fi, puh. 040 123 4567

REKISTERIN TIETOSISÄLTÖ:
Nimi, puhelinnumero ja sähköpostiosoite, tilaushistoria ja sen maksutiedot

TIETOJEN SIIRTO EU:N TAI ETA:N ULKOPUOLELLE:
Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.
"""

SWEDISH_LABELS = """Dataskyddsbeskrivning

Personuppgiftsansvarig: Exempel Ab
FO-nummer: 2316408-3
Adress: Handelsesplanaden 10, 65100 Vasa
Kontaktperson: Erik Exempel, erik.exempel@exempel.fi
Registrets namn: Kundregister
Ändamål: Skötsel av kundrelationer och fakturering.
Registrets datainnehåll: namn, adress, e-postadress, köphistorik, kontonummer
Överföring av uppgifter utanför EU: Uppgifter kan överföras till tredje land.
Lagringstid: Uppgifterna sparas i fem år.
"""

# English, a combined disclosures-and-transfers heading, and how long data is kept said under the
# purpose heading.
COMBINED = """Privacy notice

Controller
Northwind Ltd, Business ID 2344421-0, Aleksanterinkatu 5, 00100 Helsinki

Contact person
Sam Smith, privacy@northwind.example

Name of the register
Newsletter subscribers

Purpose of processing
Sending the monthly newsletter to those who subscribed.

Subscriber data is kept for as long as the subscription lasts and deleted a month after it ends.

Personal data processed
E-mail address, language and date of subscribing

Disclosures and transfers outside the EU/EEA
The mailing service provider processes the addresses on our behalf.
Addresses may be transferred to the United States under standard contractual clauses.
"""


def test_a_controller_written_on_one_line_under_capital_headings_with_colons() -> None:
    [register] = parsed(ONE_LINE)
    assert register["controller_name"] == "Firma Oy"
    assert register["business_id"] == "2316408-3"
    assert register["business_id_valid"] is True
    assert register["address"] == "Katu 1, 00100 Helsinki"
    assert register["contact_person"] == "Matti Meikäläinen"
    assert register["contact_email"] == "matti@firma.fi"
    assert register["contact_phone"] == "040 123 4567"
    assert register["register_name"] == "Asiakasrekisteri"
    # "tilaushistoria ja sen maksutiedot": the payment data of the orders, one item.
    assert items(register) == [
        ("Nimi", "simple"),
        ("puhelinnumero", "simple"),
        ("sähköpostiosoite", "simple"),
        ("tilaushistoria ja sen maksutiedot", "financial"),
    ]
    assert register["transfers_outside_eea"] == "none"


def test_swedish_label_lines_fill_their_fields() -> None:
    [full] = statement_parse(source="sv.txt", text=SWEDISH_LABELS).registers
    register = full.as_json()
    assert register["controller_name"] == "Exempel Ab"
    assert register["business_id"] == "2316408-3"
    assert register["address"] == "Handelsesplanaden 10, 65100 Vasa"
    assert register["contact_person"] == "Erik Exempel"
    assert register["contact_email"] == "erik.exempel@exempel.fi"
    assert register["register_name"] == "Kundregister"
    assert register["purpose"] == "Skötsel av kundrelationer och fakturering."
    assert items(register) == [
        ("namn", "simple"),
        ("adress", "simple"),
        ("e-postadress", "simple"),
        ("köphistorik", "behavioural"),
        ("kontonummer", "financial"),
    ]
    assert register["transfers_outside_eea"] == "yes"  # "kan överföras": it may happen
    assert full.transfers_details == "Uppgifter kan överföras till tredje land."
    assert full.retention == "Uppgifterna sparas i fem år."
    # Every field it leaves empty is named, for the reader to fill in.
    assert register["warnings"] == [
        "No phone number is given for the contact person or the controller.",
        "Not found in the statement, to fill in on the register: legal basis, data subjects, sources, "
        "disclosures, security measures.",
    ]


def test_a_combined_disclosures_and_transfers_section_and_retention_under_the_purpose() -> None:
    [full] = statement_parse(source="en.txt", text=COMBINED).registers
    register = full.as_json()
    assert register["controller_name"] == "Northwind Ltd"
    assert register["business_id"] == "2344421-0"
    assert register["address"] == "Aleksanterinkatu 5, 00100 Helsinki"
    assert register["purpose"] == "Sending the monthly newsletter to those who subscribed."
    assert full.retention == (
        "Subscriber data is kept for as long as the subscription lasts and deleted a month after it ends."
    )
    assert items(register) == [
        ("E-mail address", "simple"),
        ("language", "simple"),
        ("date of subscribing", "simple"),
    ]
    assert full.disclosures == "The mailing service provider processes the addresses on our behalf."
    assert full.transfers_details == (
        "Addresses may be transferred to the United States under standard contractual clauses."
    )
    assert register["transfers_outside_eea"] == "yes"


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Käyttäjätunnus ja salasana", ["Käyttäjätunnus", "salasana"]),
        ("käyttäjätunnus ja voimassaolevat palvelut", ["käyttäjätunnus", "voimassaolevat palvelut"]),
        ("Henkilön etu- ja sukunimi", ["Henkilön etu- ja sukunimi"]),
        ("tiedot luvista ja kielloista", ["tiedot luvista ja kielloista"]),
        ("sähköpostiosoite ja muut yhteystiedot", ["sähköpostiosoite ja muut yhteystiedot"]),
        ("palvelut, niiden käyttötiedot", ["palvelut, niiden käyttötiedot"]),
        ("namn, adress och telefonnummer", ["namn", "adress", "telefonnummer"]),
        ("services, their usage", ["services, their usage"]),
    ],
)
def test_a_list_is_split_into_items_as_a_reader_splits_it(sentence: str, found: list[str]) -> None:
    assert [item.text for item in data_items_find(sentence)] == found
