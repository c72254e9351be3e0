"""The Finnish and Swedish catalogues: every message translated, the placeholders kept, the
compiled catalogue the one Django loads, and a page read in each language."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from incidents.services.lifecycle import STEPS

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
        assert str(STEPS["confirm"][0]).capitalize() == word
