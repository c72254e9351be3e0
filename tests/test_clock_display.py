"""How a moment reads: local_moment (incidents/clocks/display.py) through the format modules."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation

from incidents.clocks.display import local_moment

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    # Given in UTC, as the database hands moments back, so local_moment does the conversion itself.
    return dt.datetime(year, month, day, hour, minute, tzinfo=HELSINKI).astimezone(dt.UTC)


WINTER = helsinki(2026, 11, 22, 14, 5)  # after the autumn change: UTC+02:00
SUMMER = helsinki(2026, 10, 22, 14, 5)  # before it: UTC+03:00
EARLY_MARCH = helsinki(2026, 3, 5, 9, 5)  # single-digit day, month and hour


@pytest.fixture
def fresh_format_cache() -> Iterator[None]:
    # Django caches each format per language; a test that changes a format module starts and ends clean.
    formats.reset_format_cache()
    yield
    formats.reset_format_cache()


@pytest.mark.parametrize(
    ("language", "moment", "expected"),
    [
        ("fi", WINTER, "22.11.2026 klo 14.05 (UTC+02:00)"),
        ("fi", SUMMER, "22.10.2026 klo 14.05 (UTC+03:00)"),
        ("sv", WINTER, "22.11.2026 kl. 14.05 (UTC+02:00)"),
        ("sv", SUMMER, "22.10.2026 kl. 14.05 (UTC+03:00)"),
        ("en", WINTER, "22 November 2026, 14:05 (UTC+02:00)"),
        ("en", SUMMER, "22 October 2026, 14:05 (UTC+03:00)"),
    ],
)
def test_a_moment_reads_on_the_local_clock_with_the_offset_of_that_moment(
    language: str, moment: dt.datetime, expected: str
) -> None:
    assert local_moment(moment, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "5.3.2026 klo 09.05 (UTC+02:00)"),
        ("sv", "5.3.2026 kl. 09.05 (UTC+02:00)"),
        ("en", "5 March 2026, 09:05 (UTC+02:00)"),
    ],
)
def test_day_and_month_have_no_leading_zero_but_the_hour_has(language: str, expected: str) -> None:
    assert local_moment(EARLY_MARCH, language) == expected


def test_english_names_the_month_in_english_whatever_language_is_active() -> None:
    with translation.override("fi"):
        assert local_moment(WINTER, "en") == "22 November 2026, 14:05 (UTC+02:00)"
        assert local_moment(WINTER) == "22.11.2026 klo 14.05 (UTC+02:00)"


@pytest.mark.parametrize(
    ("language", "active", "expected"),
    [
        ("fi-fi", "en", "22.11.2026 klo 14.05 (UTC+02:00)"),
        ("sv-fi", "en", "22.11.2026 kl. 14.05 (UTC+02:00)"),
        (None, "sv", "22.11.2026 kl. 14.05 (UTC+02:00)"),
        (None, "en-gb", "22 November 2026, 14:05 (UTC+02:00)"),
        ("de", "fi", "22 November 2026, 14:05 (UTC+02:00)"),
    ],
)
def test_a_regional_variant_reads_as_its_language_and_an_unknown_language_as_english(
    language: str | None, active: str, expected: str
) -> None:
    with translation.override(active):
        assert local_moment(WINTER, language) == expected


def test_no_moment_reads_as_nothing() -> None:
    assert local_moment(None, "fi") == ""


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_language_of_the_site_has_its_moment_format_in_its_format_module(language: str) -> None:
    module = importlib.import_module(f"project.formats.{language}.formats")
    # Django returns the name itself for a format no module defines; that would print garbage.
    assert formats.get_format("MOMENT_FORMAT", lang=language) == module.MOMENT_FORMAT != "MOMENT_FORMAT"
    local = WINTER.astimezone(HELSINKI)
    with translation.override(language):
        expected = formats.date_format(local, module.MOMENT_FORMAT)
    assert local_moment(WINTER, language) == f"{expected} (UTC+02:00)"


def test_changing_the_format_module_changes_what_local_moment_shows(
    monkeypatch: pytest.MonkeyPatch, fresh_format_cache: None
) -> None:
    module = importlib.import_module("project.formats.fi.formats")
    monkeypatch.setattr(module, "MOMENT_FORMAT", r"Y-m-d \k\l\o H.i")
    formats.reset_format_cache()
    assert local_moment(WINTER, "fi") == "2026-11-22 klo 14.05 (UTC+02:00)"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_date_filter_with_the_format_name_reads_like_local_moment_without_the_zone(language: str) -> None:
    template = Template('{{ moment|date:"MOMENT_FORMAT" }}|{{ moment }}')
    with translation.override(language):
        by_name, by_default = template.render(Context({"moment": WINTER})).split("|")
    assert by_name == local_moment(WINTER, language).removesuffix(" (UTC+02:00)")
    # DATETIME_FORMAT, which a datetime on a page gets when no format is named, is the same text.
    assert by_default == by_name


@pytest.mark.parametrize(
    ("language", "date", "short_date"),
    [
        ("fi", "5.3.2026", "5.3.2026"),
        ("sv", "5.3.2026", "5.3.2026"),
        ("en", "5 March 2026", "2026-03-05"),
    ],
)
def test_a_date_reads_day_first_and_an_english_short_date_is_iso(
    language: str, date: str, short_date: str
) -> None:
    day = EARLY_MARCH.astimezone(HELSINKI).date()
    with translation.override(language):
        assert formats.date_format(day) == date
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short_date
