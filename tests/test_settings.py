"""Settings as an operator meets them: `manage.py` run with a given environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# 50+ varied characters, as `check --deploy` wants of a real key.
REAL_SECRET = "q8Zt-3vLr_Wm9pXc2Kd7Hs4Jf6Ng1Bb5Yy0Ue-Ri8Ao3Tl2Mz7Qw"


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
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    base["BREACHCLOCK_VAR_DIR"] = str(tmp_path)
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
    ],
)
def test_a_bad_value_stops_the_start_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = manage("check", env={variable: value}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr
