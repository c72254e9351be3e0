"""`make run` as a newcomer meets it: web, worker and beat come up; Ctrl-C stops all three."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"gave up waiting for {what}")


def page_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def status_of(request: urllib.request.Request) -> int:
    """The status the app answers, redirects not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def log_in(base: str, username: str, password: str) -> str:
    """Log in through the login form as a browser would, and return the page it lands on."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/").read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/"}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/"})
    with opener.open(request) as response:
        return str(response.read().decode())


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def test_make_run_serves_the_app_with_worker_and_beat_and_ctrl_c_stops_all(tmp_path: Path) -> None:
    port = free_port()
    log_file = tmp_path / "run.log"
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CELERY_BROKER_URL"}
    }
    env["BREACHCLOCK_VAR_DIR"] = str(tmp_path / "var")
    # pytest-django exported the test settings (tasks run eagerly there); make run uses the real ones.
    env["DJANGO_SETTINGS_MODULE"] = "project.settings"
    with log_file.open("w") as log:
        make = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    output = lambda: log_file.read_text(errors="replace")  # noqa: E731
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: page_answers(f"{base}/accounts/login/"), "the login page")
        assert page_answers(f"{base}/static/css/breachclock.css"), "the style sheet is not served"
        wait_for(lambda: re.search(r"celery@\S+ ready", output()) is not None, "the worker")
        wait_for(lambda: "beat: Starting" in output(), "beat")
        assert f"sign in at {base}/" in output(), output()

        match = re.search(r"^\s*Data protection officer\s+dpo\s+(\S+)$", output(), re.MULTILINE)
        assert match, output()
        dashboard = log_in(base, "dpo", match.group(1))
        assert "Mikko Korhonen" in dashboard
        assert "Data protection officer" in dashboard
        assert (tmp_path / "var" / "breachclock.sqlite3").exists()
        # Ordinary refusals are answered and logged in a line each, never with a traceback.
        refused = {
            "a page, not signed in": (urllib.request.Request(f"{base}/incidents/999999/"), 302),
            "a form without its token": (
                urllib.request.Request(f"{base}/accounts/login/", data=b"username=x&password=y"),
                403,
            ),
            "the API without a token": (urllib.request.Request(f"{base}/api/incidents/"), 401),
            "the API at an address of nothing": (urllib.request.Request(f"{base}/api/nothing/"), 404),
        }
        for what, (request, expected) in refused.items():
            assert status_of(request) == expected, what
        # Beat's first reminder scan, a minute after it starts, goes through the filesystem broker
        # under var/ and is run by the worker.
        wait_for(
            lambda: (
                re.search(r"worker\.1 +\| .*Task incidents\.tasks\.reminders_scan\[\S+\] succeeded", output())
                is not None
            ),
            "the worker to run beat's reminder scan",
            timeout=120,
        )
    finally:
        # What a terminal does on Ctrl-C: SIGINT to the whole foreground process group.
        os.killpg(make.pid, signal.SIGINT)
        try:
            make.wait(timeout=60)
        finally:
            if not group_is_gone(make.pid):
                os.killpg(make.pid, signal.SIGKILL)
    text = output()
    for name in ("web", "worker", "beat"):
        assert re.search(rf"{name}\.1 stopped", text), f"{name} did not stop:\n{text}"
    wait_for(lambda: group_is_gone(make.pid), "every process of make run to exit", timeout=15)
    assert "Traceback" not in text, text


def test_a_second_install_reuses_the_environment() -> None:
    first = subprocess.run(["make", "install"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(["make", "-n", "install"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0
    assert "uv sync" not in second.stdout, "a second install should find the environment up to date"
    assert "venv" not in second.stdout
