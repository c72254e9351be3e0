"""Layouts a careful reader follows, each in a statement written for it (issue 17)."""

from __future__ import annotations

import pytest

from incidents.importer import statement_parse
from incidents.importer.remnants import remnants_clear
from tests.importer_support import items, parsed

MARKDOWN_REMNANTS = """---
title: Verkkokaupan asiakasrekisterin tietosuojaseloste
date: 2025-03-14
layout: page
---

# Tietosuojaseloste

## Rekisterinpitäjä

```
Nimi: Kauppa Lumikki Oy
Y-tunnus: 2332801-7
Osoite: Hämeenkatu 5 B<br />33100 Tampere
```

## Yhteyshenkilö

Liisa Laine<br />liisa.laine(at)lumikki.fi<br />044 417 4040

## Rekisterin nimi

**Verkkokaupan asiakasrekisteri**

## Rekisterin tietosisältö

**Perustiedot**

- nimi
- toimitusosoite
  - katuosoite
  - postinumero
- sähköpostiosoite

**Tilaustiedot**

- tilaushistoria

## Tietojen luovutus

Käytämme seuraavia käsittelijöitä:

| Käsittelijä | Tehtävä | Sijainti |
|---|---|---|
| Posti Oy | kuljetukset | Suomi |
| Mailer Inc¹ | uutiskirjeet | ks. alaviite |

¹ Mailer Inc:n palvelimet sijaitsevat Yhdysvalloissa; siirto perustuu komission vakiosopimuslausekkeisiin.
"""


def test_markdown_and_html_remnants_do_not_end_up_in_the_fields() -> None:
    [register] = parsed(MARKDOWN_REMNANTS)
    assert register["controller_name"] == "Kauppa Lumikki Oy"
    assert register["business_id"] == "2332801-7"
    assert register["address"] == "Hämeenkatu 5 B, 33100 Tampere"
    assert register["contact_person"] == "Liisa Laine"
    assert register["contact_email"] == "liisa.laine@lumikki.fi"
    assert register["contact_phone"] == "044 417 4040"
    assert register["register_name"] == "Verkkokaupan asiakasrekisteri"
    # Bold sub-headings group the items and nested bullets are items; neither is a section.
    assert [text for text, _class in items(register)] == [
        "nimi",
        "toimitusosoite",
        "katuosoite",
        "postinumero",
        "sähköpostiosoite",
        "tilaushistoria",
    ]
    # The only word of a transfer is the table's footnote.
    assert register["transfers_outside_eea"] == "yes"


def test_front_matter_keeps_its_title_and_date_and_drops_the_sites_keys() -> None:
    cleared = remnants_clear(MARKDOWN_REMNANTS)
    assert cleared.startswith("Verkkokaupan asiakasrekisterin tietosuojaseloste\nDate: 2025-03-14\n")
    assert "layout" not in cleared and "```" not in cleared and "<br" not in cleared
    [register] = statement_parse(source="s.md", text=MARKDOWN_REMNANTS).registers
    assert str(register.document_date) == "2025-03-14"


def test_a_table_row_reads_as_its_cells_and_a_two_column_row_as_a_label_and_value() -> None:
    cleared = remnants_clear("| Nimi | Kauppa Oy |\n|:--|--:|\n| a | b | c |\n")
    assert cleared.split("\n")[:2] == ["Nimi: Kauppa Oy", "a, b, c"]


QUESTIONS = """Tietosuojaseloste

Kuka olen?

Olen valmentaja Maija Virta ja toimin toiminimellä Valmennus Virta (Y-tunnus 2316408-3).
Valmennus Virta, Kalevankatu 4, 00100 Helsinki

Mitä henkilötietoja keräämme ja miksi?

Käytämme tietoja valmennussopimuksen hoitamiseen ja laskutukseen.

Keräämme seuraavia tietoja:
- nimi
- puhelinnumero
- terveydentila
- allergiat

Kuinka kauan säilytämme tietoja?

Tietoja säilytetään kaksi vuotta valmennuksen päättymisestä.

### Siirretäänkö tietoja EU:n ulkopuolelle?

Tietoja ei siirretä EU:n tai ETA:n ulkopuolelle.
"""


def test_headings_written_as_questions_or_in_the_first_person() -> None:
    [full] = statement_parse(source="q.txt", text=QUESTIONS).registers
    register = full.as_json()
    assert register["business_id"] == "2316408-3"
    assert register["purpose"] == "Käytämme tietoja valmennussopimuksen hoitamiseen ja laskutukseen."
    assert [text for text, _class in items(register)] == [
        "nimi",
        "puhelinnumero",
        "terveydentila",
        "allergiat",
    ]
    assert register["special_categories"] is True
    assert full.retention == "Tietoja säilytetään kaksi vuotta valmennuksen päättymisestä."
    assert register["transfers_outside_eea"] == "none"


SWEDISH_QUESTIONS = """Dataskyddsbeskrivning

Vem är personuppgiftsansvarig?
Föreningen Exempel rf, FO-nummer 2316408-3, Storgatan 1, 65100 Vasa

Vilka uppgifter samlar vi in?
- namn
- personbeteckning
- hälsotillstånd

Hur länge sparar vi uppgifterna?
Uppgifterna sparas i tre år.

Överförs uppgifterna utanför EU?
Uppgifterna överförs inte utanför EU/EES.
"""


def test_swedish_question_headings_and_words() -> None:
    [full] = statement_parse(source="sv.txt", text=SWEDISH_QUESTIONS).registers
    register = full.as_json()
    assert register["controller_name"] == "Föreningen Exempel rf"
    assert register["business_id"] == "2316408-3"
    assert [text for text, _class in items(register)] == ["namn", "personbeteckning", "hälsotillstånd"]
    assert register["henkilotunnus"] is True
    assert register["special_categories"] is True
    assert full.retention == "Uppgifterna sparas i tre år."
    assert register["transfers_outside_eea"] == "none"


