"""The whole journey in a real Chromium (Debian's), as three people in three browser contexts, once
in Finnish and once in English: the security lead logs an incident, confirms it, records the facts,
the data involved and the risk assessment; the DPO decides from the proposal; the lead drafts the
notices; the DPO approves them and records the authority's as sent; the lead merges the letters to
the data subjects from a CSV; the downloaded Word files say what was approved, in the run's
language; the auditor finds the chain intact and every step of the incident in the trail.

Each browser asks for the run's language the way a Finnish or an English browser does
(Accept-Language); the labels the test looks for are the catalogue's, and a Finnish label the
catalogue leaves in English fails the run, as it would puzzle a Finnish user.

Screenshots of the key pages are kept in var/screenshots/journey-<language>/; with
BREACHCLOCK_README_SCREENSHOTS naming a folder, the English run also saves there the README's
pictures of the dashboard, an incident and a notice.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from docx import Document

from incidents.choices import CauseIntent, CauseOrigin, NoticeAudience, NoticeState, RiskDecision
from incidents.clocks.display import local_moment
from incidents.lifecycle.steps import STEPS
from incidents.lifecycle.timeline import ACTION_WORDS
from incidents.models import AuditEvent, Incident, IncidentState, Merge, Notice, Obligation, ObligationStatus
from incidents.notices.document import sha256
from tests.browser import BROWSER_MARKS
from tests.conftest import PASSWORD
from tests.factories import OrganisationFactory, register_made
from tests.merge_support import letter_text, person, recipients_csv, zip_letters
from tests.moments import HOUR
from tests.test_notices import text_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
    from playwright.sync_api import Browser, Locator, Page, ViewportSize

pytestmark = BROWSER_MARKS

README_SCREENSHOTS = os.environ.get("BREACHCLOCK_README_SCREENSHOTS")
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
LOCALES = {"fi": "fi-FI", "en": "en-GB"}


class Words:
    """The words a user reads in ``language``: the catalogue's translation of each English label.
    A label left in English on a Finnish page is refused here."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, english: StrOrPromise) -> str:
        with translation.override("en"):
            source = str(english)
        with translation.override(self.language):
            text = gettext(source)
        assert self.language == "en" or text != source, f"not translated into {self.language}: {source!r}"
        return text

    def cap(self, english: StrOrPromise) -> str:
        """A label written from lower case (a model field's name, a lifecycle step's), as a form
        or a button starts it."""
        return capfirst(self(english))

    def step(self, step: str) -> str:
        """A lifecycle step's button, as the incident's page writes it."""
        return self.cap(STEPS[step].label)

    def done(self, action: str) -> str:
        """The message once an act on the incident is done."""
        return self(ACTION_WORDS[action]) + "."


@dataclass(frozen=True)
class Story:
    """What happened, in the words the lead types; and a few labels as a reader of the language
    sees them, written out rather than looked up, so the catalogue is checked too."""

    title: str
    description: str
    consequences: str
    measures: str
    aware_reason: str
    decision_reason: str
    other_authorities: str
    channel: str
    case_number: str
    score: str
    dashboard: str
    log_an_incident: str
    intact: str
    # The Word files: labels of the authority notice, the letter's title, the document's language.
    notice_labels: tuple[str, ...]
    letter_title: str
    advice: str
    docx_language: str


STORIES = {
    "fi": Story(
        title="Verkkokaupan asiakastietokanta kopioitiin",
        description="Hyökkääjä kopioi verkkokaupan asiakastietokannan haavoittuvan lisäosan kautta.",
        consequences="Asiakkaat voivat saada kalasteluviestejä ja korttitietoja voidaan käyttää väärin.",
        measures="Lisäosa poistettiin ja kaikki salasanat nollattiin.",
        aware_reason="Palveluntarjoajan hälytys vahvisti kopioinnin heti.",
        decision_reason="Maksukorttitiedot: asiakkaiden on voitava suojautua.",
        other_authorities="Kyberturvallisuuskeskus, ilmoitettu samana päivänä",
        channel="Tietosuojavaltuutetun asiointipalvelu",
        case_number="TSV/4242/2026",
        score="SE 4",
        dashboard="Tilannekuva",
        log_an_incident="Kirjaa poikkeama",
        intact="Eheä",
        notice_labels=("Ilmoituksen tyyppi", "Y-tunnus", "Tietosuojavastaava", "Todennäköiset seuraukset"),
        letter_title="Ilmoitamme sinulle henkilötietojasi koskevasta tietoturvaloukkauksesta – "
        "Verkkokauppa Esimerkki Oy",
        advice="pankki",
        docx_language="fi-FI",
    ),
    "en": Story(
        title="The web shop's customer database was copied",
        description="An attacker copied the web shop's customer database through a vulnerable plug-in.",
        consequences="Customers may receive phishing messages and their card details may be misused.",
        measures="The plug-in was removed and every password reset.",
        aware_reason="The hosting provider's alert confirmed the copy at once.",
        decision_reason="Card numbers: the customers must be able to protect themselves.",
        other_authorities="NCSC-FI, informed the same day",
        channel="The authority's e-service",
        case_number="TSV/4242/2026",
        score="SE 4",
        dashboard="Dashboard",
        log_an_incident="Log an incident",
        intact="Intact",
        notice_labels=("Type of notice", "Business ID", "Data protection officer", "Likely consequences"),
        letter_title="We inform you of a personal data breach – Verkkokauppa Esimerkki Oy",
        advice="bank",
        docx_language="en-GB",
    ),
}

