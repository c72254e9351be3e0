"""The API's documentation page in a real Chromium: Swagger UI renders from the site's own files
under our Content-Security-Policy, and calls the API with the browser's session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from tests.browser import BROWSER_MARKS
from tests.conftest import PASSWORD

pytestmark = BROWSER_MARKS

# Chromium reports each violation as a securitypolicyviolation event, recorded before any script
# of the page runs (an init script is the browser's own, so the policy does not stop it).
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_a_signed_in_user_reads_the_docs_with_no_policy_violation(
    browser: Any, live_server: Any, auditor: User
) -> None:
    context = browser.new_context()
    try:
        login = context.new_page()
        login.goto(f"{live_server.url}/api/docs/")
        assert login.url.startswith(f"{live_server.url}/accounts/login/?next=/api/docs/")
        login.get_by_label("Username").fill(auditor.username)
        login.get_by_label("Password").fill(PASSWORD)
        login.get_by_role("button", name="Log in").click()
        login.wait_for_url(f"{live_server.url}/api/docs/")
        login.close()

        # A page of its own, watched from its start: the login page's errors are not the docs'.
        page = context.new_page()
        errors: list[str] = []
        requested: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requested.append(request.url))
        page.add_init_script(RECORD_VIOLATIONS)
        page.goto(f"{live_server.url}/api/docs/")
        page.locator(".opblock-summary-path[data-path='/api/incidents/']").first.wait_for()
        assert page.locator(".opblock-tag-section").count() > 3

        # Try it out: the call goes with the session the page was opened in.
        operation = page.locator("#operations-incidents-incidents_list")
        operation.locator(".opblock-summary").click()
        operation.get_by_role("button", name="Try it out").click()
        operation.get_by_role("button", name="Execute").click()
        status = operation.locator(".live-responses-table tbody .response-col_status").first
        status.wait_for()
        assert status.inner_text() == "200"

        assert page.evaluate("window.cspViolations") == []
        assert [text for text in errors if "Content Security Policy" in text] == []
        assert errors == []
        assert all(url.startswith((live_server.url, "data:")) for url in requested), requested
    finally:
        context.close()
