"""The Finnish and Swedish catalogues: every message translated, the placeholders kept, the
compiled catalogue the one Django loads, and a page read in each language."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from incidents.lifecycle.steps import STEPS

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["fi", "sv"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _placeholders(text: str) -> set[str]:
    return {"".join(match.groups(default="")) for match in PLACEHOLDER.finditer(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_a_guess(language):
    catalogue = _catalogue(language)

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    guessed = [entry.msgid for entry in catalogue.fuzzy_entries()]

    assert untranslated == []
    assert guessed == []
    assert len(catalogue.translated_entries()) > 500


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language):
    wrong = []
    for entry in _catalogue(language).translated_entries():
        expected = _placeholders(entry.msgid)
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        wrong += [(entry.msgid, text) for text in translations if _placeholders(text) != expected]

    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_source(language):
    source = {
        entry.msgid: entry.msgstr
        for entry in _catalogue(language).translated_entries()
        if not entry.msgid_plural
    }
    compiled = {
        entry.msgid: entry.msgstr
        for entry in polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
        if not entry.msgid_plural
    }

    assert {msgid: compiled.get(msgid) for msgid in source} == source


@pytest.mark.parametrize(("language", "word"), [("fi", "Vahvista"), ("sv", "Bekräfta")])
def test_a_step_reads_in_the_users_language(language, word):
    with translation.override(language):
        assert str(STEPS["confirm"].label).capitalize() == word


# The clock words as a Finnish and a Swedish DPO write them: a missed deadline is late, not
# "neglected"; a duty that does not apply is marked so, not "waived"; the provision, not the legal
# basis (which means Art. 6); the provision cited as the reader's text of the GDPR cites it.
CLOCK_WORDS = {
    "fi": {
        "missed": "Myöhässä (määräaika ylittynyt)",
        "waived": "Ei sovelleta (perusteltu)",
        "waive": "Merkitse ei sovellettavaksi",
        "gdpr-34": "Ilmoitus rekisteröidyille",
        "gdpr-33-2": "Käsittelijän ilmoitus rekisterinpitäjälle",
        "art-33-1": "tietosuoja-asetuksen 33 artiklan 1 kohta",
        "legal reference": "säännös",
        "start triage": "aloita alustava arviointi",
        "h": "t",
    },
    "sv": {
        "missed": "Försenad (tidsfristen överskriden)",
        "waived": "Tillämpas inte (motiverat)",
        "waive": "Markera som ej tillämplig",
        "gdpr-34": "Information till de registrerade",
        "gdpr-33-2": "Biträdets underrättelse till den personuppgiftsansvarige",
        "art-33-1": "artikel 33.1 i dataskyddsförordningen",
        "legal reference": "bestämmelse",
        "start triage": "påbörja inledande bedömning",
        "h": "tim",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_clock_words_read_as_a_dpo_writes_them(language):
    from incidents.models import ObligationStatus, ObligationTemplate

    templates = {template.code: template for template in ObligationTemplate.objects.all()}
    with translation.override(language):
        shown = {
            "missed": str(ObligationStatus.MISSED.label),
            "waived": str(ObligationStatus.WAIVED.label),
            "waive": translation.gettext("Waive"),
            "gdpr-34": templates["gdpr-34"].stage_label,
            "gdpr-33-2": templates["gdpr-33-2"].stage_label,
            "art-33-1": templates["gdpr-33-1"].law_reference_label,
            "legal reference": translation.gettext("legal reference"),
            "start triage": str(STEPS["start_triage"].label),
            "h": translation.gettext("h"),
        }
    assert shown == CLOCK_WORDS[language]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_clock_cites_its_provision_in_the_readers_language(language):
    from incidents.models import ObligationTemplate

    with translation.override(language):
        cited = [template.law_reference_label for template in ObligationTemplate.objects.all()]
    # No provision is left in English ("GDPR Art.", "section", "Delegated Regulation").
    assert not [text for text in cited if "Art." in text or "section" in text or "Regulation" in text]