# What the trail holds for the incident once the journey is done: every act, by whom.
EXPECTED_TRAIL: list[tuple[str, str | None]] = [
    ("incident.created", "alice"),
    ("incident.confirmed", "alice"),
    ("incident.updated", "alice"),
    ("incident.registers_changed", "alice"),
    ("assessment.recorded", "alice"),
    ("incident.assessed", "alice"),
    ("incident.decided", "bob"),
    ("notice.created", "alice"),
    ("notice.edited", "alice"),
    ("notice.submitted", "alice"),
    ("notice.approved", "bob"),
    ("notice.downloaded", "bob"),
    ("notice.generated", "alice"),
    ("notice.sent", "bob"),
    ("obligation.met", "bob"),
    ("merge.created", "alice"),
    # By the worker that wrote the letters; here Celery runs it eagerly, inside the lead's request.
    ("merge.generated", None),
    ("merge.downloaded", "alice"),
    ("merge.sent", "bob"),
]


def local_input(moment: dt.datetime) -> str:
    """A moment as a datetime-local field takes it, on the organisation's clock."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def log_in(page: Page, url: str, user: User, words: Words) -> None:
    """Sign in through the login page, in the page's language (tests.test_browser_incidents.log_in
    reads the English labels only)."""
    page.goto(f"{url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == words.language
    page.get_by_label(words("Username")).fill(user.username)
    page.get_by_label(words("Password")).fill(PASSWORD)
    page.get_by_role("button", name=words("Log in")).click()
    page.wait_for_url(f"{url}/")


def keep(page: Page, language: str, number: int, name: str, *, readme: bool = False) -> None:
    """The page as a test artefact, whole; and, in the English run, as the README shows it: what a
    1280 × 800 window shows."""
    folder = Path(settings.VAR_DIR) / "screenshots" / f"journey-{language}"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{number:02d}-{name}.png"), full_page=True)
    if readme and README_SCREENSHOTS and language == "en":
        Path(README_SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(README_SCREENSHOTS) / f"{name}.png"))


def message(page: Page, text: str) -> None:
    page.locator("ul.messages").get_by_text(text, exact=True).wait_for()


def docx_language(data: bytes) -> str:
    """The language a Word file says it is written in (File > Info)."""
    return str(Document(io.BytesIO(data)).core_properties.language)


def downloaded(page: Page, link: Locator) -> bytes:
    with page.expect_download() as download_info:
        link.click()
    return download_info.value.path().read_bytes()


@dataclass(frozen=True)
class Run:
    """One run of the journey: its language, the words the lead types, where the server listens."""

    language: str
    words: Words
    story: Story
    url: str
    started: dt.datetime


@pytest.fixture
def pages(browser: Browser, language: str) -> Iterator[dict[str, Page]]:
    """A page in a browser context of its own for each of the three people: their own cookies,
    their own session, the run's language."""
    contexts = [
        browser.new_context(locale=LOCALES[language], viewport=VIEWPORT, accept_downloads=True)
        for _person in ("lead", "dpo", "auditor")
    ]
    for context in contexts:
        context.set_default_timeout(10_000)
    try:
        yield dict(zip(("lead", "dpo", "auditor"), (context.new_page() for context in contexts), strict=True))
    finally:
        for context in contexts:
            context.close()


