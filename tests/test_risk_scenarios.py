"""The ENISA method (incidents/risk/method.py) on realistic breaches, as a Finnish DPO would meet them.

Each scenario gives the affected items as the organisation's register classes them and the answers a
careful DPO would give. The expected numbers come from the method by hand (SE = DPC × EI + CB;
design, "Risk assessment"), never from running the code; each test says how in a comment.
"""

from __future__ import annotations

from incidents.registers.classification import DataClass
from incidents.risk.method import AffectedItem, Answers, assess, identification_suggested
from incidents.risk.scoring import (
    Adjustment,
    Availability,
    Band,
    Confidentiality,
    Identification,
    Integrity,
    Proposal,
)

UNLIKELY = "Proposal: the breach is unlikely to result in a risk; document it (Art. 33(5)), no notification."
RISK = "Proposal: a risk; notify the supervisory authority within 72 hours (Art. 33)."
HIGH = (
    "Proposal: a high risk; notify the supervisory authority (Art. 33) and tell the data subjects "
    "without undue delay (Art. 34)."
)
ART34_EXCEPTIONS = (
    "Art. 34(3) exceptions to weigh: (a) the data is unintelligible to anyone not authorised "
    "(state-of-the-art encryption, key not compromised); (b) measures taken since remove the "
    "high risk; the Finnish supervisory authority holds that a high risk that has already "
    "materialised is still communicated; (c) telling each person would take disproportionate "
    "effort, and a public communication is made instead."
)
SPECIAL_FLOOR = (
    "Special categories of personal data or criminal data (Art. 9-10) were affected. "
    "The proposal is at least a risk."
)
HENKILOTUNNUS_FLOOR = (
    "Personal identity codes (henkilötunnus) were affected. The proposal is at least a risk."
)
VULNERABLE_FLOOR = (
    "Children or other vulnerable people are among the data subjects. The proposal is at least a risk."
)
UNKNOWN_RECIPIENTS = "Confidentiality: disclosed to unknown recipients or made public → +0.5"
KNOWN_RECIPIENTS = "Confidentiality: disclosed to known recipients → +0.25"
MALICIOUS = "Malicious intent → +0.5"


