"""schemathesis against the live app: every operation of the published schema, called as a
security lead and as an auditor with requests generated from the schema (valid ones, and ones that
break it), and every answer checked against what the schema says: no server error, only
documented status codes and content types, bodies that match their schema, invalid input refused
and valid input accepted.

The run is bounded (a fixed number of cases per operation and a fixed seed), so it is the same in
every CI run; ``SCHEMATHESIS_EXAMPLES=N`` explores further. The path parameters are the ids of real
objects (a breach with its clocks, notices and a finished mail merge), so the calls reach the views
rather than their 404s. The summary schemathesis prints (operations, cases, failures) is kept as
a test artefact in ``var/schemathesis/``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from tests.api_support import token_for
from tests.merge_support import approved, breach, merged
from tests.workers import ROOT, database_url

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))
SEED = 20261203
# Every check of an answer to one request; the stateful ones (use_after_free,
# ensure_resource_availability) need links between operations, which the schema does not declare.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "ignored_auth",
]
ARTEFACTS = Path(settings.VAR_DIR) / "schemathesis"


def _objects(lead: User, dpo: User) -> dict[str, object]:
    """A decided breach with its clocks, an approved data-subject notice and a finished merge."""
    incident = breach(lead, dpo)
    notice = approved(incident, lead, dpo, "fi")
    merge = merged(notice, lead, now=timezone.now())
    assert merge.state == "done"
    register = incident.affected.get().register
    return {
        "key": incident.reference,
        "notice_id": notice.pk,
        "merge_id": merge.pk,
        "obligation_id": incident.obligations.order_by("pk").first().pk,  # type: ignore[union-attr]
        "id": register.pk,
    }


# A write is checked against the record as well as against the schema: an id that names no row, a
# time before the clock started, a reason where none is needed, a file that is no CSV. Such a
# request is schema-valid and refused, with 400 (or 422, for a merge's recipients) naming the
# field; for writes, "valid input is accepted" therefore admits those answers too. Reads take
# every schema-valid query.
REFUSED_BY_THE_RECORD = ["2xx", 400, 401, 403, 404, 409, 422]


def _config(path: Path, token: str, parameters: dict[str, object]) -> Path:
    lines = [
        f'headers = {{ Authorization = "Token {token}" }}',
        "[parameters]",
        *(f"{name} = {json.dumps(value)}" for name, value in parameters.items()),
        "[[operations]]",
        'include-method = ["POST", "PATCH", "DELETE"]',
        f"checks.positive_data_acceptance.expected-statuses = {json.dumps(REFUSED_BY_THE_RECORD)}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _schemathesis(config: Path, url: str, name: str, *options: str) -> subprocess.CompletedProcess[str]:
    """One schemathesis run; its output is kept in var/schemathesis/<name>.txt."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(config),
                "run",
                f"{url}/api/schema/",
                "--checks",
                ",".join(CHECKS),
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                str(SEED),
                "--generation-database",
                "none",
                "--generation-with-security-parameters",
                "false",
                "--workers",
                os.environ.get("SCHEMATHESIS_WORKERS", "2"),
                "--request-timeout",
                "30",
                "--no-color",
                "--report",
                "junit",
                "--report-junit-path",
                str(ARTEFACTS / f"{name}.xml"),
                *options,
            ],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=config.parent,  # where it keeps its cache
            env={**os.environ, "SCHEMATHESIS_TELEMETRY": "false"},
        )
        # CPython 3.11's ast can fail inside hypothesis's description of a lambda ("AST
        # constructor recursion depth mismatch"): schemathesis then reports a runtime error of its
        # own, not an answer of ours; the same run is made again, at most three times in all.
        if "AST constructor recursion depth mismatch" not in run.stdout:
            break
    (ARTEFACTS / f"{name}.txt").write_text(run.stdout + run.stderr, encoding="utf-8")
    start = run.stdout.find("=== SUMMARY")
    print(run.stdout[start:] if start >= 0 else run.stdout[-3000:])
    return run


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _served(tmp_path: Path) -> Iterator[str]:
    """The app served by gunicorn (two workers, as in production) on the test's database; yields
    its address once it answers."""
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "project.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        },
        stdout=(tmp_path / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text())
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["lead", "auditor"])
def test_the_api_answers_as_its_schema_says(
    role: str, tmp_path: Path, lead: User, dpo: User, auditor: User
) -> None:
    parameters = _objects(lead, dpo)
    user = {"lead": lead, "auditor": auditor}[role]
    with _served(tmp_path) as url:
        _run_both(tmp_path, url, role, user, parameters)


def _run_both(tmp_path: Path, url: str, role: str, user: User, parameters: dict[str, object]) -> None:
    # Revoking the token the run calls with would turn every later call into a 401: that one
    # operation runs last, on its own.
    run = _schemathesis(
        _config(tmp_path / "all.toml", token_for(user), parameters),
        url,
        role,
        "--exclude-operation-id",
        "token_revoke_current",
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    run = _schemathesis(
        _config(tmp_path / "revoke.toml", token_for(user), parameters),
        url,
        f"{role}-revoke",
        "--include-operation-id",
        "token_revoke_current",
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