@pytest.mark.parametrize("language", ["fi", "en"])
def test_the_whole_journey_from_logging_to_the_audit_trail(
    pages: dict[str, Page], live_server: Any, lead: User, dpo: User, auditor: User, language: str
) -> None:
    organisation = OrganisationFactory(
        name="Verkkokauppa Esimerkki Oy",
        business_id="1234567-1",
        dpo_name="Tiina Tietosuoja",
        dpo_email="dpo@esimerkki.fi",
        dpo_phone="+358 40 123 4567",
    )
    register_made(
        name="Asiakasrekisteri",
        controller=organisation,
        items=[("Nimi", 1), ("Sähköpostiosoite", 1), ("Maksukortin numero", 3)],
    )
    run = Run(language, Words(language), STORIES[language], live_server.url, timezone.now())
    for person_page, user in ((pages["lead"], lead), (pages["dpo"], dpo), (pages["auditor"], auditor)):
        log_in(person_page, run.url, user, run.words)

    incident = the_lead_logs_confirms_and_assesses(pages["lead"], run)
    the_dpo_decides(pages["dpo"], run)
    the_lead_drafts_the_notices(pages["lead"], run, incident)
    the_dpo_approves_them_and_sends_the_authoritys(pages["dpo"], run, incident)
    the_lead_merges_the_letters(pages["lead"], run, Notice.objects.get(audience=NoticeAudience.DATA_SUBJECTS))
    the_dpo_records_the_letters_as_sent(pages["dpo"], run)
    the_auditor_finds_the_chain_intact_and_every_step(pages["auditor"], run, incident)


def the_lead_logs_confirms_and_assesses(page: Page, run: Run) -> Incident:
    words, story = run.words, run.story
    assert page.get_by_role("heading", name=story.dashboard).is_visible()
    page.get_by_role("link", name=story.log_an_incident).first.click()
    page.get_by_label(words("Title")).fill(story.title)
    page.get_by_label(words("What happened")).fill(story.description)
    page.get_by_label(words("Detected at")).fill(local_input(run.started - 2 * HOUR))
    page.get_by_label(words("Affected registers")).select_option(
        label="Asiakasrekisteri (Verkkokauppa Esimerkki Oy (1234567-1))"
    )
    page.get_by_role("button", name=words("Log the incident")).click()
    incident = Incident.objects.get()
    message(
        page,
        words("Logged %(reference)s. Its clock runs provisionally from detection until it is confirmed.")
        % {"reference": incident.reference},
    )
    assert page.get_by_role("heading", level=1).inner_text() == f"{incident.reference} {story.title}"
    assert page.get_by_test_id("provisional").is_visible()

    # Confirmed, aware an hour ago: the 72 hours count from then, and the page says until when.
    confirm = page.locator('form[data-step="confirm"]')
    confirm.get_by_label(words("Aware at (if earlier than now)")).fill(local_input(run.started - HOUR))
    confirm.get_by_label(words("Why the organisation was aware earlier")).fill(story.aware_reason)
    confirm.get_by_role("button", name=words.step("confirm")).click()
    message(page, words.done("incident.confirmed"))
    assert page.get_by_test_id("state").inner_text() == words(IncidentState.CONFIRMED.label)
    aware_at = Incident.objects.get().aware_at
    assert aware_at is not None
    assert (
        local_moment(aware_at + 72 * HOUR, run.language) in page.get_by_test_id("next-deadline").inner_text()
    )

    facts = page.locator("details").filter(has_text=words("Edit the facts"))
    facts.locator("summary").first.click()
    facts.get_by_label(words.cap("confidentiality breach")).check()
    facts.get_by_label(words.cap("cause"), exact=True).select_option(label=words(CauseIntent.MALICIOUS.label))
    facts.get_by_label(words.cap("origin"), exact=True).select_option(label=words(CauseOrigin.EXTERNAL.label))
    facts.get_by_label(words.cap("likely consequences")).fill(story.consequences)
    facts.get_by_label(words.cap("measures taken and proposed")).fill(story.measures)
    facts.get_by_role("button", name=words("Save the facts")).click()
    message(page, words.done("incident.updated"))

    affected = page.get_by_test_id("affected-register")
    affected.locator("summary").click()
    for item in ("Nimi", "Sähköpostiosoite", "Maksukortin numero"):
        affected.get_by_label(item).check()
    affected.get_by_label(words("Approximate number of data subjects")).fill("850")
    affected.get_by_label(words("Approximate number of records")).fill("900")
    affected.get_by_role("button", name=words("Save the data involved")).click()
    message(page, words.done("incident.registers_changed"))

    # The ENISA method: card numbers (DPC 3), fully identifiable (EI 1), made public (+0.5) by an
    # attacker (+0.5): SE 4, a high risk.
    assessment = page.locator("section").filter(has=page.locator("#assessment-heading"))
    assessment.get_by_label(words("Maximum (1)")).check()
    fieldset = assessment.locator("fieldset")
    fieldset.filter(has_text=words("Confidentiality")).get_by_label(
        words("Disclosed to unknown recipients or made public (+0.5)")
    ).check()
    fieldset.filter(has_text=words("Integrity")).get_by_label(words("Not breached (0)")).check()
    fieldset.filter(has_text=words("Availability")).get_by_label(words("Not breached (0)")).check()
    assessment.get_by_label(words("Malicious intent (+0.5)")).check()
    assessment.get_by_role("button", name=words("Save the risk assessment")).click()
    message(page, words.done("assessment.recorded"))
    assert page.get_by_test_id("proposal").inner_text() == words("Proposal: high risk")
    page.locator('form[data-step="assess"]').get_by_role("button", name=words.step("assess")).click()
    message(page, words.done("incident.assessed"))
    assert page.get_by_test_id("state").inner_text() == words(IncidentState.ASSESSED.label)
    return incident


