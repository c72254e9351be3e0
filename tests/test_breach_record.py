"""The breach record (GDPR Art. 33(5)): every incident with its facts, effects, remedial action and
the decisions with their reasons; its page, its Word and CSV exports, and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from incidents.breach_record.entries import FIELDS, column_headings
from incidents.breach_record.forms import BreachRecordFilterForm
from incidents.models import Incident, Register
from incidents.services import incidents as service
from tests import builders
from tests.api_support import api_as, error_of
from tests.conftest import signed_in
from tests.factories import incident_logged, register_made
from tests.moments import HOUR, T0

pytestmark = pytest.mark.usefixtures("frozen_at_t0")

PAGE = "/breach-record/"
EXPORT = "/breach-record/export/"
API = "/api/breach-record/"
DAY = 24 * HOUR
DISMISSAL_REASON = "A test alert from the SIEM; no personal data was involved."
DECISION_REASON = "The laptop's disk was encrypted and the key was not on it."


def documented(incident: Incident, lead: User, dpo: User) -> Incident:
    """Confirmed, assessed, decided "risk unlikely" by the DPO and documented without notification."""
    builders.confirmed(incident, lead)
    builders.assessed(incident, lead)
    builders.decided(incident, dpo, "unlikely", reason=DECISION_REASON)
    return service.incident_document(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)


@pytest.fixture
def record(lead: User, dpo: User) -> dict[str, Any]:
    """Three incidents: one dismissed (detected ten days ago), one documented without notification
    (its register with numbers), one still in intake, each with a register of its own."""
    dismissed = incident_logged(actor=lead, title="SIEM alert", detected_at=T0 - 10 * DAY)
    builders.dismissed(dismissed, lead, reason=DISMISSAL_REASON)
    laptop_register = register_made(name="Asiakasrekisteri")
    laptop = incident_logged(actor=lead, register=laptop_register, title="Laptop stolen")
    service.incident_set_registers(
        incident_id=laptop.pk,
        actor=lead,
        expected_version=None,
        affected={laptop_register.pk: {"approx_subjects": 40, "approx_records": 120}},
        now=T0,
    )
    builders.facts(laptop, lead, measures="The laptop was wiped remotely.")
    documented(laptop, lead, dpo)
    # 00:30 on 27 March in Helsinki, 22:30 on the 26th in UTC: the filters' days are local days.
    fresh = incident_logged(
        actor=lead, title="Phishing mail", detected_at=T0 - dt.timedelta(hours=9, minutes=30)
    )
    return {
        "dismissed": builders.fresh(dismissed),
        "documented": builders.fresh(laptop),
        "fresh": builders.fresh(fresh),
        "register": laptop_register,
    }


def references_on_page(response: Any) -> list[str]:
    return re.findall(r'data-testid="record-entry" data-reference="([^"]+)"', response.content.decode())


def page_references(client: Client, **filters: Any) -> set[str]:
    response = client.get(PAGE, filters)
    assert response.status_code == 200, response.content.decode()
    return set(references_on_page(response))


def downloaded(response: Any) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def test_a_dismissed_and_a_documented_incident_both_appear_with_their_reasons(
    auditor: User, record: dict[str, Any]
) -> None:
    response = signed_in(auditor).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Breach record</h1>" in html
    title = re.search(r"<title>(.*)</title>", html)
    assert title is not None and title.group(1) == "Breach record · Breachclock"
    dismissed, documented_ = record["dismissed"], record["documented"]
    assert dismissed.state == "dismissed" and documented_.state == "documented"
    assert set(references_on_page(response)) == {
        i.reference for i in record.values() if isinstance(i, Incident)
    }
    assert "Dismissed (not a personal-data breach)" in html
    assert "A test alert from the SIEM; no personal data was involved." in html
    assert "Documented (no notification)" in html
    assert "Risk unlikely: document only (Art. 33(5))" in html
    assert "The laptop&#x27;s disk was encrypted and the key was not on it." in html
    assert "Asiakasrekisteri · about 40 data subjects · about 120 records" in html
    assert "The laptop was wiped remotely." in html
    # The 72-hour notice does not apply once risk is unlikely: the record says so and why.
    assert "GDPR Art. 33(1)" in html and "Waived" in html


def test_every_role_reads_the_record_and_finds_it_in_the_navigation(
    lead: User, dpo: User, auditor: User
) -> None:
    for person in (lead, dpo, auditor):
        response = signed_in(person).get("/")
        assert f'<a href="{PAGE}">Breach record</a>' in response.content.decode()
        assert signed_in(person).get(PAGE).status_code == 200


def test_each_filter_narrows_the_record(auditor: User, record: dict[str, Any]) -> None:
    client = signed_in(auditor)
    dismissed, documented_, fresh = (record[key].reference for key in ("dismissed", "documented", "fresh"))
    assert page_references(client) == {dismissed, documented_, fresh}
    # Local days, both ends inclusive: "fresh" was detected at 00:30 on the 27th in Helsinki.
    assert page_references(client, detected_from="2026-03-27") == {documented_, fresh}
    assert page_references(client, detected_to="2026-03-26") == {dismissed}
    assert page_references(client, detected_from="2026-03-17", detected_to="2026-03-17") == {dismissed}
    assert page_references(client, state="dismissed") == {dismissed}
    assert page_references(client, state="documented") == {documented_}
    assert page_references(client, risk_decision="unlikely") == {documented_}
    assert page_references(client, risk_decision="high") == set()
    assert page_references(client, register=record["register"].pk) == {documented_}
    assert page_references(client, organisation=record["fresh"].organisation_id) == {fresh}
    assert page_references(client, state="dismissed", detected_from="2026-03-27") == set()


def test_the_record_is_paginated_fifty_incidents_a_page(lead: User) -> None:
    register = register_made()
    for number in range(51):
        incident_logged(actor=lead, register=register, title=f"Alert {number}")
    client = signed_in(lead)
    first, second = client.get(PAGE), client.get(PAGE, {"page": 2})
    assert len(references_on_page(first)) == 50
    assert len(references_on_page(second)) == 1
    assert "51 incidents, the most recently detected first" in first.content.decode()


@pytest.mark.parametrize(
    ("filters", "field", "label"),
    [
        ({"state": "bogus"}, "state", "State"),
        ({"risk_decision": "maybe"}, "risk_decision", "Risk decision"),
        ({"detected_from": "yesterday"}, "detected_from", "Detected from"),
        ({"detected_from": "2026-02-30"}, "detected_from", "Detected from"),
        ({"detected_from": "0001-01-01"}, "detected_from", "Detected from"),
        ({"detected_to": "9999-12-31"}, "detected_to", "Detected to"),
        ({"detected_from": "2026-03-27", "detected_to": "2026-03-01"}, "detected_to", "Detected to"),
        ({"register": "abc"}, "register", "Affected register"),
        ({"register": "999999"}, "register", "Affected register"),
        ({"register": "99999999999999999999999"}, "register", "Affected register"),
        ({"organisation": "-1"}, "organisation", "Organisation handling this breach"),
    ],
)
def test_a_bad_filter_is_named_on_the_page_never_a_500(
    auditor: User, record: dict[str, Any], filters: dict[str, str], field: str, label: str
) -> None:
    response = signed_in(auditor).get(PAGE, filters)
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.findall(rf'data-field-error="{field}">([^<]+)<', html)
    assert errors and errors[0].startswith(f"{label}: "), html
    assert 'data-testid="record-entry"' not in html


def export(client: Client, fmt: str, **filters: Any) -> Any:
    return client.post(EXPORT, {"format": fmt, **filters})


def test_the_docx_is_a_word_table_on_landscape_a4_in_the_readers_language(
    auditor: User, record: dict[str, Any]
) -> None:
    client = signed_in(auditor)
    client.post("/i18n/setlang/", {"language": "fi", "next": PAGE})
    response = export(client, "docx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="breachclock-breach-record-')
    document = Document(io.BytesIO(downloaded(response)))

    section = document.sections[0]
    width, height = section.page_width, section.page_height
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert width is not None and height is not None and width > height
    assert abs(width.mm - 297) < 1 and abs(height.mm - 210) < 1

    (table,) = document.tables
    with translation.override("fi"):
        headings = column_headings()
    assert [cell.text for cell in table.rows[0].cells] == headings
    assert headings[0] == "Poikkeama"  # "Incident", as the Finnish reader reads it
    header_properties = table.rows[0]._tr.trPr
    assert header_properties is not None and header_properties.find(qn("w:tblHeader")) is not None
    rows = table.rows[1:]
    assert len(rows) == 3
    by_reference = {row.cells[0].text.splitlines()[0]: row for row in rows}
    assert set(by_reference) == {i.reference for i in record.values() if isinstance(i, Incident)}
    dismissed = by_reference[record["dismissed"].reference]
    facts = dismissed.cells[1].text
    assert "klo" in facts and "17.3.2026 klo 10.00 (UTC+02:00)" in facts
    assert DISMISSAL_REASON in dismissed.cells[4].text
    assert DECISION_REASON in by_reference[record["documented"].reference].cells[4].text

    assert document.core_properties.language == "fi-FI"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val")) == "fi-FI"


@pytest.mark.parametrize(("language", "tag"), [("en", "en-GB"), ("sv", "sv-FI")])
def test_the_docx_is_tagged_with_each_readers_language(
    auditor: User, record: dict[str, Any], language: str, tag: str
) -> None:
    client = signed_in(auditor)
    client.post("/i18n/setlang/", {"language": language, "next": PAGE})
    document = Document(io.BytesIO(downloaded(export(client, "docx"))))
    assert document.core_properties.language == tag
    with translation.override(language):
        assert [cell.text for cell in document.tables[0].rows[0].cells] == column_headings()


def test_the_docx_drops_characters_word_cannot_hold(lead: User, auditor: User) -> None:
    incident = incident_logged(actor=lead, title="Log line", description="Bell \x07 and escape \x1b[0m.")
    document = Document(io.BytesIO(downloaded(export(signed_in(auditor), "docx"))))
    facts = document.tables[0].rows[1].cells[1].text
    assert "Bell  and escape [0m." in facts
    assert incident.reference in document.tables[0].rows[1].cells[0].text


def test_the_csv_opens_in_excel_with_finnish_settings(
    lead: User, auditor: User, record: dict[str, Any]
) -> None:
    hostile = incident_logged(
        actor=lead,
        title='=HYPERLINK("http://evil.example/";"Click")',
        description='+x; first line\nsecond line with a "quote"',
    )
    builders.facts(hostile, lead, measures="-x", likely_consequences="@x")
    response = export(signed_in(auditor), "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = downloaded(response)
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.endswith("\r\n")
    assert text.split("\r\n")[0].split(";")[:3] == ["Reference", "Title", "State"]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == [str(field.label) for field in FIELDS]
    assert len(rows) == 1 + 4
    assert all(len(row) == len(FIELDS) for row in rows)
    cells = dict(zip(rows[0], next(row for row in rows if row[0] == hostile.reference), strict=True))
    assert cells["Title"] == """'=HYPERLINK("http://evil.example/";"Click")"""
    assert cells["What happened"] == '\'+x; first line\nsecond line with a "quote"'
    assert cells["Measures"] == "'-x"
    assert cells["Likely consequences"] == "'@x"
    dismissed = next(row for row in rows if row[0] == record["dismissed"].reference)
    assert DISMISSAL_REASON in dismissed
    assert "17 March 2026, 10:00 (UTC+02:00)" in dismissed


