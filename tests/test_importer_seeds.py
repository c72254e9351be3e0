"""The five seed statements, read field by field as a careful reader reads them."""

from __future__ import annotations

import datetime as dt

import pytest

from incidents.importer import JSON_KEYS, statement_parse
from tests.importer_support import SEEDS, SHARED_SEEDS, items, parsed, seed_text


def test_the_repository_keeps_the_same_five_seeds_as_the_design() -> None:
    ours = sorted(path.name for path in SEEDS.glob("*.txt"))
    assert len(ours) == 5
    if SHARED_SEEDS.is_dir():
        for name in ours:
            assert (SEEDS / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


def test_seed_000_joint_controllers_and_a_transfer_that_may_happen() -> None:
    [register] = parsed(seed_text("000"), "000.txt")
    assert list(register) == list(JSON_KEYS)
    assert register["controller_name"] == "Optimal Performance Oy"
    assert register["business_id"] == "2332801-7"
    assert register["business_id_valid"] is True
    assert register["address"] == "Erkkilänkatu 11 A, 33100 Tampere"
    assert register["contact_person"] == "Joni Jaakkola"
    assert register["contact_email"] == "joni@optimalperformance.fi"
    assert register["contact_phone"] == "+358 50 414 5280"
    assert register["register_name"] == (
        "Optimal Performance Oy:n ja Optimal Performance Center Finland Oy:n asiakasrekisteri"
    )
    assert register["purpose"].startswith("Rekisterin käyttötarkoitus on OP:n ja OPC:n asiakasrekisterin")
    assert items(register) == [
        ("Henkilön etu- ja sukunimi", "simple"),
        ("Sähköpostiosoite", "simple"),
        ("Postiosoite", "simple"),
        ("Puhelinnumero", "simple"),
        ("Tiedot käsitellyistä tilauksista", "behavioural"),
        (
            "Tilausten seurantatiedot OP:n tai OPC:n käyttämien palveluntarjoajien järjestelmistä",
            "behavioural",
        ),
    ]
    assert register["special_categories"] is False
    assert register["henkilotunnus"] is False
    # "ei siirretä EU:n ulkopuolelle, ellei se ole ... tarpeellista": it may happen.
    assert register["transfers_outside_eea"] == "yes"
    assert register["law_basis"] == "523/1999"
    assert register["warnings"] == [
        "Joint controller Optimal Performance Center Finland Oy is named without a business ID."
    ]
    statement = statement_parse(source="000.txt", text=seed_text("000"))
    [full] = statement.registers
    assert full.joint_controllers == ["Optimal Performance Center Finland Oy"]
    assert full.transfers_details is not None and "ellei" in full.transfers_details
    assert full.legal_basis is not None and full.legal_basis.startswith("Henkilöon rekisteröitynyt")
    assert full.security_measures == (
        "Rekisteriä ei luovuteta sivullisille. Rekisterin käyttöoikeus edellyttää OP:n ja OPC:n sisäisten "
        "järjestelmien käyttöoikeuksia. Rekisteri sijaitsee OP:n ja OPC:n salasanasuojatulla palvelimella."
    )
    assert statement.document_date is None


def test_seed_001_health_data_and_henkilotunnus_but_no_contact_person() -> None:
    [register] = parsed(seed_text("001"))
    assert register["controller_name"] == "Elämäsi Kunnossa Terveyspalvelut Oy"
    assert register["business_id"] == "2511641-3"
    assert register["business_id_valid"] is True
    assert register["address"] == "Porrassalmenkatu 21, 2krs., 50100 Mikkeli"
    # Access requests go to a named person, but the statement names no contact person: not guessed.
    assert register["contact_person"] is None
    assert register["contact_email"] is None
    assert register["contact_phone"] is None
    assert register["register_name"] == "Elämäsi Kunnossa Terveyspalvelut - asiakasrekisteri"
    assert register["purpose"].startswith("Henkilötietoja käsitellään tilauksen, luototuksen, laskutuksen")
    assert items(register) == [
        ("Asiakkaan etu- ja sukunimi", "simple"),
        ("asiakasnumero", "simple"),
        ("osoitteet", "simple"),
        ("puhelinnumero", "simple"),
        ("sähköpostiosoite", "simple"),
        ("syntymäaika tai henkilötunnus", "sensitive"),
        ("sukupuoli", "simple"),
        ("kielitunnus", "simple"),
        ("tiedot markkinoinnin luvista ja kielloista", "simple"),
        ("Ostotapahtuma- ja asiointitiedot", "behavioural"),
        ("terveysprofiilitiedot", "sensitive"),
        ("asiakastiedot ja muut vastaavat ryhmittelytiedot", "behavioural"),
        ("Käyttäjätunnus", "simple"),
        ("salasana", "simple"),
        ("tiedot palveluarvioinneista ja yleisestä asiakaspalautteesta", "simple"),
    ]
    flags = {
        item["text"]: (item["special_category"], item["henkilotunnus"]) for item in register["data_items"]
    }
    assert flags["syntymäaika tai henkilötunnus"] == (False, True)
    assert flags["terveysprofiilitiedot"] == (True, False)
    assert register["special_categories"] is True
    assert register["henkilotunnus"] is True
    # The heading names transfers outside the EU/EEA; the text under it says nothing about them.
    assert register["transfers_outside_eea"] == "unspecified"
    assert register["law_basis"] == "523/1999"
    assert "No contact person is named." in register["warnings"]


def test_seed_002_a_health_group_makes_its_items_sensitive() -> None:
    statement = statement_parse(source="002.txt", text=seed_text("002"))
    [register] = [r.as_json() for r in statement.registers]
    assert register["controller_name"] == "Oy OmaParantola ab"
    assert register["business_id"] == "2344421-0"
    assert register["business_id_valid"] is True
    assert register["address"] is None
    assert register["contact_person"] == "Hannele Pujari"
    assert register["contact_email"] == "asiakaspalvelu@omaparantola.fi"
    assert register["contact_phone"] is None
    assert register["register_name"] == "oy OmaParantola ab:n asiakasrekisteri"
    assert register["purpose"].startswith("Rekisterinpitäjä käsittelee henkilötietoja yleisesti")
    assert items(register) == [
        ("etunimi", "simple"),
        ("sukunimi", "simple"),
        ("sähköpostiosoite", "simple"),
        ("skypeosoite", "simple"),
        ("kaikki muut käyttäjätiedot, joita käyttäjä lähettää oy OmaParantola ab:lle", "simple"),
        ("päihteidenkäyttöön liittyvät tiedot", "sensitive"),
        ("henkilökohtaiset merkinnät", "sensitive"),
        ("oppimista mittaavat testitulokset", "sensitive"),
        ("tilaustiedot", "behavioural"),
        ("asiakastunniste", "simple"),
        ("asiakastilatiedot", "simple"),
        ("tarjonnanestotieto", "simple"),
        ("maksutapatieto", "financial"),
    ]
    assert all(item["special_category"] for item in register["data_items"][5:8])
    assert register["special_categories"] is True
    assert register["henkilotunnus"] is False
    assert register["transfers_outside_eea"] == "none"
    assert register["law_basis"] == "523/1999"  # "henkilötietolain mukaisesti"
    assert register["warnings"] == []
    assert statement.document_date == dt.date(2018, 1, 10)


def test_seed_003_transfers_to_partners_outside_the_eea() -> None:
    statement = statement_parse(source="003.txt", text=seed_text("003"))
    [parsed_register] = statement.registers
    register = parsed_register.as_json()
    assert register["controller_name"] == "Valmennuskumppani Heini Salmu Oy"
    assert register["business_id"] == "2316408-3"
    assert register["business_id_valid"] is True
    assert register["address"] == "Kalajoentie 407, 85100 Kalajoki"
    assert register["contact_person"] == "Heini Salmu"
    assert register["contact_email"] == "heini.salmu@valmennuskumppani.fi"
    assert register["contact_phone"] == "040 5158156"
    assert register["register_name"] == "Valmennuskumppani Oy:n asiakas- ja markkinointirekisteri"
    assert register["purpose"].startswith("Rekisteriin kerätään Valmennuskumppani Oy:n asiakkaiden")
    assert "perusteena" not in register["purpose"]
    assert parsed_register.legal_basis is not None
    assert parsed_register.legal_basis.startswith("Henkilötietojen käsittelyn perusteena on")
    assert [text for text, _ in items(register)][:7] == [
        "Asiakkaan nimi",
        "organisaation nimi",
        "tehtävänimike",
        "kieli",
        "osoite",
        "puhelinnumero",
        "sähköpostiosoite ja muut tarpeelliset yhteystiedot",
    ]
    assert len(register["data_items"]) == 10
    assert {cls for _, cls in items(register)} <= {"simple", "behavioural"}
    assert register["special_categories"] is False
    assert register["henkilotunnus"] is False
    assert register["transfers_outside_eea"] == "yes"
    assert (
        parsed_register.transfers_details is not None
        and "Facebook ja Google" in parsed_register.transfers_details
    )
    # "tietosuojalainsäädäntö" is legislation in general, not the Tietosuojalaki: nothing is cited.
    assert register["law_basis"] is None
    assert parsed_register.retention is not None and "5 vuotta" in parsed_register.retention
    assert statement.document_date == dt.date(2018, 9, 5)
    headings = [section["heading"] for section in parsed_register.other_sections]
    assert "10 Automaattinen päätöksenteko ja profilointi" in headings
    assert "12 Yhteydenotot" in headings


def test_seed_004_describes_two_registers() -> None:
    statement = statement_parse(source="004.txt", text=seed_text("004"))
    customers, prospects = (register.as_json() for register in statement.registers)
    for register in (customers, prospects):
        assert register["controller_name"] == "Wauranoja Oy"
        assert register["business_id"] is None
        assert register["business_id_valid"] is None
        assert register["address"] is None
        assert register["contact_person"] is None
        assert register["contact_email"] == "ilopiste@kuntotimpurit.fi"
        assert register["transfers_outside_eea"] == "none"
        assert register["law_basis"] == "1050/2018"
        assert "No business ID (Y-tunnus) is given for the controller." in register["warnings"]
    assert customers["register_name"] == "Ilopiste.fi asiakasrekisteri"
    assert prospects["register_name"] == "Ilopiste.fi prospektit"
    assert customers["purpose"].startswith(
        "Asiakasrekisteriä käytetään ainoastaan asiakassuhteen ylläpitoon."
    )
    assert "Prospektirekister" not in customers["purpose"]
    assert prospects["purpose"].startswith("Prospektirekisteriä ylläpidetään suoramarkkinointikontaktien")
    assert "Asiakasrekister" not in prospects["purpose"]
    assert items(customers) == [
        ("Asiakasorganisaatio", "simple"),
        ("yhteyshenkilön nimi", "simple"),
        ("osoite", "simple"),
        ("puhelinnumero", "simple"),
        ("sähköpostiosoite", "simple"),
        ("laskutusosoite", "simple"),
        ("tilaushistoria", "behavioural"),
        ("käyttäjätunnus ja voimassaolevat palvelut hintoineen", "simple"),
    ]
    assert items(prospects) == [
        ("Organisaation nimi", "simple"),
        ("yhteyshenkilön nimi", "simple"),
        ("titteli", "simple"),
        ("sähköpostiosoite", "simple"),
        ("puhelinnumero", "simple"),
    ]
    assert statement.document_date == dt.date(2021, 4, 15)
    assert statement.registers[1].sources is not None
    assert statement.registers[1].sources.startswith("Prospektirekisterin yhteystiedot kerätään julkisista")


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_no_seed_loses_a_word_of_its_text(number: str) -> None:
    """Every register keeps the original statement, whatever was recognised in it."""
    statement = statement_parse(source=f"{number}.txt", text=seed_text(number))
    assert statement.text == seed_text(number)