def the_dpo_decides(page: Page, run: Run) -> None:
    """From the dashboard, where the assessed incident waits, to the decision the proposal asks for."""
    words, story = run.words, run.story
    page.reload()
    row = page.get_by_test_id("incident-row").filter(has_text=story.title)
    assert words(IncidentState.ASSESSED.label) in row.inner_text()
    keep(page, run.language, 1, "dashboard", readme=True)
    row.get_by_role("link").click()
    decide = page.locator('form[data-step="decide"]')
    proposal = decide.get_by_test_id("decision-proposal").inner_text()
    assert f"{words(RiskDecision.HIGH.label)} · {story.score}" in proposal
    decide.get_by_label(words("Yes: notify the supervisory authority (Art. 33)")).check()
    decide.get_by_label(words("Yes: communicate the breach to the data subjects (Art. 34)")).check()
    decide.get_by_label(words("Reasons for the decision")).fill(story.decision_reason)
    decide.get_by_label(words("Data subjects informed by")).fill(local_input(run.started + 24 * HOUR))
    decide.get_by_role("button", name=words.step("decide")).click()
    message(page, words.done("incident.decided"))
    assert page.get_by_test_id("state").inner_text() == words(IncidentState.DECIDED.label)
    timeline = page.get_by_test_id("timeline").inner_text()
    for action, actor in [("incident.confirmed", "alice"), ("incident.decided", "bob")]:
        assert f"{words(ACTION_WORDS[action])} — {actor}" in timeline
    keep(page, run.language, 2, "incident", readme=True)


def the_lead_drafts_the_notices(page: Page, run: Run, incident: Incident) -> None:
    """The notice to the authority and the letter to the data subjects, in the run's language."""
    words = run.words
    for audience in (NoticeAudience.AUTHORITY, NoticeAudience.DATA_SUBJECTS):
        page.goto(f"{run.url}/incidents/{incident.pk}/")
        drafting = page.locator("details").filter(has_text=words("Draft a notice"))
        drafting.locator("summary").click()
        drafting.get_by_label(words("To"), exact=True).select_option(label=words(audience.label))
        drafting.get_by_label(words("Language")).select_option(run.language)
        drafting.get_by_role("button", name=words("Draft the notice")).click()
        message(page, words("Drafted the notice."))
        if audience == NoticeAudience.AUTHORITY:
            page.get_by_label(words("Other authorities informed")).fill(run.story.other_authorities)
            page.get_by_role("button", name=words("Save the text")).click()
            message(page, words("Saved the notice's text."))
        page.get_by_role("button", name=words("Submit for review")).click()
        message(page, words("Submitted the notice for review."))


