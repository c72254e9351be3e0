"""The main journeys in a real Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from tests.browser import BROWSER_MARKS
from tests.test_demo import load_demo, printed_passwords

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize(
    ("username", "full_name", "role"),
    [
        ("lead", "Aino Virtanen", "Security lead"),
        ("dpo", "Mikko Korhonen", "Data protection officer"),
        ("auditor", "Liisa Mäkinen", "Auditor"),
    ],
)
def test_each_demo_role_logs_in_and_sees_the_dashboard(
    browser, live_server, username: str, full_name: str, role: str
) -> None:
    password = printed_passwords(load_demo())[username]
    # As the login page asks: the throttle (django-axes) needs the request.
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username=username, password=password) is not None
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/")
        assert page.url.startswith(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_role("heading", name="Dashboard").is_visible()
        assert page.get_by_test_id("who").inner_text().startswith(full_name)
        assert page.get_by_test_id("role").inner_text() == role

        page.get_by_role("button", name="Log out").click()
        page.wait_for_url(f"{live_server.url}/accounts/login/")
        page.goto(f"{live_server.url}/")
        assert "/accounts/login/" in page.url
    finally:
        page.close()


def test_a_wrong_password_is_refused_in_the_browser(browser, live_server) -> None:
    load_demo()
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("dpo")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        assert (
            page.get_by_role("alert").inner_text().startswith("Please enter a correct username and password")
        )
        assert "/accounts/login/" in page.url
    finally:
        page.close()


def test_the_language_menu_switches_the_page_to_finnish(browser, live_server) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Language").select_option("fi")
        page.get_by_role("heading", name="Kirjaudu sisään").wait_for()
        assert page.locator("html").get_attribute("lang") == "fi"
    finally:
        page.close()
