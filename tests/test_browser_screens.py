"""Every main page fits the screen, on a phone (390 x 844) and on a desktop (1280 x 800), for
each role: nothing is wider than the viewport except inside a box that scrolls on its own, the
navigation folds behind its Menu button on the phone, and at 1280 px it fits one line, in Finnish
too. The countdowns reach WCAG AA contrast on their urgency bands. Screenshots of every page are
kept in var/screenshots/screens/ as test artefacts.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from tests.browser import BROWSER_MARKS
from tests.builders import confirmed
from tests.conftest import PASSWORD
from tests.factories import incident_logged, register_made
from tests.merge_support import approved, breach, merged

pytestmark = BROWSER_MARKS

SCREENS = {"phone": (390, 844), "desktop": (1280, 800)}
ARTEFACTS = Path(settings.VAR_DIR) / "screenshots" / "screens"

# What overflows the viewport outside a box of its own that scrolls or clips, at most ten.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || (box.right <= width + 1 && box.left >= -1)) continue;
    let parent = element.parentElement, contained = false;
    while (parent && parent !== document.body) {
      if (/auto|scroll|hidden|clip/.test(getComputedStyle(parent).overflowX)) { contained = true; break; }
      parent = parent.parentElement;
    }
    const name = `${element.tagName.toLowerCase()}.${element.className}`;
    if (!contained) found.push(`${name} right=${Math.round(box.right)}`);
  }
  return {page: document.documentElement.scrollWidth, width, found: found.slice(0, 10)};
}"""

# Each countdown's colour and the first background behind it that is not transparent.
COUNTDOWN_COLOURS = """() => [...document.querySelectorAll(".countdown")].map((element) => {
  let behind = element, background = "rgba(0, 0, 0, 0)";
  while (behind && (background === "rgba(0, 0, 0, 0)" || background === "transparent")) {
    background = getComputedStyle(behind).backgroundColor;
    behind = behind.parentElement;
  }
  return {text: element.textContent.trim(), colour: getComputedStyle(element).color, background};
})"""


def _rgb(css: str) -> tuple[float, float, float]:
    values = css[css.index("(") + 1 : css.index(")")].split(",")
    return float(values[0]), float(values[1]), float(values[2])


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [value / 255 for value in _rgb(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _world(lead: User, dpo: User) -> dict[str, str]:
    """The pages to open: a decided breach with its notices and a finished merge, and two open
    incidents whose deadlines fall within 12 and within 24 hours, so every urgency band shows."""
    now = timezone.now()
    decided = breach(lead, dpo)
    notice = approved(decided, lead, dpo, "fi")
    merge = merged(notice, lead, now=now)
    register = register_made(name="Jäsenrekisteri")
    for hours_left in (10, 22):
        detected = now - timedelta(hours=72 - hours_left)
        incident = incident_logged(actor=lead, register=register, detected_at=detected, now=now)
        confirmed(incident, lead, now=now, aware_at=detected, aware_reason="The alert was read at once.")
    return {
        "dashboard": "/",
        "incidents": "/incidents/",
        "incident": f"/incidents/{decided.pk}/",
        "new-incident": "/incidents/new/",
        "notice": f"/notices/{notice.pk}/",
        "merge": f"/merges/{merge.pk}/",
        "registers": "/registers/",
        "register": f"/registers/{register.pk}/",
        "register-edit": f"/registers/{register.pk}/edit/",
        "organisations": "/organisations/",
        "breach-record": "/breach-record/",
        "trail": "/audit/",
        "trail-status": "/audit/status/",
    }


def _signed_in(browser: Any, url: str, user: User, screen: str, language: str) -> Any:
    width, height = SCREENS[screen]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}])
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{url}/")
    return context, page


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_main_page_fits_the_screen_for_every_role(
    browser: Any, live_server: Any, screen: str, lead: User, dpo: User, auditor: User
) -> None:
    pages = _world(lead, dpo)
    folder = ARTEFACTS / screen
    folder.mkdir(parents=True, exist_ok=True)
    misfits: dict[str, Any] = {}
    low_contrast: list[str] = []
    # Every role in English; the DPO, who sees every page, in Finnish too (its words are longer).
    for user, languages in ((lead, ("en",)), (dpo, ("en", "fi")), (auditor, ("en",))):
        for language in languages:
            context, page = _signed_in(browser, live_server.url, user, screen, language)
            try:
                for name, path in pages.items():
                    response = page.goto(f"{live_server.url}{path}")
                    assert response is not None
                    if response.status == 403:  # not this role's page; the table elsewhere says so
                        continue
                    assert response.status == 200, (user.username, path, response.status)
                    layout = page.evaluate(OVERFLOWING)
                    if layout["page"] > layout["width"] or layout["found"]:
                        misfits[f"{user.username} {language} {name}"] = layout
                    for countdown in page.evaluate(COUNTDOWN_COLOURS):
                        ratio = contrast(countdown["colour"], countdown["background"])
                        if ratio < 4.5:
                            low_contrast.append(f"{name}: {countdown} {ratio:.2f}")
                    shot = folder / f"{user.username}-{language}-{name}.png"
                    page.screenshot(path=str(shot), full_page=True)
                _check_navigation(page, live_server.url, screen)
            finally:
                context.close()
    assert misfits == {}, json.dumps(misfits, indent=1)
    assert low_contrast == [], "\n".join(low_contrast)


def _check_navigation(page: Any, url: str, screen: str) -> None:
    page.goto(f"{url}/")
    links = page.locator(".main-nav a")
    if screen == "phone":
        # Folded behind its button, which opens it; every link then fits the screen.
        assert not links.first.is_visible()
        page.get_by_role("button", name=page.locator(".menu-toggle").inner_text()).click()
        assert links.first.is_visible()
        boxes = [links.nth(index).bounding_box() for index in range(links.count())]
        assert all(box is not None and box["x"] + box["width"] <= SCREENS["phone"][0] for box in boxes)
    else:
        tops = {round(links.nth(index).bounding_box()["y"]) for index in range(links.count())}
        assert len(tops) == 1, f"the navigation wraps onto {len(tops)} lines"