def test_a_finnish_readers_csv_has_finnish_dates(auditor: User, record: dict[str, Any]) -> None:
    client = signed_in(auditor)
    client.post("/i18n/setlang/", {"language": "fi", "next": PAGE})
    text = downloaded(export(client, "csv", state="dismissed")).decode("utf-8-sig")
    (_header, row) = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert "17.3.2026 klo 10.00 (UTC+02:00)" in row


def test_each_export_writes_one_audit_event_with_its_filters(auditor: User, record: dict[str, Any]) -> None:
    client = signed_in(auditor)
    downloaded(export(client, "csv", state="dismissed"))
    downloaded(export(client, "docx", register=record["register"].pk, detected_from="2026-03-01"))
    events = list(builders.events("breach_record.exported"))
    assert len(events) == 2
    no_filters = {
        "detected_from": None,
        "detected_to": None,
        "state": None,
        "risk_decision": None,
        "register_id": None,
        "organisation_id": None,
    }
    assert json.loads(events[0].data) == {
        "format": "csv",
        "filters": no_filters | {"state": "dismissed"},
        "count": 1,
    }
    assert json.loads(events[1].data) == {
        "format": "docx",
        "filters": no_filters | {"register_id": record["register"].pk, "detected_from": "2026-03-01"},
        "count": 1,
    }
    assert [event.actor_username for event in events] == ["charlie", "charlie"]


