"""The five seed statements, read field by field as a careful reader reads them."""

from __future__ import annotations

import datetime as dt

import pytest

from incidents.importer import JSON_KEYS, statement_parse
from incidents.importer.statement import ParsedRegister
from tests.importer_support import SEEDS, SHARED_SEEDS, parsed, seed_text


def flagged(register: dict[str, object]) -> list[tuple[str, str, bool, bool]]:
    """Each data item with its class and its special-category and henkilötunnus flags."""
    return [
        (item["text"], item["class"], item["special_category"], item["henkilotunnus"])
        for item in register["data_items"]  # type: ignore[attr-defined]
    ]


def reads(text: str | None, first: str, last: str) -> bool:
    """The field holds the passage from ``first`` to ``last`` and nothing beyond it."""
    return text is not None and text.startswith(first) and text.endswith(last)


def texts(register: ParsedRegister) -> dict[str, str | None]:
    return {
        name: getattr(register, name)
        for name in (
            "legal_basis",
            "data_subjects",
            "sources",
            "disclosures",
            "retention",
            "security_measures",
        )
    }


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
    assert reads(
        register["purpose"],
        "Rekisterin käyttötarkoitus on OP:n ja OPC:n asiakasrekisterin",
        "sähköpostitse info@optimalperformance.fi tai rekisterinhoitajalle.",
    )
    # "Henkilörekisteri sisältää seuraavia tietoja:" is the list's lead-in, not an item.
    assert flagged(register) == [
        ("Henkilön etu- ja sukunimi", "simple", False, False),
        ("Sähköpostiosoite", "simple", False, False),
        ("Postiosoite", "simple", False, False),
        ("Puhelinnumero", "simple", False, False),
        ("Tiedot käsitellyistä tilauksista", "behavioural", False, False),
        (
            "Tilausten seurantatiedot OP:n tai OPC:n käyttämien palveluntarjoajien järjestelmistä",
            "behavioural",
            False,
            False,
        ),
    ]
    assert register["special_categories"] is False
    assert register["henkilotunnus"] is False
    # "ei siirretä EU:n ulkopuolelle, ellei se ole ... tarpeellista": it may happen.
    assert register["transfers_outside_eea"] == "yes"
    assert register["law_basis"] == "523/1999"
    assert register["warnings"] == [
        "Joint controller Optimal Performance Center Finland Oy is named without a business ID.",
        "Not found in the statement, to fill in on the register: data subjects, sources, retention.",
    ]
    statement = statement_parse(source="000.txt", text=seed_text("000"))
    [full] = statement.registers
    assert full.joint_controllers == ["Optimal Performance Center Finland Oy"]
    assert full.transfers_details == (
        "Henkilötietoja ei siirretä EU:n ulkopuolelle, ellei se ole OP:n tai OPC:n tai sen "
        "yhteistyökumppanin teknisen toteutuksen varmistamiseksi tarpeellista."
    )
    found = texts(full)
    assert reads(
        found.pop("legal_basis"), "Henkilöon rekisteröitynyt", "järjestämään tilaisuuteen tai tapahtumaan."
    )
    assert reads(
        found.pop("disclosures"),
        "Asiakasrekisterin tiedot ovat vain ja ainoastaan OP:n ja OPC:n käytössä",
        "avoimet laskut tai perintätoimet estä tietojen poistamista.",
    )
    assert found.pop("security_measures") == (
        "Rekisteriä ei luovuteta sivullisille. Rekisterin käyttöoikeus edellyttää OP:n ja OPC:n sisäisten "
        "järjestelmien käyttöoikeuksia. Rekisteri sijaitsee OP:n ja OPC:n salasanasuojatulla palvelimella."
    )
    assert found == {"data_subjects": None, "sources": None, "retention": None}
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
    assert reads(
        register["purpose"],
        "Henkilötietoja käsitellään tilauksen, luototuksen, laskutuksen",
        "osa tiedoista voi sijaita Elämäsi Kunnossa Terveyspalvelut Oy:n alihankkijoilla.",
    )
    # Three groups (perustiedot, asiakkuuden perusteella syntyvät, verkkopalvelun lisätiedot); the
    # group labels are not items.
    assert flagged(register) == [
        ("Asiakkaan etu- ja sukunimi", "simple", False, False),
        ("asiakasnumero", "simple", False, False),
        ("osoitteet", "simple", False, False),
        ("puhelinnumero", "simple", False, False),
        ("sähköpostiosoite", "simple", False, False),
        ("syntymäaika tai henkilötunnus", "sensitive", False, True),
        ("sukupuoli", "simple", False, False),
        ("kielitunnus", "simple", False, False),
        ("tiedot markkinoinnin luvista ja kielloista", "simple", False, False),
        ("Ostotapahtuma- ja asiointitiedot", "behavioural", False, False),
        ("terveysprofiilitiedot", "sensitive", True, False),
        ("asiakastiedot ja muut vastaavat ryhmittelytiedot", "behavioural", False, False),
        ("Käyttäjätunnus", "simple", False, False),
        ("salasana", "simple", False, False),
        ("tiedot palveluarvioinneista ja yleisestä asiakaspalautteesta", "simple", False, False),
    ]
    assert register["special_categories"] is True
    assert register["henkilotunnus"] is True
    # The heading names transfers outside the EU/EEA; the text under it says nothing about them.
    assert register["transfers_outside_eea"] == "unspecified"
    assert register["law_basis"] == "523/1999"
    assert register["warnings"] == [
        "No contact person is named.",
        "No e-mail address is given for the contact person or the controller.",
        "No phone number is given for the contact person or the controller.",
        "The statement does not say whether data is transferred outside the EU/EEA.",
        "Not found in the statement, to fill in on the register: legal basis, data subjects, retention.",
    ]
    [full] = statement_parse(source="001.txt", text=seed_text("001")).registers
    assert full.transfers_details is None
    found = texts(full)
    assert reads(
        found.pop("sources"),
        "Asiakkuus ja asiointi:",
        "yleisistä rekistereistä kuten väestötietojärjestelmästä.",
    )
    assert reads(
        found.pop("disclosures"),
        "Elämäsi Kunnossa Terveyspalvelut Oy ei luovuta asiakasrekisterin tietoja",
        "voimassaolevan lainsäädännön sallimissa ja velvoittavissa rajoissa.",
    )
    assert reads(
        found.pop("security_measures"),
        "Elämäsi Kunnossa Terveyspalvelut - asiakasrekisteriä käsitellään luottamuksellisesti.",
        "Käyttäjiä sitoo vaitiolovelvollisuus.",
    )
    assert found == {"legal_basis": None, "data_subjects": None, "retention": None}
    headings = [section["heading"] for section in full.other_sections]
    assert {
        "Evästeiden käyttö",
        "Tarkastusoikeus",
        "Muut henkilötietojen käsittelyyn liittyvät oikeudet",
    } <= set(headings)


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
    assert reads(
        register["purpose"],
        "Rekisterinpitäjä käsittelee henkilötietoja yleisesti",
        "ilmoittamalla asiasta oy OmaParantola ab:lle (asiakaspalvelu@omaparantola.fi).",
    )
    # Under "Terveydentilaan ja päihteidenkäyttöön liittyvät tiedot:" every item is health data,
    # whatever its own words; the last bullet is a sentence about collecting, not an item.
    assert flagged(register) == [
        ("etunimi", "simple", False, False),
        ("sukunimi", "simple", False, False),
        ("sähköpostiosoite", "simple", False, False),
        ("skypeosoite", "simple", False, False),
        (
            "kaikki muut käyttäjätiedot, joita käyttäjä lähettää oy OmaParantola ab:lle",
            "simple",
            False,
            False,
        ),
        ("päihteidenkäyttöön liittyvät tiedot", "sensitive", True, False),
        ("henkilökohtaiset merkinnät", "sensitive", True, False),
        ("oppimista mittaavat testitulokset", "sensitive", True, False),
        ("tilaustiedot", "behavioural", False, False),
        ("asiakastunniste", "simple", False, False),
        ("asiakastilatiedot", "simple", False, False),
        ("tarjonnanestotieto", "simple", False, False),
        ("maksutapatieto", "financial", False, False),
    ]
    assert register["special_categories"] is True
    assert register["henkilotunnus"] is False
    assert register["transfers_outside_eea"] == "none"
    assert register["law_basis"] == "523/1999"  # "henkilötietolain mukaisesti"
    assert register["warnings"] == [
        "No address is given for the controller.",
        "No phone number is given for the contact person or the controller.",
        "Not found in the statement, to fill in on the register: legal basis, data subjects, retention.",
    ]
    assert statement.document_date == dt.date(2018, 1, 10)
    [full] = statement.registers
    assert full.transfers_details == "Rekisterinpitäjä ei luovuta henkilötietoja EU:n tai ETA:n ulkopuolelle."
    found = texts(full)
    assert reads(
        found.pop("sources"),
        "Henkilötiedot kerätään kuluttajilta",
        "taikka kuluttajien muun erillisen suostumuksen perusteella.",
    )
    assert reads(
        found.pop("disclosures"),
        "Oy OmaParantola ab käyttää tarvittaessa alihankkijoita",
        "kolmansille osapuolille, alihankkijoita lukuunottamatta.",
    )
    # "Henkilötiedot säilytetään luottamuksellisina" keeps them confidential: security, not retention.
    assert reads(
        found.pop("security_measures"),
        "Henkilötiedot säilytetään luottamuksellisina.",
        "Manuaalista aineistoa ei ole.",
    )
    assert found == {"legal_basis": None, "data_subjects": None, "retention": None}


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
    # "Käyttötarkoitus ja peruste": the paragraph about the basis is the legal basis.
    assert reads(
        register["purpose"],
        "Rekisteriin kerätään Valmennuskumppani Oy:n asiakkaiden",
        "lakisääteisten velvoitteiden täyttämiseen (kirjanpito- ja viranomaistarkoitukset).",
    )
    assert parsed_register.legal_basis == (
        "Henkilötietojen käsittelyn perusteena on Valmennuskumppani Oy:n ja asiakkaan välinen "
        "asiakassuhde, asiakkaan antama toimeksianto, suostumus tai muu asiallinen yhteys."
    )
    # Three bullets. The first lists contact data (e-mail "and other contact details" is one item);
    # the second is one item, its "niiden" pointing back to the services; the third is about
    # marketing aimed at the customer, which is behavioural.
    assert flagged(register) == [
        ("Asiakkaan nimi", "simple", False, False),
        ("organisaation nimi", "simple", False, False),
        ("tehtävänimike", "simple", False, False),
        ("kieli", "simple", False, False),
        ("osoite", "simple", False, False),
        ("puhelinnumero", "simple", False, False),
        ("sähköpostiosoite ja muut tarpeelliset yhteystiedot", "simple", False, False),
        (
            "Asiakkaan käyttämät palvelut, niiden käyttöä koskevat asiakkaan antamat tiedot sekä muut "
            "asiakkaan suostumuksella kerättävät tiedot",
            "behavioural",
            False,
            False,
        ),
        (
            "Asiakkaalle kohdistetut markkinointitoimenpiteet sekä asiakkaan antamat asiakassuhteen "
            "hoitoon ja/tai markkinointiin liittyvät tiedot",
            "behavioural",
            False,
            False,
        ),
    ]
    assert register["special_categories"] is False
    assert register["henkilotunnus"] is False
    assert register["transfers_outside_eea"] == "yes"
    assert (
        parsed_register.transfers_details is not None
        and "Facebook ja Google" in parsed_register.transfers_details
    )
    # "tietosuojalainsäädäntö" is legislation in general, not the Tietosuojalaki: nothing is cited.
    assert register["law_basis"] is None
    assert register["warnings"] == ["Not found in the statement, to fill in on the register: data subjects."]
    found = texts(parsed_register)
    del found["legal_basis"]
    assert reads(
        found.pop("retention"),
        "Henkilötietoja säilytetään rekisterissä pääsääntöisesti niin kauan",
        "lainsäädännöstä johtuvista syistä säilyttämään tätä kauemmin.",
    )
    assert reads(
        found.pop("sources"), "Henkilötiedot saadaan ensisijaisesti", "tai julkisista rekistereistä."
    )
    # Section 8 covers disclosures and transfers both: its transfer sentences are the transfer
    # details, the rest are the disclosures.
    assert found.pop("disclosures") == (
        "Asiakastietoja ei luovuteta Valmennuskumppani Oy:n ulkopuolelle muuten kuin erillisen "
        "sopimuksen, asiakkaan antaman suostumuksen ja/tai nimenomaisten säädösten mukaan.\n\n"
        "Varmistamme, että kaikki yhteistyökumppanimme ja palveluntarjoajamme noudattavat "
        "tietosuojalainsäädäntöä. Käytämme säännönmukaisesti seuraavia palvelutarjoajia: Zef Oy, MLP "
        "Modular Learning Processes Oy ja Firstbeat Technologies Oy."
    )
    assert reads(
        parsed_register.transfers_details,
        "Valmennuskumppani Oy voi luovuttaa tietoja voimassaolevan lainsäädännön rajoissa myös EU:n",
        "noudattavat EU:n ja Yhdysvaltojen välistä Privacy Shield -sopimusta.",
    )
    assert reads(
        found.pop("security_measures"),
        "Henkilötietoja käsittelevät Valmennuskumppani Oy:n työntekijät.",
        "(katso kohta 8).",
    )
    assert found == {"data_subjects": None}
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
        assert register["contact_phone"] is None
        assert register["special_categories"] is False
        assert register["henkilotunnus"] is False
        assert register["transfers_outside_eea"] == "none"
        assert register["law_basis"] == "1050/2018"
        assert register["warnings"][:4] == [
            "No business ID (Y-tunnus) is given for the controller.",
            "No address is given for the controller.",
            "No contact person is named.",
            "No phone number is given for the contact person or the controller.",
        ]
    # The customers' retention is written under the purpose; the prospects' nowhere.
    missing = (
        "Not found in the statement, to fill in on the register: legal basis, data subjects, disclosures"
    )
    assert customers["warnings"][4:] == [f"{missing}."]
    assert prospects["warnings"][4:] == [f"{missing}, retention."]
    assert customers["register_name"] == "Ilopiste.fi asiakasrekisteri"
    assert prospects["register_name"] == "Ilopiste.fi prospektit"
    # The purpose heading also says how long customer data is kept: that paragraph is retention.
    assert customers["purpose"] == (
        "Asiakasrekisteriä käytetään ainoastaan asiakassuhteen ylläpitoon. Tilauksen tekeminen "
        "edellyttää rekisteröitymistä Asiakasrekisteriin."
    )
    assert reads(
        prospects["purpose"],
        "Prospektirekisteriä ylläpidetään suoramarkkinointikontaktien",
        "vanhentuneet yhteystiedot poistetaan päivityksen yhteydessä rekisteristä.",
    )
    assert "Asiakasrekister" not in prospects["purpose"]
    # "käyttäjätunnus ja voimassaolevat palvelut hintoineen" names two things; the sentence about
    # a reseller's customers says which of these items are kept for them, and is no item.
    assert flagged(customers) == [
        ("Asiakasorganisaatio", "simple", False, False),
        ("yhteyshenkilön nimi", "simple", False, False),
        ("osoite", "simple", False, False),
        ("puhelinnumero", "simple", False, False),
        ("sähköpostiosoite", "simple", False, False),
        ("laskutusosoite", "simple", False, False),
        ("tilaushistoria", "behavioural", False, False),
        ("käyttäjätunnus", "simple", False, False),
        ("voimassaolevat palvelut hintoineen", "behavioural", False, False),
    ]
    assert flagged(prospects) == [
        ("Organisaation nimi", "simple", False, False),
        ("yhteyshenkilön nimi", "simple", False, False),
        ("titteli", "simple", False, False),
        ("sähköpostiosoite", "simple", False, False),
        ("puhelinnumero", "simple", False, False),
    ]
    assert statement.document_date == dt.date(2021, 4, 15)
    customer_texts, prospect_texts = (texts(register) for register in statement.registers)
    assert reads(
        customer_texts.pop("retention"),
        "Asiakasrekisterin henkilötietoja säilytetään yleisesti",
        "lakisääteisten kirjanpitovelvoitteiden täyttämiseksi.",
    )
    assert reads(
        customer_texts.pop("sources"),
        "Asiakasrekisterissä kaikki tiedot ovat henkilön itsensä ilmoittamat.",
        "palveluun liittyvien viestien lähettämiseen.",
    )
    assert customer_texts.pop("security_measures") == (
        "Asiakasrekisteriin on pääsy vain nimetyillä henkilöillä käyttäjätunnusta ja salasanaa käyttäen."
    )
    assert reads(
        prospect_texts.pop("sources"),
        "Prospektirekisterin yhteystiedot kerätään julkisista lähteistä",
        "Ilopisteen rekisteriseloste toimitetaan palveluntuottajalle.",
    )
    assert reads(
        prospect_texts.pop("security_measures"),
        "Prospektirekisteri on nimettyjen henkilöiden",
        "Prospektirekisterin päivitystä varten.",
    )
    # The disclosures-and-transfers section speaks only of transfers: no disclosures are described.
    assert customer_texts == {"legal_basis": None, "data_subjects": None, "disclosures": None}
    assert prospect_texts == {
        "legal_basis": None,
        "data_subjects": None,
        "disclosures": None,
        "retention": None,
    }
    for full in statement.registers:
        assert full.transfers_details == "Tietoja ei siirretä EU:n tai Euroopan talousalueen ulkopuolelle"


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_no_seed_loses_a_word_of_its_text(number: str) -> None:
    """Every register keeps the original statement, whatever was recognised in it."""
    statement = statement_parse(source=f"{number}.txt", text=seed_text(number))
    assert statement.text == seed_text(number)
