"""What every browser test shares: Debian's Chromium, driven by Playwright.

A module of browser tests sets ``pytestmark = BROWSER_MARKS`` and takes the ``browser`` fixture
(tests/conftest.py). Without Chromium the tests are skipped, with the reason shown.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))

BROWSER_MARKS = [
    pytest.mark.browser,
    # The live server answers from another thread, so the data must be committed.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"no Chromium at {CHROMIUM}: install Debian's chromium package (apt-get install chromium)",
    ),
]

# This machine has no outside network: Chromium must not try to reach one.
_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the Django calls the tests
    # make around it (creating users, the live server) are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=_ARGUMENTS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