def test_a_lost_laptop_with_full_disk_encryption_and_the_key_safe_is_unlikely_to_be_a_risk() -> None:
    # A sales rep's laptop left on a VR train; BitLocker with TPM and PIN, the PIN not written down.
    # Everything on it is synced to the company's SharePoint, so nothing is lost either.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Puhelinnumero", DataClass.SIMPLE),
        AffectedItem("Sähköpostiosoite", DataClass.SIMPLE),
        AffectedItem("Ostohistoria", DataClass.BEHAVIOURAL),
    ]
    answers = Answers(
        dpc_adjustments=[Adjustment(-1, "Encrypted, key safe")],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.NONE,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # DPC 2 - 1 = 1; SE = 1 × 1 + 0 = 1: low.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (2, 1, 1.0, 0.0, 1.0)
    assert result.band == Band.LOW
    assert result.proposal == Proposal.UNLIKELY
    assert result.art34_exceptions == ()
    assert result.reasons == [
        "Ostohistoria: Behavioural (DPC 2) → DPC 2",
        "Encrypted, key safe: DPC -1 → DPC 1",
        "Ease of identification maximum → EI 1",
        "No circumstance adds to the score: CB 0.",
        "SE = DPC × EI + CB = 1 × 1 + 0 = 1: severity low",
        UNLIKELY,
    ]


def test_ransomware_with_good_backups_and_no_exfiltration_is_unlikely_to_be_a_risk_for_simple_data() -> None:
    # A sports club's member register encrypted by ransomware; restored from the offline backup the
    # next day, and the firewall logs show no outbound transfer: availability only, but malicious.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Postiosoite", DataClass.SIMPLE),
        AffectedItem("Puhelinnumero", DataClass.SIMPLE),
        AffectedItem("Sähköpostiosoite", DataClass.SIMPLE),
        AffectedItem("Jäsenyyden alkamispäivä", DataClass.SIMPLE),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.NONE,
        integrity=Integrity.NONE,
        availability=Availability.TEMPORARY,
        malicious=True,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # CB = 0.25 + 0.5 = 0.75; SE = 1 × 1 + 0.75 = 1.75: low.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (1, 1, 1.0, 0.75, 1.75)
    assert result.band == Band.LOW
    assert result.proposal == Proposal.UNLIKELY
    assert result.art34_exceptions == ()
    assert result.reasons == [
        "Nimi, Postiosoite, Puhelinnumero, Sähköpostiosoite, Jäsenyyden alkamispäivä: Simple (DPC 1) → DPC 1",
        "Ease of identification maximum → EI 1",
        "Availability: temporarily unavailable → +0.25",
        MALICIOUS,
        "SE = DPC × EI + CB = 1 × 1 + 0.75 = 1.75: severity low",
        UNLIKELY,
    ]


def test_ransomware_with_exfiltrated_health_data_is_a_high_risk_with_the_exceptions_to_weigh() -> None:
    # A private clinic's patient system: the gang copied the database before encrypting it and
    # published a sample on its leak site; the system ran again from backups after two days.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Henkilötunnus", DataClass.SENSITIVE, henkilotunnus=True),
        AffectedItem("Puhelinnumero", DataClass.SIMPLE),
        AffectedItem("Terveystiedot", DataClass.SENSITIVE, special_category=True),
        AffectedItem("Laskutustiedot", DataClass.FINANCIAL),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.UNKNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.TEMPORARY,
        malicious=True,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # CB = 0.5 + 0.25 + 0.5 = 1.25; SE = 4 × 1 + 1.25 = 5.25: very high.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (4, 4, 1.0, 1.25, 5.25)
    assert result.band == Band.VERY_HIGH
    assert result.proposal == Proposal.HIGH
    assert result.art34_exceptions == ("a", "b", "c")
    # The floors (health data, henkilötunnus) are not spelled out: the score is above them anyway.
    assert result.reasons == [
        "Henkilötunnus, Terveystiedot: Sensitive (DPC 4) → DPC 4",
        "Ease of identification maximum → EI 1",
        UNKNOWN_RECIPIENTS,
        "Availability: temporarily unavailable → +0.25",
        MALICIOUS,
        "SE = DPC × EI + CB = 4 × 1 + 1.25 = 5.25: severity very high",
        HIGH,
        ART34_EXCEPTIONS,
    ]


def test_a_payslip_with_a_henkilotunnus_emailed_to_a_known_wrong_recipient_is_a_high_risk() -> None:
    # Payroll sent one employee's palkkalaskelma to a colleague with the same surname, who reported
    # it and deleted it: a known recipient. The score alone is well above the henkilötunnus floor.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Henkilötunnus", DataClass.SENSITIVE, henkilotunnus=True),
        AffectedItem("Tilinumero", DataClass.FINANCIAL),
        AffectedItem("Palkkatiedot", DataClass.FINANCIAL),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.KNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # SE = 4 × 1 + 0.25 = 4.25: very high.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (4, 4, 1.0, 0.25, 4.25)
    assert result.band == Band.VERY_HIGH
    assert result.proposal == Proposal.HIGH
    assert result.art34_exceptions == ("a", "b", "c")
    assert result.reasons == [
        "Henkilötunnus: Sensitive (DPC 4) → DPC 4",
        "Ease of identification maximum → EI 1",
        KNOWN_RECIPIENTS,
        "SE = DPC × EI + CB = 4 × 1 + 0.25 = 4.25: severity very high",
        HIGH,
        ART34_EXCEPTIONS,
    ]


def test_a_protected_attachment_of_henkilotunnus_to_a_known_wrong_recipient_is_raised_to_a_risk() -> None:
    # HR e-mailed new employees' names and henkilötunnus for occupational health enrolment to the
    # wrong contact at the provider; the spreadsheet was AES-protected and its password went by SMS
    # to the right person only, so the DPO judges identification negligible. The floor still holds.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Henkilötunnus", DataClass.SENSITIVE, henkilotunnus=True),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.NEGLIGIBLE,
        confidentiality=Confidentiality.KNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # SE = 4 × 0.25 + 0.25 = 1.25: low, but the henkilötunnus makes it at least a risk.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (4, 4, 0.25, 0.25, 1.25)
    assert result.band == Band.LOW
    assert result.proposal == Proposal.RISK
    assert result.art34_exceptions == ()
    assert result.reasons == [
        "Henkilötunnus: Sensitive (DPC 4) → DPC 4",
        "Ease of identification negligible → EI 0.25",
        KNOWN_RECIPIENTS,
        "SE = DPC × EI + CB = 4 × 0.25 + 0.25 = 1.25: severity low",
        HENKILOTUNNUS_FLOOR,
        RISK,
    ]


def test_credential_stuffing_against_customer_accounts_reaches_the_high_band_at_exactly_3() -> None:
    # Leaked passwords from elsewhere opened 1,200 accounts of a web shop; the attackers browsed the
    # accounts and changed nothing. Unknown people, on purpose.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Toimitusosoite", DataClass.SIMPLE),
        AffectedItem("Puhelinnumero", DataClass.SIMPLE),
        AffectedItem("Sähköpostiosoite", DataClass.SIMPLE),
        AffectedItem("Ostohistoria", DataClass.BEHAVIOURAL),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.UNKNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=True,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # CB = 0.5 + 0.5 = 1; SE = 2 × 1 + 1 = 3: high (3 is the first score of the band).
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (2, 2, 1.0, 1.0, 3.0)
    assert result.band == Band.HIGH
    assert result.proposal == Proposal.HIGH
    assert result.art34_exceptions == ("a", "b", "c")
    assert result.reasons == [
        "Ostohistoria: Behavioural (DPC 2) → DPC 2",
        "Ease of identification maximum → EI 1",
        UNKNOWN_RECIPIENTS,
        MALICIOUS,
        "SE = DPC × EI + CB = 2 × 1 + 1 = 3: severity high",
        HIGH,
        ART34_EXCEPTIONS,
    ]


def test_a_customer_list_left_publicly_readable_on_the_web_is_a_risk() -> None:
    # A cleaning company's customer export sat in an open directory of its web server for a month;
    # the access log shows downloads from unknown addresses. A misconfiguration, nobody's intent.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Osoite", DataClass.SIMPLE),
        AffectedItem("Puhelinnumero", DataClass.SIMPLE),
        AffectedItem("Sähköpostiosoite", DataClass.SIMPLE),
        AffectedItem("Voimassa olevat palvelut hintoineen", DataClass.BEHAVIOURAL),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.UNKNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # SE = 2 × 1 + 0.5 = 2.5: medium.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (2, 2, 1.0, 0.5, 2.5)
    assert result.band == Band.MEDIUM
    assert result.proposal == Proposal.RISK
    assert result.art34_exceptions == ()
    assert result.reasons == [
        "Voimassa olevat palvelut hintoineen: Behavioural (DPC 2) → DPC 2",
        "Ease of identification maximum → EI 1",
        UNKNOWN_RECIPIENTS,
        "SE = DPC × EI + CB = 2 × 1 + 0.5 = 2.5: severity medium",
        RISK,
    ]


def test_stolen_paper_patient_records_of_home_care_clients_are_a_high_risk() -> None:
    # A home-care nurse's car was broken into and the folder of visit notes taken. The electronic
    # patient record holds the same data, so nothing is lost; the clients are elderly and frail.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Kotiosoite", DataClass.SIMPLE),
        AffectedItem("Henkilötunnus", DataClass.SENSITIVE, henkilotunnus=True),
        AffectedItem("Diagnoosit", DataClass.SENSITIVE, special_category=True),
        AffectedItem("Lääkitys", DataClass.SENSITIVE, special_category=True),
    ]
    answers = Answers(
        dpc_adjustments=[Adjustment(1, "Elderly home-care clients (vulnerable individuals)")],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.UNKNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=True,
        vulnerable_subjects=True,
    )
    result = assess(items, answers)
    # DPC 4 + 1 stays 4; CB = 0.5 + 0.5 = 1; SE = 4 × 1 + 1 = 5: very high.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (4, 4, 1.0, 1.0, 5.0)
    assert result.band == Band.VERY_HIGH
    assert result.proposal == Proposal.HIGH
    assert result.art34_exceptions == ("a", "b", "c")
    assert result.reasons == [
        "Henkilötunnus, Diagnoosit, Lääkitys: Sensitive (DPC 4) → DPC 4",
        "Elderly home-care clients (vulnerable individuals): DPC +1, kept within 1 to 4 → DPC 4",
        "Ease of identification maximum → EI 1",
        UNKNOWN_RECIPIENTS,
        MALICIOUS,
        "SE = DPC × EI + CB = 4 × 1 + 1 = 5: severity very high",
        HIGH,
        ART34_EXCEPTIONS,
    ]


