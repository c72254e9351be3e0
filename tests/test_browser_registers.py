"""A security lead uploads a privacy statement in a real Chromium and finds its register."""

from __future__ import annotations

from django.contrib.auth.models import User

from tests.browser import BROWSER_MARKS
from tests.conftest import PASSWORD
from tests.importer_support import seed_path

pytestmark = BROWSER_MARKS


def test_a_security_lead_uploads_a_statement_and_sees_its_register(browser, live_server, lead: User) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(lead.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")

        page.get_by_role("link", name="Registers").click()
        page.get_by_text("0 registers").wait_for()
        page.get_by_role("link", name="Import privacy statements").first.click()
        page.get_by_label("Privacy statements").set_input_files(str(seed_path("001")))
        page.get_by_role("button", name="Import").click()
        results = page.get_by_test_id("import-results")
        results.wait_for()
        assert "Elämäsi Kunnossa Terveyspalvelut - asiakasrekisteri" in results.inner_text()
        assert "No contact person is named." in results.inner_text()

        results.get_by_role("link", name="Elämäsi Kunnossa Terveyspalvelut - asiakasrekisteri").click()
        page.get_by_role("heading", name="Elämäsi Kunnossa Terveyspalvelut - asiakasrekisteri").wait_for()
        row = page.get_by_role("row").filter(has_text="terveysprofiilitiedot")
        assert "Sensitive (DPC 4)" in row.inner_text()
        assert "Yes (GDPR Art. 9-10)" in row.inner_text()
        assert page.get_by_test_id("source-text").inner_text().startswith("Tietosuojaseloste")

        page.get_by_role("link", name="All registers").click()
        page.get_by_label("Search registers").fill("terveys")
        page.get_by_role("button", name="Search").click()
        page.get_by_text("1 register", exact=True).wait_for()
    finally:
        page.close()
