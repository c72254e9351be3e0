"""The load benchmark's task, run in the worker process: 10,000 incidents, gunicorn, 50 people at once.

The database is seeded as the dashboard benchmark seeds it (bench.dashboard), with one account per
simulated person. The site is then served as in production (BREACHCLOCK_ENV=production, DEBUG off,
static files by whitenoise) by gunicorn, and bench.load_users runs the people against it in a
process of its own. Whatever happens, gunicorn is stopped before this returns; the database is
dropped by bench.worker.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models import Count, Max, Min

from bench.dashboard import _incidents
from incidents.models import Incident
from incidents.roles import Role

ROLES = (Role.SECURITY_LEAD, Role.DPO)
STARTUP_SECONDS = 60


def _accounts(count: int, password: str) -> list[User]:
    """Security leads and DPOs in turn, all with one password, hashed once: 50 hashes would take
    longer than the rest of the seeding."""
    hashed = make_password(password)
    people = []
    for number in range(count):
        role = ROLES[number % len(ROLES)]
        username = f"{role.name.lower().replace('_', '-')}-{number + 1:02d}"
        person = User.objects.create(
            username=username, email=f"{username}@breachclock.example", password=hashed
        )
        person.groups.add(Group.objects.get(name=role.value))
        people.append(person)
    return people


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _production_environment(var_dir: Path, port: int) -> dict[str, str]:
    """The settings a production server is given, behind a TLS proxy that is left out here."""
    return {
        **os.environ,
        "BREACHCLOCK_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "true",
        "PUBLIC_BASE_URL": f"https://127.0.0.1:{port}/",
        # Production refuses to start without a broker and a mail server; reading pages uses neither.
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": str(var_dir / "static"),
    }


@contextmanager
def _gunicorn(environment: dict[str, str], port: int, workers: int, log: Path) -> Iterator[str]:
    """The site served by gunicorn at the URL yielded; stopped (and if need be killed) on the way out."""
    with log.open("ab") as server_log:
        server = subprocess.Popen(  # noqa: S603 (our own virtual environment's gunicorn)
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "project.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            # gunicorn's log and Django's (a server error's traceback) both go to stderr.
            stdout=subprocess.DEVNULL,
            stderr=server_log,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(server, url, log)
        yield url
    finally:
        server.terminate()  # gunicorn's graceful stop: workers finish their request
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_serving(server: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    login = f"{url}/accounts/login/"
    probe = urllib.request.Request(login, headers={"X-Forwarded-Proto": "https"})  # noqa: S310 (http://)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start:\n{log.read_text(encoding='utf-8')[-3000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=5) as response:  # noqa: S310 (as above)
                if response.status == 200:
                    return
        except OSError:  # not listening yet, refused, or timed out (URLError is one too)
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not serve the login page within {STARTUP_SECONDS} s")


def _seed(incidents: int, users: int, password: str) -> tuple[list[str], tuple[int, int]]:
    """The accounts' names and the incidents' first and last id (the people pick between them)."""
    people = _accounts(users, password)
    _incidents(incidents, User.objects.filter(groups__name=Role.DPO.value).earliest("pk"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have by now on a server that grew this big
    ids = Incident.objects.aggregate(first=Min("pk"), last=Max("pk"), count=Count("pk"))
    if ids["last"] - ids["first"] + 1 != ids["count"]:
        raise RuntimeError("the incidents' ids are not one run; the people could not pick one at random")
    connection.close()  # the server's workers hold their own connections
    return [person.username for person in people], (ids["first"], ids["last"])


def _people_run(params: dict[str, Any], var_dir: Path) -> dict[str, Any]:
    """bench.load_users, bounded in time, and what it timed."""
    params_file, output = var_dir / "load-params.json", var_dir / "load-result.json"
    params_file.write_text(json.dumps(params), encoding="utf-8")
    subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "bench.load_users", str(params_file), str(output)],
        cwd=settings.BASE_DIR,
        check=True,
        timeout=params["signin_timeout"] + params["warmup"] + params["duration"] + 60,
    )
    result: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return result


def measure(
    *,
    incidents: int,
    users: int,
    spawn_rate: float,
    think_seconds: list[float],
    warmup: float,
    duration: float,
    workers: int,
) -> dict[str, Any]:
    password = secrets.token_urlsafe(16)
    accounts, incident_ids = _seed(incidents, users, password)
    var_dir = Path(os.environ["BREACHCLOCK_VAR_DIR"])
    port = _free_port()
    environment = _production_environment(var_dir, port)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
    )
    log = var_dir / "gunicorn.log"
    with _gunicorn(environment, port, workers, log) as url:
        result = _people_run(
            {
                "host": url,
                "accounts": accounts,
                "password": password,
                "incident_ids": incident_ids,
                "users": users,
                "spawn_rate": spawn_rate,
                "think_seconds": think_seconds,
                "signin_timeout": STARTUP_SECONDS,
                "warmup": warmup,
                "duration": duration,
            },
            var_dir,
        )
    server_log = log.read_text(encoding="utf-8", errors="replace")
    return result | {"incidents": incidents, "workers": workers, "server_log_end": server_log[-3000:]}
