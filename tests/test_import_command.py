"""manage.py import_registers: the JSON contract, --dry-run, messages and exit codes."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from incidents.importer import JSON_KEYS
from incidents.models import AuditEvent, Register
from tests.importer_support import SEEDS, seed_path

EXPECTED_KEYS = [
    "source",
    "controller_name",
    "business_id",
    "business_id_valid",
    "address",
    "contact_person",
    "contact_email",
    "contact_phone",
    "register_name",
    "purpose",
    "data_items",
    "special_categories",
    "henkilotunnus",
    "transfers_outside_eea",
    "law_basis",
    "warnings",
]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_registers", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_json_keys_are_the_contract() -> None:
    assert list(JSON_KEYS) == EXPECTED_KEYS


@pytest.mark.django_db
def test_json_prints_one_object_per_register_with_exactly_the_agreed_keys() -> None:
    paths = [str(path) for path in sorted(SEEDS.glob("*.txt"))]
    out, err = run("--json", *paths)
    found = json.loads(out)
    assert err == ""
    assert len(found) == 6  # seed 004 describes two registers
    for register in found:
        assert list(register) == EXPECTED_KEYS
        for item in register["data_items"]:
            assert list(item) == ["text", "class", "special_category", "henkilotunnus"]
            assert item["class"] in {"simple", "behavioural", "financial", "sensitive"}
        assert register["transfers_outside_eea"] in {"none", "yes", "unspecified"}
    assert [r["source"] for r in found] == [*paths[:4], paths[4], paths[4]]
    assert found[0]["business_id"] == "2332801-7"
    assert found[4]["business_id"] is None and found[4]["business_id_valid"] is None
    assert Register.objects.count() == 6


@pytest.mark.django_db
def test_dry_run_writes_nothing() -> None:
    events = AuditEvent.objects.count()
    out, _ = run("--dry-run", str(seed_path("001")))
    assert "Elämäsi Kunnossa Terveyspalvelut - asiakasrekisteri: would be imported" in out
    assert "Dry run: nothing was saved." in out
    assert Register.objects.count() == 0
    assert AuditEvent.objects.count() == events
    json_out, _ = run("--dry-run", "--json", str(seed_path("001")))
    assert json.loads(json_out)[0]["henkilotunnus"] is True
    assert Register.objects.count() == 0


@pytest.mark.django_db
def test_a_second_import_shows_what_changed(tmp_path: Path) -> None:
    first = tmp_path / "seloste.txt"
    first.write_text(seed_path("003").read_text(encoding="utf-8"), encoding="utf-8")
    out, _ = run(str(first))
    assert "imported" in out
    first.write_text(
        first.read_text(encoding="utf-8").replace("Heini Salmu, heini", "Heini Salmu-Koski, heini"),
        encoding="cp1252",
    )
    out, _ = run(str(first))
    assert "Valmennuskumppani Oy:n asiakas- ja markkinointirekisteri: updated" in out
    assert "contact_person: 'Heini Salmu' -> 'Heini Salmu-Koski'" in out
    out, _ = run(str(first))
    assert "unchanged" in out
    assert Register.objects.count() == 1


@pytest.mark.django_db
def test_bad_files_are_named_the_others_imported_and_the_exit_code_is_non_zero(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"Rekisterinpitaja\n" * 200_000)
    missing = tmp_path / "missing.txt"
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "import_registers",
            str(empty),
            str(seed_path("002")),
            str(binary),
            str(huge),
            str(missing),
            stdout=out,
            stderr=err,
        )
    assert failed.value.returncode == 1
    assert str(failed.value) == "4 of 5 files could not be imported."
    errors = err.getvalue()
    assert f"{empty}: the file is empty." in errors
    assert f"{binary}: the file could not be read as a PDF document" in errors
    assert f"{huge}: the file is larger than 2 MB" in errors
    assert f"{missing}: cannot be read (No such file or directory)." in errors
    assert "oy OmaParantola ab:n asiakasrekisteri: imported" in out.getvalue()
    assert Register.objects.count() == 1


def test_the_command_runs_as_a_program_and_exits_non_zero_on_a_bad_file(tmp_path: Path) -> None:
    """What a script calling it sees: the process's exit status and the message on stderr."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    env = {**os.environ, "BREACHCLOCK_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True, timeout=300
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "import_registers", "--json", str(bad), str(seed_path("000"))],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert f"{bad}: the file is empty." in result.stderr
    assert json.loads(result.stdout)[0]["controller_name"] == "Optimal Performance Oy"