DEFINITION_LIST = """TIETOSUOJASELOSTE

Rekisterin ylläpitäjä:
Asunto Oy Koivukuja
Y-tunnus:
2332801-7
Koivukuja 3
40100 Jyväskylä

Rekisterin nimi:
Osakasluettelo

Käyttötarkoitus:
Osakkeenomistajien ja asukkaiden tietojen ylläpito.

Rekisterin tietosisältö:
nimi, huoneiston numero, puhelinnumero, sähköpostiosoite
"""


def test_definition_lists_with_the_value_on_the_line_after_its_label() -> None:
    [register] = parsed(DEFINITION_LIST)
    assert register["controller_name"] == "Asunto Oy Koivukuja"
    assert register["business_id"] == "2332801-7"
    assert register["address"] == "Koivukuja 3, 40100 Jyväskylä"
    assert register["register_name"] == "Osakasluettelo"
    assert register["purpose"] == "Osakkeenomistajien ja asukkaiden tietojen ylläpito."
    assert [text for text, _class in items(register)] == [
        "nimi",
        "huoneiston numero",
        "puhelinnumero",
        "sähköpostiosoite",
    ]


PROSE = """Tietosuojaseloste

Rekisterinpitäjä on Kuvaamo Helmi Oy (Y-tunnus 2332801-7), Kauppakatu 8, 40100
Jyväskylä. Yhteyshenkilönä toimii Helmi Hakala, helmi(at)kuvaamohelmi.fi, puh. 044 417 4040.

Käsittelemme asiakkaiden tietoja kuvausten varaamista ja laskutusta varten. Keräämme
seuraavia tietoja: nimi, sähköpostiosoite, puhelinnumero ja laskutusosoite.

Tietoja ei luovuteta eikä siirretä EU:n tai ETA:n ulkopuolelle.
"""


def test_free_prose_without_headings() -> None:
    [register] = parsed(PROSE)
    assert register["controller_name"] == "Kuvaamo Helmi Oy"
    assert register["business_id"] == "2332801-7"
    assert register["address"] == "Kauppakatu 8, 40100 Jyväskylä"
    assert register["contact_person"] == "Helmi Hakala"
    assert register["contact_email"] == "helmi@kuvaamohelmi.fi"
    assert register["contact_phone"] == "044 417 4040"
    assert (
        register["purpose"] == "Käsittelemme asiakkaiden tietoja kuvausten varaamista ja laskutusta varten."
    )
    assert [text for text, _class in items(register)] == [
        "nimi",
        "sähköpostiosoite",
        "puhelinnumero",
        "laskutusosoite",
    ]
    assert register["transfers_outside_eea"] == "none"
    # No heading names the register: a name is composed, and the warning says from what.
    assert register["register_name"] == "Kuvaamo Helmi Oy – henkilörekisteri"
    assert (
        "Register name: the statement gives none; “Kuvaamo Helmi Oy – henkilörekisteri” was composed "
        "from the controller's name. Check it." in register["warnings"]
    )


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Jäsenrekisterin tietosuojaseloste", "Jäsenrekisteri"),
        ("Tietosuojaseloste – Uutiskirjeen tilaajat", "Uutiskirjeen tilaajat"),
        ("Dataskyddsbeskrivning för kundregistret", "Kundregistret"),
        ("Privacy notice: Event participants", "Event participants"),
    ],
)
def test_a_register_name_is_composed_from_the_title_when_no_heading_gives_one(title: str, name: str) -> None:
    text = f"{title}\n\nRekisterinpitäjä\nEsimerkki Oy\n\nKäyttötarkoitus\nAsiakassuhteen hoito.\n"
    [register] = parsed(text)
    assert register["register_name"] == name
    assert any(w.startswith("Register name:") and "the statement's title" in w for w in register["warnings"])


CONTACTS_LAST = """Tietosuojaseloste

Käyttötarkoitus

Henkilötietoja käytetään jäsenyyden hoitamiseen.

Rekisterin tietosisältö

- nimi
- syntymäaika

Rekisterin nimi

Jäsenrekisteri

Rekisterinpitäjä

Tampereen Sulkapallo ry, Y-tunnus 2316408-3
Urheilukatu 2, 33100 Tampere

Yhteyshenkilö

Pekka Puro, pekka.puro@sulkis.fi
"""


def test_the_controller_and_contact_at_the_end_and_the_name_after_the_contents() -> None:
    [register] = parsed(CONTACTS_LAST)
    assert register["controller_name"] == "Tampereen Sulkapallo ry"
    assert register["address"] == "Urheilukatu 2, 33100 Tampere"
    assert register["contact_person"] == "Pekka Puro"
    assert register["register_name"] == "Jäsenrekisteri"
    assert register["purpose"] == "Henkilötietoja käytetään jäsenyyden hoitamiseen."


def test_each_field_not_found_is_named_in_the_warnings() -> None:
    [register] = parsed("Tietosuojaseloste\n\nKäyttötarkoitus\nUutiskirjeen lähettäminen.\n")
    warnings = register["warnings"]
    assert "No controller (rekisterinpitäjä) is named." in warnings
    assert "No contact person is named." in warnings
    assert "No e-mail address is given for the contact person or the controller." in warnings
    assert "No phone number is given for the contact person or the controller." in warnings
    assert "No data items were found." in warnings
    assert warnings[-1] == (
        "Not found in the statement, to fill in on the register: legal basis, data subjects, sources, "
        "disclosures, retention, security measures."
    )
