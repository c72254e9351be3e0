"""The people of the load benchmark, simulated by locust: sign in, then read the breach desk's pages.

Run as ``python -m bench.load_users PARAMS OUTPUT`` by bench.load, in a process of its own: locust's
gevent patches the standard library's sockets when it is imported, which must not happen to the
Django process that seeded the database. PARAMS is a JSON file (host, accounts, incident ids, the
run's lengths); OUTPUT gets every request timed after the warm-up, as JSON.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections.abc import Iterator
from http.cookiejar import DefaultCookiePolicy
from itertools import cycle
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

# locust and gevent are in the bench group only, which `make lint` does not install.
import gevent  # type: ignore[import-untyped,import-not-found,unused-ignore]
from locust import between, task  # type: ignore[import-not-found,unused-ignore]
from locust.contrib.fasthttp import FastHttpUser  # type: ignore[import-not-found,unused-ignore]
from locust.env import Environment  # type: ignore[import-not-found,unused-ignore]
from locust.exception import StopUser  # type: ignore[import-not-found,unused-ignore]

# Every page must arrive whole: a 200 with what a reader looks for, counted in the page.
PAGES = {
    "dashboard": (b'data-testid="incident-row"', 50),  # the nearest 50 deadlines
    "incident": (b'data-testid="state"', 1),
    "incident list": (b"<strong>INC-", 50),  # the newest 50
}
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(FastHttpUser):
    """One signed-in member of the breach desk: the dashboard, an incident's page, now and then the list.

    Requests carry the X-Forwarded-Proto the TLS proxy would add: the site runs as in production,
    behind one, and sets its session and CSRF cookies Secure.
    """

    default_headers = {"X-Forwarded-Proto": "https"}
    origin: ClassVar[str]
    accounts: ClassVar[Iterator[str]]
    password: ClassVar[str]
    incident_ids: ClassVar[tuple[int, int]]
    signed_in: ClassVar[int] = 0

    def on_start(self) -> None:
        # The proxy left out, the client talks plain HTTP over the loopback; the cookies must go too.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "http")))
        username = next(self.accounts)
        with self.client.get("/accounts/login/", name="login form", catch_response=True) as form:
            token = CSRF_INPUT.search(form.content or b"")
            if form.status_code != 200 or token is None:
                form.failure(f"HTTP {form.status_code} without the login form")
                raise StopUser  # the failure is counted; a person not signed in reads nothing
        with self.client.post(
            "/accounts/login/",
            name="login",
            data={"username": username, "password": self.password, "csrfmiddlewaretoken": token[1].decode()},
            # A browser's form post names its origin; Django checks it against the host over HTTPS.
            headers={"Origin": self.origin},
            allow_redirects=False,
            catch_response=True,
        ) as signed:
            if signed.status_code != 302 or signed.headers.get("Location") != "/":
                signed.failure(f"HTTP {signed.status_code}: {username} was not signed in")
                raise StopUser
        Person.signed_in += 1

    @task(2)
    def dashboard(self) -> None:
        self._read("/", "dashboard")

    @task(3)
    def incident(self) -> None:
        pk = random.randint(*self.incident_ids)  # noqa: S311 (which page to read, not a secret)
        self._read(f"/incidents/{pk}/", "incident")

    @task(1)
    def incident_list(self) -> None:
        self._read("/incidents/", "incident list")

    def _read(self, path: str, page: str) -> None:
        # No redirects followed: a session lost on the way would end on the login page with a 200.
        with self.client.get(path, name=page, allow_redirects=False, catch_response=True) as response:
            marker, count = PAGES[page]
            found = (response.content or b"").count(marker)
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif found != count:
                response.failure(f"{found} of the {count} {marker.decode()!r} expected")


class Timings:
    """Every request that ends after the warm-up: page, milliseconds, and what failed, if anything."""

    def __init__(self) -> None:
        self.measuring = False
        self.requests: list[tuple[str, float, str | None]] = []
        self.warmup_failures: list[str] = []

    def request(self, name: str, response_time: float, exception: BaseException | None, **_: Any) -> None:
        failure = None if exception is None else f"{name}: {exception}"
        if self.measuring:
            self.requests.append((name, response_time, failure))
        elif failure:
            self.warmup_failures.append(failure)

    def user_error(self, exception: BaseException, **_: Any) -> None:
        """An error in a person's own code (not a request) stops nothing, but counts as a failure."""
        failure = f"error in the simulated person: {exception!r}"
        if self.measuring:
            self.requests.append(("person", 0.0, failure))
        else:
            self.warmup_failures.append(failure)


def main(argv: list[str]) -> int:
    params_file, output = argv
    params = json.loads(Path(params_file).read_text(encoding="utf-8"))
    Person.accounts = cycle(params["accounts"])
    Person.password = params["password"]
    Person.origin = "https://" + urlsplit(params["host"]).netloc  # as the browser sees the site
    Person.incident_ids = tuple(params["incident_ids"])
    # People read a page before they open the next.
    Person.wait_time = between(*params["think_seconds"])
    environment = Environment(user_classes=[Person], host=params["host"])
    timings = Timings()
    environment.events.request.add_listener(timings.request)
    environment.events.user_error.add_listener(timings.user_error)
    runner = environment.create_local_runner()
    runner.start(params["users"], spawn_rate=params["spawn_rate"])
    # Warm-up: everyone signed in (a password hash each, on the server), then the caches filled.
    deadline = time.monotonic() + params["signin_timeout"]
    while Person.signed_in < params["users"] and time.monotonic() < deadline:
        gevent.sleep(0.5)
    gevent.sleep(params["warmup"])
    signed_in = Person.signed_in
    timings.measuring = True
    started = time.monotonic()
    gevent.sleep(params["duration"])
    timings.measuring = False
    measured = time.monotonic() - started
    runner.quit()
    result = {
        "requests": timings.requests,
        "warmup_failures": timings.warmup_failures,
        "signed_in": signed_in,
        "seconds": measured,
    }
    Path(output).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