def the_dpo_approves_them_and_sends_the_authoritys(page: Page, run: Run, incident: Incident) -> None:
    """The authority's notice approved, its file read, recorded as sent; the letter approved."""
    words, story = run.words, run.story
    page.reload()
    notices = page.get_by_test_id("notice")
    notices.filter(has_text=words(NoticeAudience.AUTHORITY.label)).get_by_role("link").click()
    page.get_by_role("button", name=words("Approve this file")).click()
    message(page, words("Approved the notice."))
    assert page.get_by_test_id("notice-state").inner_text() == words(NoticeState.APPROVED.label)
    keep(page, run.language, 3, "notice", readme=True)

    document = downloaded(page, page.get_by_test_id("download"))
    assert sha256(document) == page.get_by_test_id("approved-sha").inner_text()
    text = text_of(document)
    for fact in (
        incident.reference,
        story.description,
        story.consequences,
        story.measures,
        story.other_authorities,
        "Verkkokauppa Esimerkki Oy",
        "1234567-1",
        "Tiina Tietosuoja",
        "Maksukortin numero",
        *story.notice_labels,
    ):
        assert fact in text, fact
    assert docx_language(document) == story.docx_language

    page.get_by_label(words("Channel")).fill(story.channel)
    page.get_by_label(words("Recipient"), exact=True).fill("Tietosuojavaltuutetun toimisto")
    page.get_by_label(words("Authority's case number")).fill(story.case_number)
    page.get_by_role("button", name=words("Record as sent")).click()
    message(page, words("Recorded the notice as sent."))
    assert story.case_number in page.get_by_test_id("sent").inner_text()

    page.get_by_role("link", name=f"{incident.reference} {story.title}").click()
    notices.filter(has_text=words(NoticeAudience.DATA_SUBJECTS.label)).get_by_role("link").click()
    page.get_by_role("button", name=words("Approve this file")).click()
    message(page, words("Approved the notice."))


def the_lead_merges_the_letters(page: Page, run: Run, notice: Notice) -> None:
    """From a recipients' file to one letter each, opened: their name and address, the approved
    text, the advice for their card number, in the run's language."""
    words, story = run.words, run.story
    page.goto(f"{run.url}/notices/{notice.pk}/")
    recipients = [person(number, run.language) for number in range(3)]
    page.get_by_label(words("Recipients' file (CSV)")).set_input_files(
        {"name": "vastaanottajat.csv", "mimeType": "text/csv", "buffer": recipients_csv(recipients)}
    )
    page.get_by_role("button", name=words("Check the file and write the letters")).click()
    # The page reloads itself while the letters are written.
    page.get_by_test_id("merge-state").filter(has_text=words("Done")).wait_for()
    keep(page, run.language, 4, "merge")
    files = zip_letters(downloaded(page, page.get_by_role("link", name=words("Download the letters"))))
    assert len(files) == len(recipients)
    for recipient in recipients:
        (name,) = [name for name, data in files.items() if recipient["name"] in letter_text(data)]
        lines = letter_text(files[name]).splitlines()
        assert lines[:3] == [
            recipient["name"],
            recipient["address"],
            f"{recipient['postcode']} {recipient['city']}",
        ]
        assert story.letter_title in lines and story.description in lines
        assert story.advice in "\n".join(lines).lower()
        assert docx_language(files[name]) == story.docx_language


def the_dpo_records_the_letters_as_sent(page: Page, run: Run) -> None:
    """The letters posted: recorded as sent in the minute the data subjects' clock started, which
    meets the Art. 34 obligation."""
    words = run.words
    page.goto(f"{run.url}/merges/{Merge.objects.get().pk}/")
    page.get_by_label(words("Channel")).fill({"fi": "Kirjeposti", "en": "Letter post"}[run.language])
    page.get_by_role("button", name=words("Record as sent")).click()
    message(page, words("Recorded the letters as sent."))
    assert page.get_by_test_id("merge-sent").is_visible()
    art34 = Obligation.objects.get(template__code="gdpr-34")
    assert art34.status == ObligationStatus.MET


def the_auditor_finds_the_chain_intact_and_every_step(page: Page, run: Run, incident: Incident) -> None:
    words = run.words
    page.get_by_role("link", name=words("Audit trail")).click()
    page.get_by_role("link", name=words("Chain status")).click()
    assert page.get_by_test_id("chain-status").inner_text() == run.story.intact
    assert int(page.get_by_test_id("chain-count").inner_text()) == AuditEvent.objects.count()
    keep(page, run.language, 5, "audit-status")

    page.get_by_role("link", name=words("Events")).click()
    page.get_by_label(words("Incident reference")).fill(incident.reference)
    page.get_by_role("button", name=words("Filter")).click()
    rows = page.locator("table.events tbody tr")
    rows.first.wait_for()
    # Each row: #, time, actor, action, object, incident, client IP.
    shown = [row.locator("td").all_inner_texts() for row in rows.all()]
    assert {cells[5] for cells in shown} == {incident.reference}
    missing = [
        (action, actor)
        for action, actor in EXPECTED_TRAIL
        if not any(cells[3] == action and actor in (None, cells[2]) for cells in shown)
    ]
    assert not missing, missing
    keep(page, run.language, 6, "audit-trail")
