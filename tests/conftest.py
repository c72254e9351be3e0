"""Shared personas: a security lead, a DPO, an auditor and an outsider with no role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import translation

from incidents.roles import Role
from tests.browser import chromium
from tests.moments import T0

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a page requested in Finnish leaves Finnish
    active in the thread, which would make a later test's messages Finnish."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def user_with_role(username: str, first: str, last: str, role: Role | None) -> User:
    user = User.objects.create_user(username, f"{username}@breachclock.example", PASSWORD)
    user.first_name, user.last_name = first, last
    user.save()
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


@pytest.fixture
def lead(db: None) -> User:
    return user_with_role("alice", "Alice", "Lead", Role.SECURITY_LEAD)


@pytest.fixture
def dpo(db: None) -> User:
    return user_with_role("bob", "Bob", "Officer", Role.DPO)


@pytest.fixture
def auditor(db: None) -> User:
    return user_with_role("charlie", "Charlie", "Auditor", Role.AUDITOR)


@pytest.fixture
def outsider(db: None) -> User:
    return user_with_role("mallory", "Mallory", "Outsider", None)


@pytest.fixture
def frozen_at_t0() -> Iterator[None]:
    """The clock stopped at T0, for the pages and the API, which read the time themselves; a module
    asks for it with ``pytestmark = pytest.mark.usefixtures("frozen_at_t0")``."""
    with time_machine.travel(T0, tick=False):
        yield


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright, for the modules marked with tests.browser.BROWSER_MARKS."""
    yield from chromium()


def refused_page(response: Any) -> Any:
    """A form of the incident's page refused: sent back (303) to the page, which shows what was
    typed and why it was refused; the page as the browser then shows it."""
    assert response.status_code == 303, response.status_code
    page = response.client.get(response["Location"])
    assert page.status_code == 200
    return page