def test_a_processors_breach_takes_the_most_revealing_item_across_its_customers_registers() -> None:
    # A loyalty-programme platform run for three customers was breached through an unpatched
    # plugin and its database copied out. The decisive item is the travel agency's payment data.
    bookshop = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Sähköpostiosoite", DataClass.SIMPLE),
        AffectedItem("Ostohistoria", DataClass.BEHAVIOURAL),
    ]
    sports_shop = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Puhelinnumero", DataClass.SIMPLE),
        AffectedItem("Tilaushistoria", DataClass.BEHAVIOURAL),
    ]
    travel_agency = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Syntymäaika", DataClass.SIMPLE),
        AffectedItem("Maksutiedot", DataClass.FINANCIAL),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.UNKNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=True,
        vulnerable_subjects=False,
    )
    result = assess([*bookshop, *sports_shop, *travel_agency], answers)
    # CB = 0.5 + 0.5 = 1; SE = 3 × 1 + 1 = 4: very high (4 is the first score of the band).
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (3, 3, 1.0, 1.0, 4.0)
    assert result.band == Band.VERY_HIGH
    assert result.proposal == Proposal.HIGH
    assert result.art34_exceptions == ("a", "b", "c")
    assert result.reasons == [
        "Maksutiedot: Financial (DPC 3) → DPC 3",
        "Ease of identification maximum → EI 1",
        UNKNOWN_RECIPIENTS,
        MALICIOUS,
        "SE = DPC × EI + CB = 3 × 1 + 1 = 4: severity very high",
        HIGH,
        ART34_EXCEPTIONS,
    ]


