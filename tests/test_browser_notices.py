"""The authority notice from draft to sent, in a real Chromium (Debian's): the security lead drafts
it in Finnish, the DPO asks for a change, the lead makes it, the DPO approves and records it sent
with the case number, the clock shows met, and the downloaded file says what was approved."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from incidents.models import Notice, ObligationStatus
from incidents.notices.document import sha256
from tests.browser import BROWSER_MARKS
from tests.builders import assessed, clock, confirmed, decided
from tests.factories import incident_logged
from tests.test_browser_incidents import log_in, shot
from tests.test_notices import text_of

pytestmark = BROWSER_MARKS


def test_the_authority_notice_from_draft_to_sent(browser, live_server, lead: User, dpo: User) -> None:
    # Confirmed a little earlier: the form's "sent at" is to the minute, and never before the clock.
    now = timezone.now() - timedelta(minutes=10)
    incident = confirmed(
        incident_logged(actor=lead, now=now, description="Asiakasrekisterin vienti jäi julkiseksi."),
        lead,
        now=now,
    )
    incident = decided(assessed(incident, lead, now=now), dpo, "risk", now=now)
    page = browser.new_page()
    try:
        log_in(page, live_server.url, lead)
        page.goto(f"{live_server.url}/incidents/{incident.pk}/")
        drafting = page.locator("details").filter(has_text="Draft a notice")
        drafting.locator("summary").click()
        drafting.get_by_label("To", exact=True).select_option("authority")
        drafting.get_by_label("Language").select_option("fi")
        drafting.get_by_label("Phase").select_option("complete")
        drafting.get_by_role("button", name="Draft the notice").click()
        page.get_by_text("Drafted the notice.").wait_for()
        assert page.get_by_test_id("notice-state").inner_text() == "Draft"
        page.get_by_label("Other authorities informed").fill("Kyberturvallisuuskeskus 27.3.2026")
        page.get_by_role("button", name="Save the text").click()
        page.get_by_text("Saved the notice's text.").wait_for()
        page.get_by_role("button", name="Submit for review").click()
        page.get_by_text("Submitted the notice for review.").wait_for()
        page.get_by_role("button", name="Log out").click()

        log_in(page, live_server.url, dpo)
        notice = Notice.objects.get()
        page.goto(f"{live_server.url}/notices/{notice.pk}/")
        page.get_by_label("What to change").fill("Kerro myös syy.")
        page.get_by_role("button", name="Request changes").click()
        page.get_by_text("Asked for changes.").wait_for()
        assert page.get_by_test_id("notice-state").inner_text() == "Changes requested"
        page.get_by_role("button", name="Log out").click()

        log_in(page, live_server.url, lead)
        page.goto(f"{live_server.url}/notices/{notice.pk}/")
        assert "Kerro myös syy." in page.get_by_test_id("review-comment").inner_text()
        page.get_by_label("Cause", exact=True).fill("Väärin määritetty jakolinkki.")
        page.get_by_role("button", name="Save the text").click()
        page.get_by_text("Saved the notice's text.").wait_for()
        page.get_by_role("button", name="Submit for review").click()
        page.get_by_text("Submitted the notice for review.").wait_for()
        page.get_by_role("button", name="Log out").click()

        log_in(page, live_server.url, dpo)
        page.goto(f"{live_server.url}/notices/{notice.pk}/")
        page.get_by_role("button", name="Approve this file").click()
        page.get_by_text("Approved the notice.").wait_for()
        approved = page.get_by_test_id("approved-sha").inner_text()
        with page.expect_download() as download_info:
            page.get_by_test_id("download").click()
        data = download_info.value.path().read_bytes()
        assert sha256(data) == approved
        text = text_of(data)
        assert "Väärin määritetty jakolinkki." in text and "Kyberturvallisuuskeskus 27.3.2026" in text
        page.get_by_label("Channel").fill("Tietosuojavaltuutetun asiointipalvelu")
        page.get_by_label("Recipient").fill("Tietosuojavaltuutetun toimisto")
        page.get_by_label("Authority's case number").fill("TSV/123/2026")
        page.get_by_role("button", name="Record as sent").click()
        page.get_by_text("Recorded the notice as sent.").wait_for()
        assert "TSV/123/2026" in page.get_by_test_id("sent").inner_text()
        shot(page, "notice")
        page.goto(f"{live_server.url}/incidents/{incident.pk}/")
        art33 = page.get_by_test_id("obligation").filter(has_text="GDPR: Notification").first
        assert "Met" in art33.inner_text()
        assert clock(incident, "gdpr-33-1").status == ObligationStatus.MET
    finally:
        page.close()
