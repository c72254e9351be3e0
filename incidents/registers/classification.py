"""The suggested ENISA data-processing-context class of a data item, from its words.

ENISA's severity methodology (2013) starts from the kind of data: simple 1, behavioural 2,
financial 3, sensitive 4 (design, "Risk assessment"). GDPR Art. 9 special categories, Art. 10
criminal data and the henkilötunnus are sensitive. The rules are the tables below, in Finnish,
Swedish and English; the first table whose pattern matches decides, so an exception ("billing
address" is contact data, not financial) is listed before the rule it overrides.

Patterns are matched anywhere in the lower-cased text, because Finnish and Swedish build
compounds ("terveysprofiilitiedot", "päihteidenkäyttöön"); short English words carry ``\\b``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from django.utils.translation import gettext_lazy as _


class DataClass(IntEnum):
    SIMPLE = 1
    BEHAVIOURAL = 2
    FINANCIAL = 3
    SENSITIVE = 4

    @property
    def code(self) -> str:
        return self.name.lower()


DATA_CLASS_LABELS = {
    DataClass.SIMPLE: _("Simple (DPC 1)"),
    DataClass.BEHAVIOURAL: _("Behavioural (DPC 2)"),
    DataClass.FINANCIAL: _("Financial (DPC 3)"),
    DataClass.SENSITIVE: _("Sensitive (DPC 4)"),
}

HENKILOTUNNUS = (
    r"henkilötunnu|\bhetu\b|sosiaaliturvatunnu|\bsotu\b|personbeteckning|personnummer|"
    r"personal identity (code|number)|national (identification|identity) (code|number)|"
    r"social security number"
)

# GDPR Art. 9(1) and Art. 10, and the old henkilötietolaki 11 § "arkaluonteiset tiedot".
SPECIAL_CATEGORIES = {
    # A diet for health reasons (erityisruokavalio, specialkost) is health data: a kindergarten or a
    # school asks for a doctor's statement of the allergy or illness behind it. An allergy-friendly
    # dish or menu ("allergiaystävällinen ruokavalio") describes food, not a person; nor does a
    # hospital as an employer ("sairaala"), though a stay in one ("sairaalahoito") is health data.
    "health": r"terve(ys|yd)|sairau|sairas|sairaala(hoi|jakso|käyn)|diagnoo|lääki|lääke|potilas|"
    r"hoitotie(to|do)|päihte|alkoholi|huume|raskau|vamma|"
    r"allerg(?!iaystäväll|iavapa|ivänlig|y[- ]friendly|y[- ]free)|mielenterve|hälsa|hälso|sjuk|"
    r"diagnos|läkemed|medicin|medicat|missbruk|erityisruokavali|erikoisruokavali|specialkost|"
    r"specialdiet|special diets?\b|\bhealth|medical|disease|disabilit|substance (use|abuse)",
    "ethnic origin": r"etni|rotu|\brodun|etnisk|\bras\b|rasmässig|ethnic|racial",
    "political opinions": r"poliitti|politisk|political",
    "religion or belief": r"uskon|vakaumu|religi|övertygelse|philosophical belief",
    "trade union": r"ammattiliit|ammattiyhdisty|fackförening|fackligt|trade union",
    "genetic data": r"geneetti|perimä|\bdna\b|genetisk|genetic",
    "biometric data": r"biometri|sormenjälk|fingeravtryck|fingerprint",
    "sex life or orientation": r"seksuaali|sukupuolinen suuntautuminen|sexuell|sexual",
    # "rikoks-", "rikokse-", not the "riko" of "haalarikoko" (overall size).
    "criminal offences": r"rikos|rikoks|rikokse|rikoll|tuomio|brott|criminal|conviction|offence",
    "sensitive data": r"arkaluonteis|erityis(iä|et) henkilötietoryhm|känsliga personuppgifter|"
    r"särskilda kategorier|special categor|sensitive data",
}

# Checked before the financial and behavioural tables: contact data that merely sounds like them.
SIMPLE_EXCEPTIONS = r"laskutusosoite|laskutusyhteystie|faktureringsadress|billing address|invoicing address"

FINANCIAL = (
    r"pankki|tilinumero|\biban\b|maksu|luotto|lasku|perintä|tulot|tulotie|palkka|varallisuu|velka|"
    r"veroti|\bbank|kontonummer|betalning|kredit|faktur|inkomst|\blön|skuld|"
    r"account number|payment|credit|card number|invoice|billing|income|salary|debt"
)

BEHAVIOURAL = (
    r"sijainti|paikkatie|\bgps\b|liikennetie|lokitie|\bloki|ip-osoite|eväste|selaus|käyttö(?!oikeu)|"
    r"käyttämä|asiointi|osto|tilau|seuranta|kiinnostu|mieltymy|tottumu|profiil|ryhmittely|"
    r"katselu|kulutus|\bplats|lokalisering|trafikuppgift|beteende|\bköp|beställning|användning|"
    r"cookie|intresse|location|traffic|behavio|browsing|usage|purchase|order|ip address|"
    r"preference|interest|habit|\blogs?\b|viewing|tracking|"
    # What is done to or held about a customer's dealings: targeted marketing, services in use.
    r"kohdiste|markkinointitoimenp|voimassa ?olevat palvelut|palvelut hintoineen|riktad marknadsföring|"
    r"targeted (marketing|advertising)"
)

_HENKILOTUNNUS = re.compile(HENKILOTUNNUS, re.IGNORECASE)
_SPECIAL = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in SPECIAL_CATEGORIES.items()}
_SIMPLE_EXCEPTIONS = re.compile(SIMPLE_EXCEPTIONS, re.IGNORECASE)
_FINANCIAL = re.compile(FINANCIAL, re.IGNORECASE)
_BEHAVIOURAL = re.compile(BEHAVIOURAL, re.IGNORECASE)


@dataclass(frozen=True)
class Classification:
    data_class: DataClass
    special_category: bool
    henkilotunnus: bool
    reason: str | None  # the special category, or None


def special_category_of(text: str) -> str | None:
    for name, pattern in _SPECIAL.items():
        if pattern.search(text):
            return name
    return None


# A veterinary clinic's "eläimen sairauskertomus" is about the animal: not a person's health data.
_ANIMAL = re.compile(r"eläim|lemmik|\bdjur|husdjur|\banimal|\bpet'?s?\b", re.IGNORECASE)


def data_item_classify(text: str, *, of_animal: bool = False) -> Classification:
    henkilotunnus = _HENKILOTUNNUS.search(text) is not None
    special = None if of_animal or _ANIMAL.search(text) else special_category_of(text)
    if special is not None or henkilotunnus:
        return Classification(DataClass.SENSITIVE, special is not None, henkilotunnus, special)
    if _SIMPLE_EXCEPTIONS.search(text):
        return Classification(DataClass.SIMPLE, False, False, None)
    if _FINANCIAL.search(text):
        return Classification(DataClass.FINANCIAL, False, False, None)
    if _BEHAVIOURAL.search(text):
        return Classification(DataClass.BEHAVIOURAL, False, False, None)
    return Classification(DataClass.SIMPLE, False, False, None)


def data_item_classify_in_group(text: str, group: str | None) -> Classification:
    """An item listed under a group label ("Terveydentilaan liittyvät tiedot:") is at least as
    sensitive as its group: "henkilökohtaiset merkinnät" under a health heading are health data."""
    if not group:
        return data_item_classify(text)
    own = data_item_classify(text, of_animal=_ANIMAL.search(group) is not None)
    inherited = data_item_classify(group)
    if inherited.data_class <= own.data_class:
        return own
    return Classification(
        inherited.data_class,
        own.special_category or inherited.special_category,
        own.henkilotunnus,
        own.reason or inherited.reason,
    )