def test_a_marketing_email_with_every_address_in_to_is_unlikely_to_be_a_risk() -> None:
    # A yoga studio's newsletter went out with all 300 subscribers in To: instead of Bcc:; the
    # recipients are the subscribers themselves.
    items = [AffectedItem("Sähköpostiosoite", DataClass.SIMPLE)]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.SIGNIFICANT,
        confidentiality=Confidentiality.KNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # SE = 1 × 0.75 + 0.25 = 1: low.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (1, 1, 0.75, 0.25, 1.0)
    assert result.band == Band.LOW
    assert result.proposal == Proposal.UNLIKELY
    assert result.art34_exceptions == ()
    assert result.reasons == [
        "Sähköpostiosoite: Simple (DPC 1) → DPC 1",
        "Ease of identification significant → EI 0.75",
        KNOWN_RECIPIENTS,
        "SE = DPC × EI + CB = 1 × 0.75 + 0.25 = 1: severity low",
        UNLIKELY,
    ]


def test_fifty_thousand_customers_raise_the_dpc_a_step_and_the_breach_to_a_high_risk() -> None:
    # An energy company's portal showed any logged-in customer another's hourly consumption when the
    # customer number in the address was changed; the one customer who tried it reported it.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Osoite", DataClass.SIMPLE),
        AffectedItem("Asiakasnumero", DataClass.SIMPLE),
        AffectedItem("Tuntikohtaiset sähkönkulutustiedot", DataClass.BEHAVIOURAL),
    ]
    answers = Answers(
        dpc_adjustments=[Adjustment(1, "About 50,000 customers (volume)")],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.KNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # DPC 2 + 1 = 3; SE = 3 × 1 + 0.25 = 3.25: high (without the step, 2 × 1 + 0.25 = 2.25, medium).
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (2, 3, 1.0, 0.25, 3.25)
    assert result.band == Band.HIGH
    assert result.proposal == Proposal.HIGH
    assert result.art34_exceptions == ("a", "b", "c")
    assert result.reasons == [
        "Tuntikohtaiset sähkönkulutustiedot: Behavioural (DPC 2) → DPC 2",
        "About 50,000 customers (volume): DPC +1 → DPC 3",
        "Ease of identification maximum → EI 1",
        KNOWN_RECIPIENTS,
        "SE = DPC × EI + CB = 3 × 1 + 0.25 = 3.25: severity high",
        HIGH,
        ART34_EXCEPTIONS,
    ]


def test_two_steps_down_from_behavioural_stop_at_dpc_1_and_say_it_is_kept_within_1_to_4() -> None:
    # A gym's visit log of a branch closed in 2016 turned up on a public test server.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Jäsennumero", DataClass.SIMPLE),
        AffectedItem("Kuntosalin käyttöhistoria", DataClass.BEHAVIOURAL),
    ]
    answers = Answers(
        dpc_adjustments=[
            Adjustment(-1, "The log is from 2016 and mostly out of date"),
            Adjustment(-1, "Gym visits reveal little about a person"),
        ],
        ease_of_identification=Identification.SIGNIFICANT,
        confidentiality=Confidentiality.UNKNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # DPC 2 - 1 = 1, then 1 - 1 is kept at 1; SE = 1 × 0.75 + 0.5 = 1.25: low.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (2, 1, 0.75, 0.5, 1.25)
    assert result.band == Band.LOW
    assert result.proposal == Proposal.UNLIKELY
    assert result.art34_exceptions == ()
    assert result.reasons == [
        "Kuntosalin käyttöhistoria: Behavioural (DPC 2) → DPC 2",
        "The log is from 2016 and mostly out of date: DPC -1 → DPC 1",
        "Gym visits reveal little about a person: DPC -1, kept within 1 to 4 → DPC 1",
        "Ease of identification significant → EI 0.75",
        UNKNOWN_RECIPIENTS,
        "SE = DPC × EI + CB = 1 × 0.75 + 0.5 = 1.25: severity low",
        UNLIKELY,
    ]


def test_a_class_list_sent_to_the_wrong_parent_is_raised_to_a_risk_because_the_pupils_are_children() -> None:
    # A teacher e-mailed the class's contact list to a parent of another class.
    items = [
        AffectedItem("Oppilaan nimi", DataClass.SIMPLE),
        AffectedItem("Luokka", DataClass.SIMPLE),
        AffectedItem("Huoltajan puhelinnumero", DataClass.SIMPLE),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.KNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=True,
    )
    result = assess(items, answers)
    # SE = 1 × 1 + 0.25 = 1.25: low, but children make it at least a risk.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (1, 1, 1.0, 0.25, 1.25)
    assert result.band == Band.LOW
    assert result.proposal == Proposal.RISK
    assert result.art34_exceptions == ()
    assert result.reasons == [
        "Oppilaan nimi, Luokka, Huoltajan puhelinnumero: Simple (DPC 1) → DPC 1",
        "Ease of identification maximum → EI 1",
        KNOWN_RECIPIENTS,
        "SE = DPC × EI + CB = 1 × 1 + 0.25 = 1.25: severity low",
        VULNERABLE_FLOOR,
        RISK,
    ]


def test_pseudonymised_criminal_records_sent_to_the_wrong_partner_are_raised_to_a_risk() -> None:
    # A research institute sent a pseudonymised extract of convictions to the wrong research partner
    # (under contract, deleted it); the key to the research codes never left the institute.
    items = [
        AffectedItem("Tutkimustunniste", DataClass.SIMPLE),
        AffectedItem("Syntymävuosi", DataClass.SIMPLE),
        AffectedItem("Rikostuomiot", DataClass.SENSITIVE, special_category=True),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.NEGLIGIBLE,
        confidentiality=Confidentiality.KNOWN_RECIPIENTS,
        integrity=Integrity.NONE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # SE = 4 × 0.25 + 0.25 = 1.25: low, but criminal data makes it at least a risk.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (4, 4, 0.25, 0.25, 1.25)
    assert result.band == Band.LOW
    assert result.proposal == Proposal.RISK
    assert result.art34_exceptions == ()
    assert result.reasons == [
        "Rikostuomiot: Sensitive (DPC 4) → DPC 4",
        "Ease of identification negligible → EI 0.25",
        KNOWN_RECIPIENTS,
        "SE = DPC × EI + CB = 4 × 0.25 + 0.25 = 1.25: severity low",
        SPECIAL_FLOOR,
        RISK,
    ]


def test_a_day_long_outage_of_a_booking_system_is_unlikely_to_be_a_risk() -> None:
    # The city's sports-facility booking system was down for a day after the host's power failure.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Puhelinnumero", DataClass.SIMPLE),
        AffectedItem("Sähköpostiosoite", DataClass.SIMPLE),
        AffectedItem("Varaushistoria", DataClass.SIMPLE),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.NONE,
        integrity=Integrity.NONE,
        availability=Availability.TEMPORARY,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # SE = 1 × 1 + 0.25 = 1.25: low.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (1, 1, 1.0, 0.25, 1.25)
    assert result.band == Band.LOW
    assert result.proposal == Proposal.UNLIKELY
    assert result.art34_exceptions == ()
    assert result.reasons == [
        "Nimi, Puhelinnumero, Sähköpostiosoite, Varaushistoria: Simple (DPC 1) → DPC 1",
        "Ease of identification maximum → EI 1",
        "Availability: temporarily unavailable → +0.25",
        "SE = DPC × EI + CB = 1 × 1 + 0.25 = 1.25: severity low",
        UNLIKELY,
    ]


def test_bank_account_numbers_overwritten_beyond_recovery_are_a_high_risk() -> None:
    # A rental housing company's migration script overwrote tenants' account numbers for deposit
    # refunds with other tenants' numbers; the backups holding the old values had been rotated out.
    items = [
        AffectedItem("Nimi", DataClass.SIMPLE),
        AffectedItem("Huoneiston numero", DataClass.SIMPLE),
        AffectedItem("Tilinumero", DataClass.FINANCIAL),
    ]
    answers = Answers(
        dpc_adjustments=[],
        ease_of_identification=Identification.MAXIMUM,
        confidentiality=Confidentiality.NONE,
        integrity=Integrity.NOT_RECOVERABLE,
        availability=Availability.NONE,
        malicious=False,
        vulnerable_subjects=False,
    )
    result = assess(items, answers)
    # SE = 3 × 1 + 0.5 = 3.5: high.
    assert (result.dpc_base, result.dpc, result.ei, result.cb, result.score) == (3, 3, 1.0, 0.5, 3.5)
    assert result.band == Band.HIGH
    assert result.proposal == Proposal.HIGH
    assert result.art34_exceptions == ("a", "b", "c")
    assert result.reasons == [
        "Tilinumero: Financial (DPC 3) → DPC 3",
        "Ease of identification maximum → EI 1",
        "Integrity: altered and not recoverable → +0.5",
        "SE = DPC × EI + CB = 3 × 1 + 0.5 = 3.5: severity high",
        HIGH,
        ART34_EXCEPTIONS,
    ]


def test_a_henkilotunnus_suggests_maximum_identification() -> None:
    items = [
        AffectedItem("Henkilötunnus", DataClass.SENSITIVE, henkilotunnus=True),
        AffectedItem("Ostohistoria", DataClass.BEHAVIOURAL),
    ]
    assert identification_suggested(items) == (
        Identification.MAXIMUM,
        "A personal identity code identifies the person directly: EI maximum.",
    )


def test_a_name_with_contact_details_suggests_maximum_identification() -> None:
    items = [AffectedItem("Nimi", DataClass.SIMPLE), AffectedItem("Sähköpostiosoite", DataClass.SIMPLE)]
    assert identification_suggested(items) == (
        Identification.MAXIMUM,
        "A name with contact details or a date of birth identifies the person: EI maximum.",
    )


def test_a_name_with_a_date_of_birth_suggests_maximum_identification() -> None:
    items = [
        AffectedItem("Etunimi ja sukunimi", DataClass.SIMPLE),
        AffectedItem("Syntymäaika", DataClass.SIMPLE),
    ]
    assert identification_suggested(items) == (
        Identification.MAXIMUM,
        "A name with contact details or a date of birth identifies the person: EI maximum.",
    )


def test_a_name_alone_suggests_significant_identification() -> None:
    items = [AffectedItem("Nimi", DataClass.SIMPLE), AffectedItem("Ostohistoria", DataClass.BEHAVIOURAL)]
    assert identification_suggested(items) == (
        Identification.SIGNIFICANT,
        "A name alone may fit several people, but usually identifies one: EI significant.",
    )


def test_an_email_address_alone_suggests_significant_identification() -> None:
    items = [AffectedItem("Sähköpostiosoite", DataClass.SIMPLE)]
    assert identification_suggested(items) == (
        Identification.SIGNIFICANT,
        "Contact details such as an e-mail address often lead to the person: EI significant.",
    )


def test_nothing_that_names_the_person_suggests_limited_identification() -> None:
    items = [
        AffectedItem("Asiakasnumero", DataClass.SIMPLE),
        AffectedItem("Ostohistoria", DataClass.BEHAVIOURAL),
    ]
    assert identification_suggested(items) == (
        Identification.LIMITED,
        "Nothing affected names the person; identifying them takes other data: EI limited.",
    )