def test_an_export_with_a_bad_filter_or_format_writes_nothing(auditor: User, record: dict[str, Any]) -> None:
    client = signed_in(auditor)
    refused = export(client, "docx", state="bogus")
    assert refused.status_code == 400
    assert 'data-field-error="state"' in refused.content.decode()
    assert export(client, "pdf").status_code == 400
    assert client.get(EXPORT).status_code == 405
    assert not builders.events("breach_record.exported").exists()


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"state": "dismissed"},
        {"risk_decision": "unlikely"},
        {"detected_from": "2026-03-27"},
        {"detected_to": "2026-03-26"},
        {"detected_from": "2026-03-01", "detected_to": "2026-03-27", "state": "reported"},
    ],
)
def test_the_api_answers_the_same_incidents_as_the_page(
    auditor: User, record: dict[str, Any], filters: dict[str, str]
) -> None:
    response = api_as(auditor).get(API, filters)
    assert response.status_code == 200, response.json()
    api = [entry["reference"] for entry in response.json()["results"]]
    page = references_on_page(signed_in(auditor).get(PAGE, filters))
    assert api == page


def test_the_api_gives_the_facts_effects_and_decisions(auditor: User, record: dict[str, Any]) -> None:
    client = api_as(auditor)
    (dismissed,) = client.get(API, {"state": "dismissed"}).json()["results"]
    assert dismissed["dismissed_reason"] == DISMISSAL_REASON
    (entry,) = client.get(API, {"register": record["register"].pk}).json()["results"]
    assert entry["state"] == "documented"
    assert entry["risk_decision"] == "unlikely"
    assert entry["decision_reason"] == DECISION_REASON
    assert entry["breach_types"] == ["confidentiality"]
    assert entry["measures"] == "The laptop was wiped remotely."
    assert entry["registers"] == [
        {
            "id": record["register"].pk,
            "name": "Asiakasrekisteri",
            "data_items": [],
            "approx_subjects": 40,
            "approx_records": 120,
        }
    ]
    art33 = next(o for o in entry["obligations"] if o["code"] == "gdpr-33-1")
    assert art33["status"] == "waived" and art33["waived_reason"]


