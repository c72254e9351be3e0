from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from project.env import env_bool, env_choice, env_int, env_list, env_str


def test_a_yes_no_variable_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for text, expected in [("1", True), ("TRUE", True), ("yes", True), ("off", False), ("0", False)]:
        monkeypatch.setenv("FLAG", text)
        assert env_bool("FLAG", default=not expected) is expected


def test_a_misspelt_yes_no_value_stops_with_the_variable_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='ture' is not a yes/no value"):
        env_bool("DEBUG", default=False)


def test_an_unset_or_blank_variable_gives_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIME_ZONE", raising=False)
    assert env_str("TIME_ZONE", "Europe/Helsinki") == "Europe/Helsinki"
    monkeypatch.setenv("TIME_ZONE", "  ")
    assert env_str("TIME_ZONE", "Europe/Helsinki") == "Europe/Helsinki"


def test_a_required_variable_that_is_missing_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env_str("SECRET_KEY", required=True)


def test_a_secret_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-the-file\n")
    monkeypatch.setenv("SECRET_KEY", "from-the-variable")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env_str("SECRET_KEY") == "from-the-file"


def test_an_unreadable_secret_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE: cannot read"):
        env_str("SECRET_KEY")


def test_numbers_lists_and_choices_refuse_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='twenty-five' is not a whole number"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT=0 is below the smallest allowed value, 1"):
        env_int("EMAIL_PORT", 25, minimum=1)
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match=r"ALLOWED_HOSTS=.* has an empty item"):
        env_list("ALLOWED_HOSTS", [])
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("BREACHCLOCK_ENV", "staging")
    with pytest.raises(
        ImproperlyConfigured, match="BREACHCLOCK_ENV='staging' is not one of development, production"
    ):
        env_choice("BREACHCLOCK_ENV", "development", ("development", "production"))
