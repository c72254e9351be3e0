"""The auditor's journey through the audit trail in a real Chromium."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from incidents.models import AuditEvent
from tests.browser import BROWSER_MARKS
from tests.test_demo import load_demo, printed_passwords

pytestmark = BROWSER_MARKS

VERIFIER = Path(__file__).resolve().parent.parent / "tools" / "verify_audit_export.py"


def test_an_auditor_filters_the_trail_opens_an_event_checks_the_chain_and_exports(
    browser, live_server, tmp_path: Path
) -> None:
    password = printed_passwords(load_demo())["auditor"]
    page = browser.new_page(accept_downloads=True)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("auditor")
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")

        page.get_by_role("link", name="Audit trail").click()
        page.get_by_role("heading", name="Audit trail").wait_for()
        page.get_by_label("Action").fill("auth.")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**/audit/?*action=auth.*")
        rows = page.locator("table.events tbody tr")
        assert rows.count() == 1
        assert "auth.login" in rows.first.inner_text()
        assert "auditor" in rows.first.inner_text()

        login = AuditEvent.objects.get(action="auth.login", actor_username="auditor")
        rows.first.get_by_role("link", name=str(login.seq)).click()
        page.get_by_role("heading", name=f"Audit event #{login.seq} auth.login").wait_for()
        assert login.hash in page.content()

        page.get_by_role("link", name="Chain status").click()
        status = page.get_by_test_id("chain-status")
        status.wait_for()
        assert status.inner_text() == "Intact"
        assert page.get_by_test_id("triggers").inner_text() == "Present"

        page.get_by_role("link", name="Events").click()
        with page.expect_download() as download_info:
            page.get_by_role("button", name="JSON Lines").click()
        download = download_info.value
        assert download.suggested_filename.startswith("breachclock-audit-")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        result = subprocess.run(
            [sys.executable, str(VERIFIER), str(saved)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("OK:")
        assert AuditEvent.objects.filter(action="audit.exported", actor_username="auditor").exists()
    finally:
        page.close()
