"""Notices in Word: each audience and language says what the design asks, as a real document that
is the same bytes for the same content; the review binds approval to the file approved; sending
meets the obligation."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from docx import Document

from incidents.errors import DomainError
from incidents.models import DataItem, Incident, Notice, NoticeFile, ObligationStatus
from incidents.roles import RoleNeeded
from incidents.services import notices as service
from tests.builders import assessed, clock, confirmed, decided, events, facts, fresh, speaks
from tests.conftest import user_with_role
from tests.factories import OrganisationFactory, incident_logged, register_made
from tests.moments import HOUR, T0

LANGUAGES = ("fi", "sv", "en")
# The pages and the API read the time themselves.
pytestmark = pytest.mark.usefixtures("frozen_at_t0")


@pytest.fixture
def dpo2(db: None) -> User:
    from incidents.roles import Role

    return user_with_role("dina", "Dina", "Deputy", Role.DPO)


@pytest.fixture
def breach(lead: User, dpo: User) -> Incident:
    """A customer register with henkilötunnus and card numbers leaked, decided a high risk."""
    organisation = OrganisationFactory(
        name="Esimerkki Oy",
        business_id="1234567-1",
        dpo_name="Tiina Tietosuoja",
        dpo_email="dpo@esimerkki.fi",
    )
    register = register_made(name="Asiakasrekisteri", controller=organisation)
    DataItem.objects.create(
        register=register,
        position=3,
        text="Henkilötunnus",
        data_class=1,
        suggested_class=1,
        henkilotunnus=True,
    )
    DataItem.objects.create(
        register=register, position=4, text="Maksukortin numero", data_class=3, suggested_class=3
    )
    incident = incident_logged(actor=lead, register=register, description="CRM export left public.")
    incident = confirmed(incident, lead)
    incident = facts(incident, lead, measures="The export was removed and the link revoked.")
    incident = assessed(incident, lead)
    return decided(incident, dpo, "high", subjects_target_at=T0 + 24 * HOUR)


def drafted(
    incident: Incident, actor: User, audience: str = "authority", language: str = "fi", **more: Any
) -> Notice:
    return service.notice_create(
        incident_id=incident.pk,
        actor=actor,
        audience=audience,
        language=language,
        phase=more.pop("phase", "complete"),
        now=T0,
        **more,
    )


def text_of(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def generated(notice: Notice, actor: User) -> bytes:
    return service.notice_generate(notice_id=notice.pk, actor=actor, now=T0).data


# Every item of Art. 33(3) as the authority notice names it, in each language.
AUTHORITY_ITEMS = {
    "en": [
        "Type of notice",
        "Business ID",
        "Contact for this notice",
        "Data protection officer",
        "Occurred",
        "Detected",
        "Aware",
        "Type of breach",
        "Cause",
        "Categories",
        "Approximate number",
        "Special categories",
        "Personal identity codes",
        "Registers affected",
        "Likely consequences",
        "Measures",
        "Communication to data subjects",
        "Other authorities informed",
        "Risk assessment in short",
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_authority_notice_holds_every_item_in_its_language(
    breach: Incident, lead: User, language: str
) -> None:
    notice = drafted(breach, lead, language=language)
    text = text_of(generated(notice, lead))
    for fact in (
        "Esimerkki Oy",
        "1234567-1",
        "Tiina Tietosuoja",
        "CRM export left public.",
        "Henkilötunnus",
        "Maksukortin numero",
        "Asiakasrekisteri",
        "The export was removed and the link revoked.",
        "SE ",
    ):
        assert fact in text, fact
    words = {
        "fi": [
            "Ilmoituksen tyyppi",
            "Y-tunnus",
            "Tietosuojavastaava",
            "Tietoturvaloukkauksen luonne",
            "Erityiset henkilötietoryhmät",
            "Henkilötunnukset",
            "Rekisteröidyille ilmoittaminen",
        ],
        "sv": [
            "Typ av anmälan",
            "FO-nummer",
            "Dataskyddsombud",
            "Incidentens art",
            "Särskilda kategorier",
            "Personbeteckningar",
            "Information till de registrerade",
        ],
        "en": AUTHORITY_ITEMS["en"],
    }[language]
    for word in words:
        assert word in text, word


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_data_subjects_notice_advises_from_the_data(breach: Incident, lead: User, language: str) -> None:
    text = text_of(generated(drafted(breach, lead, "data_subjects", language), lead))
    expected = {
        "fi": ["luottokielto", "pankki", "Tietosuojavaltuutettu", "Henkilötunnus"],
        "sv": ["kreditspärr", "bank", "dataombudsmannen", "Henkilötunnus"],
        "en": ["credit ban", "bank", "Data Protection Ombudsman", "Henkilötunnus"],
    }[language]
    for word in expected:
        assert word.lower() in text.lower(), word


def test_the_controller_notice_names_that_customers_registers(lead: User, dpo: User) -> None:
    processor = OrganisationFactory(name="Palvelu Oy", role="processor")
    customer = OrganisationFactory(name="Asiakas Oy")
    register = register_made(name="Jäsenrekisteri", controller=customer)
    incident = confirmed(incident_logged(actor=lead, register=register, organisation=processor), lead)
    with pytest.raises(DomainError) as refused:
        drafted(incident, lead, "controller", "fi", customer="Muu Oy")
    assert refused.value.field == "customer"
    text = text_of(generated(drafted(incident, lead, "controller", "fi", customer="Asiakas Oy"), lead))
    assert "Asiakas Oy" in text and "Jäsenrekisteri" in text and "72 tunnin" in text


def test_the_same_content_gives_the_same_bytes_and_an_edit_another(breach: Incident, lead: User) -> None:
    notice = drafted(breach, lead)
    first, again = generated(notice, lead), generated(notice, lead)
    assert first == again
    assert NoticeFile.objects.filter(notice=notice).count() == 1  # stored once, by its hash
    service.notice_edit(
        notice_id=notice.pk, actor=lead, sections={"cause": "A misconfigured bucket."}, now=T0
    )
    changed = generated(fresh_notice(notice), lead)
    assert changed != first and "A misconfigured bucket." in text_of(changed)
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        styles = package.read("word/styles.xml").decode()
        assert 'w:lang w:val="fi-FI"' in styles
        assert "PAGE" in "".join(
            package.read(name).decode() for name in package.namelist() if "footer" in name
        )
    section = Document(io.BytesIO(first)).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert json.loads(events("notice.generated").first().data)["sha256"]  # type: ignore[union-attr]


def fresh_notice(notice: Notice) -> Notice:
    return Notice.objects.get(pk=notice.pk)


HOSTILE = "\x00\x07 ‮RTL‬ שלום עולם 🙂 </w:t><w:t>injected & <b>bold</b> ]]>" + "x" * 100_000


def test_hostile_text_still_gives_a_valid_document_with_the_text_intact(breach: Incident, lead: User) -> None:
    notice = drafted(breach, lead)
    service.notice_edit(notice_id=notice.pk, actor=lead, sections={"description": HOSTILE}, now=T0)
    text = text_of(generated(fresh_notice(notice), lead))
    assert "שלום עולם 🙂 </w:t><w:t>injected & <b>bold</b> ]]>" in text
    assert "x" * 100_000 in text
    assert "\x00" not in text


def test_sensitive_details_go_in_an_annex_titled_as_the_finnish_sa_asks(breach: Incident, lead: User) -> None:
    notice = drafted(breach, lead, language="en")
    service.notice_edit(
        notice_id=notice.pk,
        actor=lead,
        sections={"sensitive_details": "The bucket name was crm-prod."},
        now=T0,
    )
    text = text_of(generated(fresh_notice(notice), lead))
    assert "Ilmoitus tietoturvaloukkauksesta – Esimerkki Oy – 27.3.2026" in text
    assert "crm-prod" not in text
    annex = service.notice_generate(notice_id=notice.pk, actor=lead, now=T0, annex=True)
    assert "crm-prod" in text_of(annex.data)
    assert text_of(annex.data).startswith("Ilmoitus tietoturvaloukkauksesta – Esimerkki Oy")


def test_review_binds_approval_to_the_file_and_sending_meets_the_clock(
    breach: Incident, lead: User, dpo: User, dpo2: User
) -> None:
    notice = drafted(breach, lead)
    notice = service.notice_submit(notice_id=notice.pk, actor=lead, now=T0)
    in_review = notice.review_sha256
    with pytest.raises(RoleNeeded):
        service.notice_approve(notice_id=notice.pk, actor=lead, now=T0)
    notice = service.notice_request_changes(notice_id=notice.pk, actor=dpo, comment="Name the cause.", now=T0)
    service.notice_edit(notice_id=notice.pk, actor=lead, sections={"cause": "Misconfiguration."}, now=T0)
    notice = service.notice_submit(notice_id=notice.pk, actor=lead, now=T0)
    assert notice.review_sha256 != in_review
    notice = service.notice_approve(notice_id=notice.pk, actor=dpo, now=T0)
    assert notice.approved_sha256 == notice.review_sha256
    # An edit after approval returns the notice to draft: the approval was of the text before.
    edited = service.notice_edit(notice_id=notice.pk, actor=lead, sections={"cause": "Human error."}, now=T0)
    assert (edited.state, edited.approved_sha256) == ("draft", "")
    notice = service.notice_submit(notice_id=notice.pk, actor=lead, now=T0)
    notice = service.notice_approve(notice_id=notice.pk, actor=dpo2, now=T0)
    approved = service.notice_generate(notice_id=notice.pk, actor=dpo, now=T0).data
    with pytest.raises(DomainError) as refused:
        service.notice_mark_sent(
            notice_id=notice.pk,
            actor=dpo,
            sent_at=T0,
            channel="e-service",
            recipient="Tietosuojavaltuutettu",
            case_number="TSV/1/2026",
            file=io.BytesIO(approved + b"edited"),
            now=T0 + HOUR,
        )
    assert refused.value.field == "file"
    sent = service.notice_mark_sent(
        notice_id=notice.pk,
        actor=dpo,
        sent_at=T0 + HOUR,
        channel="e-service",
        recipient="Tietosuojavaltuutettu",
        case_number="TSV/1/2026",
        file=io.BytesIO(approved),
        now=T0 + HOUR,
    )
    assert (sent.state, sent.sent_sha256) == ("sent", notice.approved_sha256)
    art33 = clock(breach, "gdpr-33-1")
    assert art33.status == ObligationStatus.MET
    assert "TSV/1/2026" in art33.met_note
    with pytest.raises(DomainError):
        service.notice_edit(notice_id=notice.pk, actor=lead, sections={"cause": "x"}, now=T0)
    supplementary = drafted(breach, lead, phase="supplementary", follows=notice.pk)
    assert "TSV/1/2026" in text_of(generated(supplementary, lead))


def test_the_author_never_approves_their_own_notice(breach: Incident, dpo: User) -> None:
    notice = drafted(breach, dpo)
    service.notice_submit(notice_id=notice.pk, actor=dpo, now=T0)
    with pytest.raises(DomainError) as refused:
        service.notice_approve(notice_id=notice.pk, actor=dpo, now=T0)
    assert refused.value.field == "approver"


def test_a_late_authority_notice_needs_the_reasons_for_the_delay(
    breach: Incident, lead: User, dpo: User
) -> None:
    notice = drafted(breach, lead)
    service.notice_submit(notice_id=notice.pk, actor=lead, now=T0 + 80 * HOUR)
    with pytest.raises(DomainError) as refused:
        service.notice_approve(notice_id=notice.pk, actor=dpo, now=T0 + 80 * HOUR)
    assert refused.value.field == "delay_reason"
    service.notice_edit(
        notice_id=notice.pk, actor=lead, sections={"delay_reason": "The log review took four days."}, now=T0
    )
    service.notice_submit(notice_id=notice.pk, actor=lead, now=T0 + 80 * HOUR)
    approved = service.notice_approve(notice_id=notice.pk, actor=dpo, now=T0 + 80 * HOUR)
    assert "The log review took four days." in text_of(generated(approved, dpo))
    service.notice_mark_sent(
        notice_id=notice.pk,
        actor=dpo,
        sent_at=T0 + 80 * HOUR,
        channel="e-service",
        recipient="Tietosuojavaltuutettu",
        case_number="TSV/2/2026",
        now=T0 + 81 * HOUR,
    )
    art33 = clock(breach, "gdpr-33-1")
    assert (art33.status, art33.delay_reason) == (ObligationStatus.LATE, "The log review took four days.")


def test_the_data_subjects_notice_meets_the_communication(breach: Incident, lead: User, dpo: User) -> None:
    notice = drafted(breach, lead, "data_subjects", "sv")
    service.notice_submit(notice_id=notice.pk, actor=lead, now=T0)
    service.notice_approve(notice_id=notice.pk, actor=dpo, now=T0)
    service.notice_mark_sent(
        notice_id=notice.pk,
        actor=dpo,
        sent_at=T0 + HOUR,
        channel="e-mail",
        recipient="40 customers",
        now=T0 + HOUR,
    )
    assert clock(breach, "gdpr-34").status == ObligationStatus.MET
    assert fresh(breach).obligations.filter(status__in=("pending", "missed")).count() == 1  # Art. 33(1) left


# --- API and pages ------------------------------------------------------------------------------


def test_the_api_drafts_edits_reviews_and_sends_a_notice(breach: Incident, lead: User, dpo: User) -> None:
    from tests.api_support import api_as

    created = api_as(lead).post(
        f"/api/incidents/{breach.reference}/notices/",
        {"audience": "authority", "language": "en", "phase": "preliminary"},
        format="json",
    )
    assert created.status_code == 201, created.content
    notice = created.json()
    assert (notice["state"], notice["obligation"]) == ("draft", "gdpr-33-1")
    assert notice["sections"]["description"] == "CRM export left public."
    address = f"/api/notices/{notice['id']}/"
    wrong = api_as(lead).patch(address, {"sections": {"nonsense": "x"}}, format="json")
    assert (wrong.status_code, list(wrong.json()["error"]["fields"])) == (400, ["nonsense"])
    edited = api_as(lead).patch(address, {"sections": {"cause": "A public link."}}, format="json")
    assert edited.json()["sections"]["cause"] == "A public link."
    document = api_as(lead).get(f"{address}document/")
    assert document.status_code == 200
    assert document["X-Content-SHA256"] == service.sha256(document.content)
    assert "A public link." in text_of(document.content)
    submitted = api_as(lead).post(f"{address}transitions/submit/", {}, format="json")
    assert submitted.json()["review_sha256"] == document["X-Content-SHA256"]
    assert api_as(lead).post(f"{address}transitions/approve/", {}, format="json").status_code == 403
    approved = api_as(dpo).post(f"{address}transitions/approve/", {}, format="json")
    assert (approved.status_code, approved.json()["state"]) == (200, "approved"), approved.content
    missing = api_as(dpo).post(
        f"{address}sent/",
        {"sent_at": "2026-03-27T08:00:00Z", "channel": "e-service", "recipient": "TSV"},
        format="json",
    )
    assert list(missing.json()["error"]["fields"]) == ["case_number"]
    sent = api_as(dpo).post(
        f"{address}sent/",
        {
            "sent_at": "2026-03-27T08:00:00Z",
            "channel": "e-service",
            "recipient": "TSV",
            "case_number": "TSV/7/2026",
        },
        format="json",
    )
    assert (sent.status_code, sent.json()["state"], sent.json()["sent_sha256"]) == (
        200,
        "sent",
        document["X-Content-SHA256"],
    ), sent.content
    art33 = clock(breach, "gdpr-33-1")
    assert (art33.status, art33.complete) == (ObligationStatus.MET, False)  # preliminary: Art. 33(4) follows
    listed = api_as(lead).get(f"/api/incidents/{breach.reference}/notices/").json()
    assert [item["id"] for item in listed] == [notice["id"]]
    assert api_as(lead).patch(address, {"sections": {"cause": "x"}}, format="json").status_code == 400


def test_the_pages_draft_a_notice_and_take_it_to_review(breach: Incident, lead: User, dpo: User) -> None:
    from tests.conftest import signed_in

    client = signed_in(lead)
    page = client.get(f"/incidents/{breach.pk}/").content.decode()
    assert "Draft a notice" in page
    response = client.post(
        f"/incidents/{breach.pk}/notices/new/",
        {"notice-audience": "authority", "notice-language": "fi", "notice-phase": "complete"},
    )
    assert response.status_code == 302
    notice = Notice.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "CRM export left public." in page
    response = client.post(
        f"/notices/{notice.pk}/act/sections/",
        {
            "sections-version": notice.version,
            **{f"sections-{k}": v for k, v in notice.sections.items()},
            "sections-cause": "Väärin määritetty jako.",
        },
    )
    assert response.status_code == 302
    download = client.get(f"/notices/{notice.pk}/document/")
    assert "Väärin määritetty jako." in text_of(download.content)
    response = client.post(
        f"/notices/{notice.pk}/act/submit/", {"submit-version": fresh_notice(notice).version}
    )
    assert response.status_code == 302
    assert fresh_notice(notice).state == "in_review"
    reviewer = signed_in(dpo)
    response = reviewer.post(
        f"/notices/{notice.pk}/act/request_changes/",
        {"request_changes-version": fresh_notice(notice).version},
    )
    # Refused, the browser is sent back to the notice's page: a reload shows it, not the form again.
    assert response.status_code == 303
    assert response["Location"] == f"/notices/{notice.pk}/#review-heading"
    page = reviewer.get(f"/notices/{notice.pk}/").content.decode()
    assert 'data-field-error="comment"' in page
    assert 'data-field-error="comment"' not in reviewer.get(f"/notices/{notice.pk}/").content.decode()


def test_a_letterhead_carries_its_header_and_styles_into_every_notice(breach: Incident, lead: User) -> None:
    from tests.conftest import signed_in

    letterhead = Document()
    letterhead.sections[0].header.paragraphs[0].text = "Esimerkki Oy · Mannerheimintie 1 · Helsinki"
    letterhead.add_paragraph("This body text of the template is not part of any notice.")
    upload = io.BytesIO()
    letterhead.save(upload)
    upload.seek(0)
    upload.name = "kirjepohja.docx"
    organisation = fresh(breach).organisation
    assert organisation is not None
    client = signed_in(lead)
    refused = client.post(
        f"/organisations/{organisation.pk}/letterhead/",
        {"letterhead": io.BytesIO(b"not a docx")},
        follow=True,
    )
    assert "Letterhead: upload a Word document (.docx) that Word opens." in refused.content.decode()
    response = client.post(f"/organisations/{organisation.pk}/letterhead/", {"letterhead": upload})
    assert response.status_code == 302
    notice = drafted(fresh(breach), lead)
    data = generated(notice, lead)
    document = Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "Esimerkki Oy · Mannerheimintie 1 · Helsinki"
    assert "not part of any notice" not in text_of(data)
    assert "CRM export left public." in text_of(data)
    service.notice_edit(notice_id=notice.pk, actor=lead, sections={"cause": "x"}, now=T0)
    service.notice_edit(notice_id=notice.pk, actor=lead, sections={"cause": ""}, now=T0)
    assert generated(fresh_notice(notice), lead) == data  # still the same bytes for the same content
    assert events("organisation.letterhead_set").count() == 1


def test_the_incidents_timeline_tells_the_notices_story(breach: Incident, lead: User, dpo: User) -> None:
    from incidents.lifecycle.timeline import timeline_entries
    from incidents.selectors.incidents import incident_events

    notice = drafted(breach, lead)
    service.notice_submit(notice_id=notice.pk, actor=lead, now=T0)
    service.notice_request_changes(notice_id=notice.pk, actor=dpo, comment="Name the cause.", now=T0)
    told = [(entry.words, entry.details) for entry in timeline_entries(incident_events(breach.pk))]
    words = [words for words, _details in told]
    assert words[-4:] == [
        "Drafted a notice",
        "Generated a notice's document",
        "Submitted a notice for review",
        "Asked for changes to a notice",
    ]
    assert "Changes asked for: Name the cause." in told[-1][1]


def test_a_file_edited_outside_the_tool_is_approved_before_it_is_sent(
    breach: Incident, lead: User, dpo: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.api_support import api_as

    notice = drafted(breach, lead, "data_subjects", "en")
    edited = Document(io.BytesIO(generated(notice, lead)))
    edited.add_paragraph("Signed: Tiina Tietosuoja")
    buffer = io.BytesIO()
    edited.save(buffer)
    by_hand = buffer.getvalue()
    address = f"/api/notices/{notice.pk}/"
    submitted = api_as(lead).post(
        f"{address}transitions/submit/",
        {"file": SimpleUploadedFile("notice.docx", by_hand)},
        format="multipart",
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["review_sha256"] == service.sha256(by_hand)
    assert api_as(dpo).post(f"{address}transitions/approve/", {}, format="json").status_code == 200
    document = api_as(dpo).get(f"{address}document/")
    assert document.content == by_hand  # the approved file, not a new generation
    sent = api_as(dpo).post(
        f"{address}sent/",
        {
            "sent_at": "2026-03-27T08:00:00Z",
            "channel": "e-mail",
            "recipient": "40 customers",
            "file": SimpleUploadedFile("notice.docx", by_hand),
        },
        format="multipart",
    )
    assert (sent.status_code, sent.json()["sent_sha256"]) == (200, service.sha256(by_hand)), sent.content
    kinds = sorted(file["kind"] for file in sent.json()["files"])
    assert kinds == ["generated", "uploaded"]


# --- Review e-mail ------------------------------------------------------------------------------


def letters_to() -> dict[str, Any]:
    from django.core import mail

    letters = {address: message for message in mail.outbox for address in message.to}
    mail.outbox.clear()
    return letters


def test_a_notice_submitted_for_review_is_mailed_to_every_other_dpo_with_its_deadline(
    breach: Incident, lead: User, dpo: User, dpo2: User, django_capture_on_commit_callbacks: Any
) -> None:
    speaks(dpo2, "fi")
    notice = drafted(breach, lead)
    letters_to()
    with django_capture_on_commit_callbacks(execute=True):
        notice = service.notice_submit(notice_id=notice.pk, actor=lead, now=T0 + HOUR)
    letters = letters_to()
    assert set(letters) == {dpo.email, dpo2.email}  # the DPOs; not the security lead who submitted
    english, finnish = letters[dpo.email], letters[dpo2.email]
    assert english.subject == (
        f"[Breachclock] {breach.reference}: a notice awaits your approval"
        " – Supervisory authority (Art. 33(3))"
    )
    assert "Submitted by:    Alice Lead" in english.body
    assert "Time left:       71 h 0 min" in english.body
    assert f"SHA-256 {notice.review_sha256}" in english.body
    assert f"/notices/{notice.pk}/" in english.body
    assert finnish.subject.endswith(
        "ilmoitus odottaa hyväksyntääsi – Valvontaviranomainen (33 artiklan 3 kohta)"
    )
    assert "Aikaa jäljellä:  71 t 0 min" in finnish.body
    assert "Saat tämän viestin, koska olet tietosuojavastaava." in finnish.body
    submitted = json.loads(events("notice.submitted").get().data)
    assert sorted(submitted["recipients"]) == sorted([dpo.email, dpo2.email])


def test_the_author_hears_of_changes_requested_and_of_the_approval_and_no_one_of_their_own_act(
    breach: Incident, lead: User, dpo: User, dpo2: User, django_capture_on_commit_callbacks: Any
) -> None:
    notice = drafted(breach, dpo)  # a DPO drafts; the other DPO reviews
    with django_capture_on_commit_callbacks(execute=True):
        service.notice_submit(notice_id=notice.pk, actor=dpo, now=T0)
    assert set(letters_to()) == {dpo2.email}  # not the submitter, though a DPO
    with django_capture_on_commit_callbacks(execute=True):
        service.notice_request_changes(notice_id=notice.pk, actor=dpo2, comment="Name the cause.", now=T0)
    changes = letters_to()[dpo.email]
    assert changes.subject.startswith(f"[Breachclock] {breach.reference}: changes requested to your notice")
    assert changes.body.startswith("Dina Deputy asked for changes to the notice:\n\nName the cause.\n")
    with django_capture_on_commit_callbacks(execute=True):
        service.notice_submit(notice_id=notice.pk, actor=dpo, now=T0)
    letters_to()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        service.notice_approve(notice_id=notice.pk, actor=dpo, now=T0)  # the author: refused
    assert letters_to() == {}  # a refused act tells no one
    speaks(dpo, "sv")
    with django_capture_on_commit_callbacks(execute=True):
        approved = service.notice_approve(notice_id=notice.pk, actor=dpo2, now=T0)
    letter = letters_to()[dpo.email]
    assert letter.subject.startswith(f"[Breachclock] {breach.reference}: din anmälan är godkänd")
    assert letter.body.startswith("Dina Deputy har godkänt anmälan.")
    assert f"Godkänd fil:     SHA-256 {approved.approved_sha256}" in letter.body
    assert json.loads(events("notice.approved").get().data)["recipients"] == [dpo.email]


@pytest.mark.parametrize(("language", "mark"), [("fi", ","), ("sv", ","), ("en", ".")])
def test_the_notice_writes_the_severity_with_its_languages_decimal_mark(
    breach: Incident, lead: User, language: str, mark: str
) -> None:
    text = text_of(generated(drafted(breach, lead, language=language), lead))
    decimal = rf"\d+{re.escape(mark)}\d+"
    assert re.search(rf"SE {decimal} = DPC \d × EI {decimal} \+ CB {decimal}", text), text