def test_an_api_filter_by_an_id_of_no_row_matches_no_incident(auditor: User, record: dict[str, Any]) -> None:
    for query in ({"organisation": "424242"}, {"register": "424242"}):
        response = api_as(auditor).get(API, query)
        assert response.status_code == 200
        assert response.json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"state": "bogus"}, "state"),
        ({"detected_from": "27.13.2026"}, "detected_from"),
        ({"detected_from": "2026-03-27", "detected_to": "2026-03-01"}, "detected_to"),
        ({"register": "abc"}, "register"),
        ({"organisation": "0"}, "organisation"),
        ({"detected_from": "1999-12-31"}, "detected_from"),
        ({"state": ""}, "state"),
        ({"colour": "red"}, "colour"),
        ({"page": "0"}, "page"),
        ({"page_size": "x"}, "page_size"),
    ],
)
def test_a_bad_filter_is_a_400_in_the_apis_error_shape(
    auditor: User, record: dict[str, Any], query: dict[str, str], field: str
) -> None:
    response = api_as(auditor).get(API, query)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert field in error["fields"] and error["message"].startswith(f"{field}: ")


def test_the_apis_parameters_are_the_pages_filters(auditor: User) -> None:
    schema = api_as(auditor).get("/api/schema/").json()
    operation = schema["paths"][API]["get"]
    assert operation["operationId"] == "breach_record_list"
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == set(BreachRecordFilterForm.base_fields) | {"page", "page_size"}


def test_an_anonymous_visitor_is_sent_to_log_in_and_an_outsider_is_refused(
    client: Client, outsider: User, record: dict[str, Any]
) -> None:
    for response in (client.get(PAGE), client.post(EXPORT, {"format": "csv"})):
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    as_outsider = signed_in(outsider)
    assert as_outsider.get(PAGE).status_code == 403
    assert export(as_outsider, "csv").status_code == 403
    # No token can be issued to a user without a role; the signed-in session reaches the API too.
    assert as_outsider.get(API).status_code == 403
    assert not builders.events("breach_record.exported").exists()


@pytest.mark.parametrize("count", [5, 40])
def test_the_queries_do_not_grow_with_the_number_of_incidents(
    lead: User, dpo: User, auditor: User, django_assert_max_num_queries: Any, count: int
) -> None:
    for number in range(count):
        register = register_made()
        incident = incident_logged(actor=lead, register=register, title=f"Alert {number}")
        if number % 2:
            documented(incident, lead, dpo)
        else:
            builders.dismissed(incident, lead, reason="Not personal data.")
    assert Register.objects.count() == count
    client, api = signed_in(auditor), api_as(auditor)
    # The same few queries for 5 incidents and for 40 (measured: page 11, each export 12, API 8).
    with django_assert_max_num_queries(12):
        assert len(references_on_page(client.get(PAGE))) == count
    with django_assert_max_num_queries(14):
        downloaded(export(client, "docx"))
    with django_assert_max_num_queries(14):
        downloaded(export(client, "csv"))
    with django_assert_max_num_queries(10):
        assert len(api.get(API).json()["results"]) == count
