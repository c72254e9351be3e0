"""The register pages as a browser without JavaScript sees them: list, search, detail, edit, upload."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from incidents.audit.context import SYSTEM
from incidents.importer import MAX_STATEMENT_BYTES, MAX_UPLOAD_BYTES
from incidents.importer.forms import StatementUploadHandler
from incidents.importer.service import StatementFile, registers_import
from incidents.models import AuditEvent, DataItem, Register
from tests.conftest import signed_in
from tests.importer_support import SEEDS, seed_path
from tests.moments import IMPORTED_AT


@pytest.fixture
def seeded(db: None) -> list[Register]:
    files = [StatementFile(name=p.name, content=p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))]
    registers_import(actor=SYSTEM, files=files, now=IMPORTED_AT)
    return list(Register.objects.all())


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_every_role_sees_the_catalogue_and_the_nav_link(seeded, lead: User, dpo: User, auditor: User) -> None:
    for user in (lead, dpo, auditor):
        page = signed_in(user).get(reverse("register_list")).content.decode()
        assert '<a href="/registers/">Registers</a>' in page
        assert "6 registers" in page
        assert "Elämäsi Kunnossa Terveyspalvelut - asiakasrekisteri" in page
        assert "Sensitive (DPC 4)" in page


def test_import_and_edit_links_are_only_for_those_who_may(seeded, lead: User, auditor: User) -> None:
    assert "Import privacy statements" in signed_in(lead).get(reverse("register_list")).content.decode()
    assert (
        "Import privacy statements" not in signed_in(auditor).get(reverse("register_list")).content.decode()
    )
    register = seeded[0]
    assert (
        ">Edit</a>"
        not in signed_in(auditor).get(reverse("register_detail", args=[register.pk])).content.decode()
    )


def test_a_user_without_a_role_is_refused(seeded, outsider: User) -> None:
    client = signed_in(outsider)
    assert client.get(reverse("register_list")).status_code == 403
    assert client.get(reverse("register_detail", args=[seeded[0].pk])).status_code == 403


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("prospektit", ["Ilopiste.fi prospektit"]),
        ("2316408-3", ["Valmennuskumppani Oy:n asiakas- ja markkinointirekisteri"]),
        ("Wauranoja", ["Ilopiste.fi asiakasrekisteri", "Ilopiste.fi prospektit"]),
        ("terveysprofiili", ["Elämäsi Kunnossa Terveyspalvelut - asiakasrekisteri"]),
        (
            "Center Finland",
            ["Optimal Performance Oy:n ja Optimal Performance Center Finland Oy:n asiakasrekisteri"],
        ),
    ],
)
def test_the_catalogue_is_searchable(seeded, auditor: User, query: str, found: list[str]) -> None:
    response = signed_in(auditor).get(reverse("register_list"), {"q": query})
    names = [register.name for register in response.context["page"].object_list]
    assert names == found


def test_a_search_that_finds_nothing_says_so(seeded, auditor: User) -> None:
    page = signed_in(auditor).get(reverse("register_list"), {"q": "<b>ei ole</b>"}).content.decode()
    assert "0 registers" in page
    assert "No register matches “&lt;b&gt;ei ole&lt;/b&gt;”." in page


def test_the_detail_page_shows_the_fields_beside_the_statement(seeded, auditor: User) -> None:
    register = Register.objects.get(name="Elämäsi Kunnossa Terveyspalvelut - asiakasrekisteri")
    page = signed_in(auditor).get(reverse("register_detail", args=[register.pk])).content.decode()
    assert "Elämäsi Kunnossa Terveyspalvelut Oy (business ID 2511641-3)" in page
    assert "Porrassalmenkatu 21, 2krs., 50100 Mikkeli" in page
    assert "<td>terveysprofiilitiedot</td>\n          <td>Sensitive (DPC 4)</td>" in page
    assert "Yes (GDPR Art. 9-10)" in page
    assert "<td>sukupuoli</td>\n          <td>Simple (DPC 1)</td>" in page
    assert "Not stated" in page  # transfers outside the EU/EEA
    assert "No contact person is named." in page
    assert "Henkilötietolaki 523/1999" in page
    assert 'data-testid="source-text">Tietosuojaseloste' in page
    assert "<h3>Evästeiden käyttö</h3>" in page  # a section the importer does not know, kept


def test_joint_controllers_are_shown(seeded, lead: User) -> None:
    register = Register.objects.get(controller__business_id="2332801-7")
    page = signed_in(lead).get(reverse("register_detail", args=[register.pk])).content.decode()
    assert "Joint controllers" in page
    assert "Optimal Performance Center Finland Oy" in page


def _edit_data(register: Register, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": register.name,
        "contact_person": register.contact_person,
        "contact_email": register.contact_email,
        "contact_phone": register.contact_phone,
        "purpose": register.purpose,
        "legal_basis": register.legal_basis,
        "data_subjects": register.data_subjects,
        "sources": register.sources,
        "disclosures": register.disclosures,
        "transfers_outside_eea": register.transfers_outside_eea,
        "transfers_details": register.transfers_details,
        "retention": register.retention,
        "security_measures": register.security_measures,
        "estimated_data_subjects": "",
    }
    items = list(register.data_items.all())
    data.update(
        {
            "items-TOTAL_FORMS": str(len(items) + 1),
            "items-INITIAL_FORMS": str(len(items)),
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        }
    )
    for index, item in enumerate(items):
        data[f"items-{index}-id"] = str(item.pk)
        data[f"items-{index}-text"] = item.text
        data[f"items-{index}-data_class"] = str(item.data_class)
        if item.special_category:
            data[f"items-{index}-special_category"] = "on"
        if item.henkilotunnus:
            data[f"items-{index}-henkilotunnus"] = "on"
    data[f"items-{len(items)}-text"] = ""
    data[f"items-{len(items)}-data_class"] = ""
    data.update(overrides)
    return data


def test_a_dpo_edits_a_register_and_the_change_is_audited_before_and_after(seeded, dpo: User) -> None:
    register = Register.objects.get(name="Ilopiste.fi prospektit")
    client = signed_in(dpo)
    assert client.get(reverse("register_edit", args=[register.pk])).status_code == 200
    titteli = register.data_items.get(text="titteli")
    index = list(register.data_items.all()).index(titteli)
    count = register.data_items.count()
    data = _edit_data(
        register,
        contact_person="Ville Wauranoja",
        estimated_data_subjects="1200",
        **{
            f"items-{index}-data_class": "2",
            f"items-{count}-text": "LinkedIn-profiili",
            f"items-{count}-data_class": "2",
        },
    )
    response = client.post(reverse("register_edit", args=[register.pk]), data, follow=True)
    page = response.content.decode()
    assert "Saved. Changed: contact_person, estimated_data_subjects, data_items." in page
    assert 'Behavioural (DPC 2) <span class="muted">(suggested: Simple (DPC 1))</span>' in page
    register.refresh_from_db()
    assert register.contact_person == "Ville Wauranoja"
    assert register.estimated_data_subjects == 1200
    assert DataItem.objects.get(register=register, text="LinkedIn-profiili").data_class == 2
    event = AuditEvent.objects.get(action="register.changed")
    assert event.actor_username == "bob"
    changes = json.loads(event.data)["changes"]
    assert changes["contact_person"] == ["", "Ville Wauranoja"]
    assert changes["estimated_data_subjects"] == [None, 1200]
    assert "titteli (behavioural)" in changes["data_items"][1]


def test_an_item_classed_by_its_group_heading_is_suggested_that_class_and_keeps_it_through_an_edit(
    seeded, lead: User
) -> None:
    """In seed 002, "henkilökohtaiset merkinnät" is listed under the health heading: its words alone
    are simple, but where it stands it is health data, and that is the suggestion, not a user's
    override."""
    register = Register.objects.get(name="oy OmaParantola ab:n asiakasrekisteri")
    item = register.data_items.get(text="henkilökohtaiset merkinnät")
    assert (item.data_class, item.suggested_class) == (4, 4)
    client = signed_in(lead)
    page = client.get(reverse("register_detail", args=[register.pk])).content.decode()
    assert "(suggested: Simple (DPC 1))" not in page
    response = client.post(
        reverse("register_edit", args=[register.pk]),
        _edit_data(register, contact_person="Hannele P."),
        follow=True,
    )
    assert "Saved. Changed: contact_person." in response.content.decode()
    item = register.data_items.get(text="henkilökohtaiset merkinnät")
    assert (item.data_class, item.suggested_class) == (4, 4)
    assert "(suggested: Simple (DPC 1))" not in response.content.decode()


def test_an_invalid_edit_names_the_field_and_saves_nothing(seeded, lead: User) -> None:
    register = Register.objects.get(name="Ilopiste.fi prospektit")
    data = _edit_data(register, contact_email="ei-sähköposti", name="")
    response = signed_in(lead).post(reverse("register_edit", args=[register.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Contact e-mail: Enter a valid email address." in page
    assert "Name: This field is required." in page
    register.refresh_from_db()
    assert register.name == "Ilopiste.fi prospektit"
    assert not AuditEvent.objects.filter(action="register.changed").exists()


def test_an_auditor_can_change_nothing(seeded, auditor: User) -> None:
    register = seeded[0]
    client = signed_in(auditor)
    assert client.get(reverse("register_edit", args=[register.pk])).status_code == 403
    assert (
        client.post(reverse("register_edit", args=[register.pk]), _edit_data(register, name="x")).status_code
        == 403
    )
    assert client.get(reverse("register_import")).status_code == 403
    upload = {"statements": [_upload("000.txt", seed_path("000").read_bytes())]}
    assert client.post(reverse("register_import"), upload).status_code == 403
    register.refresh_from_db()
    assert register.name != "x"


@pytest.mark.django_db
def test_a_lead_uploads_several_statements_and_sees_what_was_imported(lead: User) -> None:
    client = signed_in(lead)
    assert client.get(reverse("register_import")).status_code == 200
    files = [
        _upload("000.txt", seed_path("000").read_bytes()),
        _upload("tyhjä.txt", b""),
        _upload("iso.txt", b"x" * (MAX_STATEMENT_BYTES + 10)),
        _upload("kuva.jpg", b"\xff\xd8\xff\xe0" + bytes(100)),
        _upload("004.txt", seed_path("004").read_text(encoding="utf-8").encode("cp1252")),
    ]
    response = client.post(reverse("register_import"), {"statements": files})
    assert response.status_code == 200
    page = response.content.decode()
    assert "tyhjä.txt: the file is empty. Nothing from this file was imported." in page
    assert "iso.txt: the file is larger than 2 MB" in page
    assert "kuva.jpg: the file is not text (it looks like a JPEG image)" in page
    assert "Ilopiste.fi prospektit" in page
    assert "imported" in page
    assert "Suggested severity class" in page
    assert sorted(Register.objects.values_list("name", flat=True)) == [
        "Ilopiste.fi asiakasrekisteri",
        "Ilopiste.fi prospektit",
        "Optimal Performance Oy:n ja Optimal Performance Center Finland Oy:n asiakasrekisteri",
    ]
    assert AuditEvent.objects.filter(action="register.imported", actor_username="alice").count() == 3


@pytest.mark.django_db
def test_uploading_a_changed_statement_shows_what_changed(dpo: User) -> None:
    client = signed_in(dpo)
    client.post(
        reverse("register_import"), {"statements": [_upload("002.txt", seed_path("002").read_bytes())]}
    )
    changed = seed_path("002").read_text(encoding="utf-8").replace("Hannele Pujari", "Hanna Pujari")
    response = client.post(reverse("register_import"), {"statements": [_upload("002.txt", changed.encode())]})
    page = response.content.decode()
    assert "updated" in page
    assert "<td>contact_person</td><td>Hannele Pujari</td><td>Hanna Pujari</td>" in page
    assert Register.objects.count() == 1


@pytest.mark.django_db
def test_a_preview_upload_saves_nothing(lead: User) -> None:
    response = signed_in(lead).post(
        reverse("register_import"),
        {"statements": [_upload("001.txt", seed_path("001").read_bytes())], "dry_run": "on"},
    )
    page = response.content.decode()
    assert "Preview: nothing was saved" in page
    assert "would be imported" in page
    assert "Sensitive (DPC 4)" in page
    assert Register.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_without_files_is_refused_with_a_message(lead: User) -> None:
    response = signed_in(lead).post(reverse("register_import"), {})
    assert response.status_code == 400
    assert "Privacy statements: This field is required." in response.content.decode()


@pytest.mark.django_db
def test_of_an_oversized_upload_only_a_byte_past_the_limit_is_kept_and_the_file_is_refused(
    lead: User,
) -> None:

    request = RequestFactory().post(
        reverse("register_import"), {"statements": _upload("iso.txt", b"x" * (2 * MAX_UPLOAD_BYTES))}
    )
    request.upload_handlers = [StatementUploadHandler(request), *request.upload_handlers]
    kept = request.FILES["statements"]
    # The larger limit (of Word and PDF files) and a byte: a text file's is smaller still.
    assert isinstance(kept, SimpleUploadedFile | UploadedFile) and kept.size == MAX_UPLOAD_BYTES + 1
    page = signed_in(lead).post(
        reverse("register_import"), {"statements": [_upload("iso.txt", b"x" * (3 * MAX_STATEMENT_BYTES))]}
    )
    assert "iso.txt: the file is larger than 2 MB" in page.content.decode()


@pytest.mark.django_db
def test_the_import_page_still_refuses_a_post_without_its_csrf_token(lead: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(reverse("register_import"), {"statements": [_upload("000.txt", b"Rekisteri")]})
    assert response.status_code == 403
    assert not Register.objects.exists()


@pytest.mark.parametrize(
    ("override", "shown"),
    [
        ({"items-0-data_class": "9"}, "Select a valid choice. 9 is not one of the available choices."),
        ({"items-0-id": "999999"}, "Select a valid choice. That choice is not one of the available choices."),
    ],
    ids=["unknown class", "unknown item"],
)
def test_the_register_edit_page_shows_every_error_it_refuses_with(
    seeded: None, dpo: User, override: dict[str, str], shown: str
) -> None:
    register = Register.objects.get(name="Ilopiste.fi prospektit")
    before = list(register.data_items.values_list("text", "data_class"))
    response = signed_in(dpo).post(
        reverse("register_edit", args=[register.pk]), _edit_data(register, **override)
    )
    assert response.status_code == 400
    assert shown in response.content.decode()
    assert list(register.data_items.values_list("text", "data_class")) == before
