"""Settings as an operator meets them: `manage.py` run with a given environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# 50+ varied characters, as `check --deploy` wants of a real key.
REAL_SECRET = "q8Zt-3vLr_Wm9pXc2Kd7Hs4Jf6Ng1Bb5Yy0Ue-Ri8Ao3Tl2Mz7Qw"
# What production cannot start without besides the secret and the host (nothing here connects).
SERVICES = {
    "PUBLIC_BASE_URL": "https://breach.example.fi/",
    "DATABASE_URL": "postgres://breachclock@db.example.fi:5432/breachclock",
    "CELERY_BROKER_URL": "redis://redis.example.fi:6379/0",
    "EMAIL_HOST": "smtp.example.fi",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "BREACHCLOCK_ENV",
            "TIME_ZONE",
            "PUBLIC_BASE_URL",
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "EMAIL_HOST",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    base["BREACHCLOCK_VAR_DIR"] = str(tmp_path)
    # pytest-django exported the test settings; an operator's manage.py reads the real ones.
    base["DJANGO_SETTINGS_MODULE"] = "project.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_with_a_real_secret_and_host_passes_the_deploy_check(tmp_path: Path) -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "BREACHCLOCK_ENV": "production",
            "SECRET_KEY": REAL_SECRET,
            "ALLOWED_HOSTS": "breach.example.fi",
            **SERVICES,
        },
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_fails_the_deploy_check(tmp_path: Path) -> None:
    """The same check tells an operator who forgot BREACHCLOCK_ENV=production."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = manage(
        "check",
        env={"BREACHCLOCK_ENV": "production", "ALLOWED_HOSTS": "breach.example.fi"},
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start(tmp_path: Path) -> None:
    result = manage(
        "check", env={"BREACHCLOCK_ENV": "production", "SECRET_KEY": REAL_SECRET}, tmp_path=tmp_path
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the host" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"SECRET_KEY": "short-but-set"},
            "SECRET_KEY must be at least 50 characters in production (it is 13)",
        ),
        ({"DEBUG": "true"}, "DEBUG must be false in production"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS=* is refused in production"),
        ({"ALLOWED_HOSTS": "breach.example.fi,*"}, "ALLOWED_HOSTS=* is refused in production"),
    ],
    ids=["short secret", "debug", "any host", "any host among others"],
)
def test_production_refuses_to_start_with_what_the_deploy_check_only_warns_of(
    tmp_path: Path, overrides: dict[str, str], message: str
) -> None:
    env = {
        "BREACHCLOCK_ENV": "production",
        "SECRET_KEY": REAL_SECRET,
        "ALLOWED_HOSTS": "breach.example.fi",
        **SERVICES,
    }
    result = manage("check", env={**env, **overrides}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize("variable", list(SERVICES))
def test_production_refuses_to_start_without_a_service_development_stands_in_for(
    tmp_path: Path, variable: str
) -> None:
    """Unset, the mail would go to files, the incidents to a file on one machine: refused, named."""
    env = {"BREACHCLOCK_ENV": "production", "SECRET_KEY": REAL_SECRET, "ALLOWED_HOSTS": "breach.example.fi"}
    result = manage(
        "check",
        env=env | {name: value for name, value in SERVICES.items() if name != variable},
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    refusal = result.stderr.strip().splitlines()[-1]
    assert f"Production mode refuses to start without {variable} (" in refusal
    assert not any(f"{other} (" in refusal for other in SERVICES if other != variable)


def test_production_names_every_missing_service_at_once_and_reads_them_from_files(tmp_path: Path) -> None:
    env = {"BREACHCLOCK_ENV": "production", "SECRET_KEY": REAL_SECRET, "ALLOWED_HOSTS": "breach.example.fi"}
    refusal = manage("check", env=env, tmp_path=tmp_path).stderr.strip().splitlines()[-1]
    assert all(f"{name} (" in refusal for name in SERVICES), refusal
    files = {}
    for name, value in SERVICES.items():
        (tmp_path / name.lower()).write_text(value + "\n", encoding="utf-8")
        files[f"{name}_FILE"] = str(tmp_path / name.lower())
    result = manage("check", env=env | files, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_development_generates_its_secret_key_once(tmp_path: Path) -> None:
    assert manage("check", env={}, tmp_path=tmp_path).returncode == 0
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert manage("check", env={}, tmp_path=tmp_path).returncode == 0
    assert key_file.read_text() == first


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "DATABASE_URL",
            "mysql://root@localhost/breach",
            "DATABASE_URL='mysql://root@localhost/breach': only",
        ),
        (
            "CELERY_BROKER_URL",
            "amqp://guest@localhost//",
            "CELERY_BROKER_URL='amqp://guest@localhost//': use",
        ),
        ("TIME_ZONE", "Europe/Helsingfors", "TIME_ZONE='Europe/Helsingfors' is not a known time zone"),
        ("DEBUG", "maybe", "DEBUG='maybe' is not a yes/no value"),
        # A link in an e-mail is opened outside the site: a host alone, or a path, leads nowhere.
        (
            "PUBLIC_BASE_URL",
            "breach.example.fi",
            "PUBLIC_BASE_URL='breach.example.fi' is not an absolute http(s) address",
        ),
        ("PUBLIC_BASE_URL", "/bc/", "PUBLIC_BASE_URL='/bc/' is not an absolute http(s) address"),
        (
            "PUBLIC_BASE_URL",
            "ftp://breach.example.fi/",
            "PUBLIC_BASE_URL='ftp://breach.example.fi/' is not an absolute http(s) address",
        ),
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = manage("check", env={variable: value}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def settings_of(*names: str, env: dict[str, str], tmp_path: Path) -> dict[str, object]:
    """The named settings as the app reads them from the given environment (and nothing else of
    the database, broker or e-mail kind: those come from ``env`` or their defaults)."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: str(getattr(settings, name, None)) for name in {list(names)!r}}}))"
    )
    cleared = {
        name: ""
        for name in os.environ
        if name.startswith(("EMAIL_", "CELERY_")) or name in {"DATABASE_URL", "DEFAULT_FROM_EMAIL"}
    }
    result = manage("shell", "-c", code, env={**cleared, **env}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_embedded_defaults_keep_everything_under_var(tmp_path: Path) -> None:
    values = settings_of(
        "TIME_ZONE",
        "EMAIL_BACKEND",
        "EMAIL_FILE_PATH",
        "CELERY_BROKER_URL",
        "DATABASES",
        env={},
        tmp_path=tmp_path,
    )
    assert values["TIME_ZONE"] == "Europe/Helsinki"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    assert values["CELERY_BROKER_URL"] == "filesystem://"
    assert str(tmp_path / "breachclock.sqlite3") in str(values["DATABASES"])
    assert (tmp_path / "broker" / "queue").is_dir()


def test_mail_is_written_to_files_under_var_by_default(tmp_path: Path) -> None:
    cleared = {name: "" for name in os.environ if name.startswith("EMAIL_")}
    result = manage("sendtestemail", "dpo@example.fi", env=cleared, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    (message,) = (tmp_path / "mail").iterdir()
    assert "To: dpo@example.fi" in message.read_text()


def test_an_smtp_host_switches_mail_to_smtp_with_its_account(tmp_path: Path) -> None:
    values = settings_of(
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_USE_TLS",
        env={"EMAIL_HOST": "smtp.example.fi", "EMAIL_PORT": "2525", "EMAIL_HOST_USER": "breachclock"},
        tmp_path=tmp_path,
    )
    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.fi",
        "EMAIL_PORT": "2525",
        "EMAIL_HOST_USER": "breachclock",
        "EMAIL_USE_TLS": "True",
    }


def test_tls_and_ssl_together_stop_the_start(tmp_path: Path) -> None:
    result = manage(
        "check",
        env={"EMAIL_HOST": "smtp.example.fi", "EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"},
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on" in result.stderr


def test_e_mail_links_point_to_the_local_server_by_default_and_to_the_public_address_given(
    tmp_path: Path,
) -> None:
    assert settings_of("PUBLIC_BASE_URL", env={}, tmp_path=tmp_path) == {
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000/"
    }
    # Served under a sub-path: kept, and ended with a slash so that paths join under it.
    assert settings_of(
        "PUBLIC_BASE_URL", env={"PUBLIC_BASE_URL": "https://breach.example.fi/bc"}, tmp_path=tmp_path
    ) == {"PUBLIC_BASE_URL": "https://breach.example.fi/bc/"}


def test_a_time_zone_and_log_level_from_the_environment_are_used(tmp_path: Path) -> None:
    values = settings_of(
        "TIME_ZONE",
        "CELERY_TIMEZONE",
        "LOG_LEVEL",
        env={"TIME_ZONE": "Europe/Stockholm", "LOG_LEVEL": "WARNING"},
        tmp_path=tmp_path,
    )
    assert values == {
        "TIME_ZONE": "Europe/Stockholm",
        "CELERY_TIMEZONE": "Europe/Stockholm",
        "LOG_LEVEL": "WARNING",
    }
    result = manage("check", env={"LOG_LEVEL": "loud"}, tmp_path=tmp_path)
    assert "LOG_LEVEL='loud' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in result.stderr


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_and_broker_it_was_given() -> None:
    """CI's second run points DATABASE_URL at PostgreSQL and CELERY_BROKER_URL at Redis; if either
    were ignored, the PostgreSQL-only tests would skip and the run would pass on SQLite unnoticed."""
    from django.db import connection

    from project.celery import app

    database_url = os.environ.get("DATABASE_URL", "sqlite:")
    expected_vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
    assert connection.vendor == expected_vendor
    broker_url = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert app.conf.broker_url == broker_url
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1)
        assert broker.transport.driver_type == broker_url.split(":")[0]
