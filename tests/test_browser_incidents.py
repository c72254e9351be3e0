"""A security lead logs an incident, watches its provisional clock count down, confirms it, and the
DPO decides: in a real Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.auth.models import User

from incidents.models import Incident, IncidentState
from tests.browser import BROWSER_MARKS
from tests.conftest import PASSWORD
from tests.factories import register_made

SCREENSHOTS = os.environ.get("BREACHCLOCK_SCREENSHOTS")  # a folder, to look at the pages by eye

pytestmark = BROWSER_MARKS


def log_in(page: object, url: str, user: User) -> None:
    page.goto(f"{url}/accounts/login/")  # type: ignore[attr-defined]
    page.get_by_label("Username").fill(user.username)  # type: ignore[attr-defined]
    page.get_by_label("Password").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Log in").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"{url}/")  # type: ignore[attr-defined]


def shot(page: object, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_a_lead_logs_and_confirms_an_incident_and_the_dpo_decides(
    browser, live_server, lead: User, dpo: User
) -> None:
    register = register_made(name="Asiakasrekisteri")
    page = browser.new_page()
    try:
        log_in(page, live_server.url, lead)
        page.get_by_role("link", name="Log an incident").first.click()
        page.get_by_label("Title").fill("Phishing e-mail answered")
        page.get_by_label("What happened").fill("A password was entered on a fake login page.")
        page.get_by_label("Affected registers").select_option(
            label=f"Asiakasrekisteri ({register.controller})"
        )
        page.get_by_role("button", name="Log the incident").click()
        page.get_by_text("provisional: the shortest deadline this incident could have").first.wait_for()
        incident = Incident.objects.get()

        page.get_by_role("link", name="Dashboard").click()
        row = page.get_by_test_id("incident-row").filter(has_text="Phishing e-mail answered")
        assert (
            "provisional: GDPR: Notification, counted from detection, not yet confirmed" in row.inner_text()
        )
        countdown = row.locator("time[data-countdown]")
        first = countdown.inner_text()
        assert first.endswith(" left") and first.startswith("2 d 23:")
        # The page's own script counts down: wait (in the browser) for the text to change.
        page.wait_for_function(
            "([element, first]) => element.textContent !== first",
            arg=[countdown.element_handle(), first],
            timeout=2500,
        )
        assert "urgency-later" in (countdown.get_attribute("class") or "")
        shot(page, "dashboard")

        row.get_by_role("link").click()
        page.locator('form[data-step="confirm"]').get_by_role("button", name="Confirm").click()
        page.get_by_text("Confirmed a personal-data breach.").first.wait_for()
        assert page.get_by_test_id("state").inner_text() == "Confirmed breach"
        facts = page.locator("details").filter(has_text="Edit the facts")
        facts.locator("summary").click()
        facts.get_by_label("Confidentiality breach").check()
        facts.get_by_label("Likely consequences").fill("Customers may receive phishing messages.")
        facts.get_by_role("button", name="Save the facts").click()
        # The ENISA assessment: the form suggests EI from the affected items; the lead answers the rest.
        assessment = page.locator("section").filter(has=page.locator("#assessment-heading"))
        assessment.locator("fieldset").filter(has_text="Confidentiality").get_by_label(
            "Disclosed to unknown recipients or made public (+0.5)"
        ).check()
        assessment.locator("fieldset").filter(has_text="Integrity").get_by_label("Not breached (0)").check()
        assessment.locator("fieldset").filter(has_text="Availability").get_by_label(
            "Not breached (0)"
        ).check()
        assessment.get_by_role("button", name="Save the risk assessment").click()
        page.get_by_text("Recorded a risk assessment.").wait_for()
        assert "Proposal:" in page.get_by_test_id("proposal").inner_text()
        page.get_by_role("button", name="Record the assessment").click()
        page.get_by_text("Recorded the risk assessment.").wait_for()
        decide = page.locator('form[data-step="decide"]')
        assert decide.get_by_role("button", name="Decide").is_disabled()
        assert "Role: this needs a Data protection officer." in decide.inner_text()
        page.get_by_role("button", name="Log out").click()

        log_in(page, live_server.url, dpo)
        page.goto(f"{live_server.url}/incidents/{incident.pk}/")
        decide = page.locator('form[data-step="decide"]')
        radios = decide.get_by_role("radio")
        # Nothing is chosen for the DPO: a decision is never one hurried click on a default.
        # Authority yes / no; data subjects yes / no / exception (a), (b), (c).
        assert radios.count() == 7
        assert not any(radios.nth(i).is_checked() for i in range(7))
        # The proposal stands beside the decision, with its reasons.
        assert (
            "The proposal of assessment version 1:" in decide.get_by_test_id("decision-proposal").inner_text()
        )
        decide.get_by_label("Yes: notify the supervisory authority (Art. 33)").check()
        decide.get_by_label("No: the risk to them is not high").check()
        decide.get_by_label("Reasons for the decision").fill("E-mail addresses only; no sensitive data.")
        decide.get_by_role("button", name="Decide").click()
        page.get_by_text("Decided on notification.").wait_for()
        assert page.get_by_test_id("state").inner_text() == "Notification decided"
        timeline = page.get_by_test_id("timeline").inner_text()
        assert "Decided on notification — bob" in timeline
        shot(page, "incident")
        assert Incident.objects.get().state == IncidentState.DECIDED
    finally:
        page.close()
