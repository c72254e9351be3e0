"""The trail by incident reference: the auditor filters by INC-2026-0006, not an internal id, and
every event of an incident shows its reference, linked to the incident's page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.audit import audit_record
from incidents.models import AuditEvent, Incident
from tests.conftest import signed_in
from tests.factories import incident_logged

TRAIL = reverse("audit_trail")


def shown_seqs(page: str) -> list[int]:
    return [int(seq) for seq in re.findall(r'<a href="/audit/events/(\d+)/">', page)]


def trail_page(client: Client, **params: str) -> str:
    response = client.get(TRAIL, params)
    assert response.status_code == 200
    return response.content.decode()


def events_of(incident: Incident) -> set[int]:
    return set(AuditEvent.objects.filter(incident_id=incident.pk).values_list("seq", flat=True))


@pytest.fixture
def two(lead: User) -> tuple[Incident, Incident]:
    return incident_logged(actor=lead), incident_logged(actor=lead, title="Phishing e-mail")


@pytest.mark.parametrize("typed", ["{ref}", "{lower}", "  {ref}  ", " {lower}\t"])
def test_the_trail_is_filtered_by_the_reference_as_typed(
    auditor: User, two: tuple[Incident, Incident], typed: str
) -> None:
    first, second = two
    value = typed.format(ref=first.reference, lower=first.reference.lower())
    page = trail_page(signed_in(auditor), reference=value)
    assert events_of(first)
    assert set(shown_seqs(page)) == events_of(first)
    assert second.reference not in page
    # The export under the list exports what the list shows.
    assert f'<input type="hidden" name="reference" value="{value}">' in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_reference_is_refused_naming_the_field(
    auditor: User, two: tuple[Incident, Incident], method: str
) -> None:
    client = signed_in(auditor)
    if method == "get":
        response = client.get(TRAIL, {"reference": "inc-2026-9999"})
        assert response.status_code == 200
    else:  # the export takes the same filters, and makes nothing of a wrong one
        response = client.post(reverse("audit_export"), {"format": "csv", "reference": "INC-2026-9999"})
        assert response.status_code == 400
    page = response.content.decode()
    assert "Incident reference: No incident has the reference INC-2026-9999." in page
    assert shown_seqs(page) == []
    assert "Export these events" not in page
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("INC-2026-0001-and-more-text", "Incident reference: Ensure this value has at most 20 characters"),
        ("INC\x00", "Incident reference: Null characters are not allowed."),
        ("<b>x</b>", "Incident reference: No incident has the reference &lt;B&gt;X&lt;/B&gt;."),
    ],
)
def test_a_malformed_reference_is_a_form_error_too(auditor: User, typed: str, message: str) -> None:
    assert message in trail_page(signed_in(auditor), reference=typed)


def test_each_event_of_an_incident_shows_its_reference_linked_to_it(
    auditor: User, two: tuple[Incident, Incident]
) -> None:
    first, second = two
    with transaction.atomic():
        gone = audit_record(action="incident.changed", incident_id=999_999)  # an id no incident has
    page = trail_page(signed_in(auditor))
    for incident in (first, second):
        link = f'<td><a href="{reverse("incident_detail", args=[incident.pk])}">{incident.reference}</a></td>'
        assert page.count(link) == len(events_of(incident))
    assert "<td>999999</td>" in page  # shown by its id, as there is no reference to show

    def event_page(seq: int) -> str:
        return signed_in(auditor).get(reverse("audit_event", args=[seq])).content.decode()

    assert f'<a href="/incidents/{first.pk}/">{first.reference}</a>' in event_page(min(events_of(first)))
    assert "<dd>999999</dd>" in event_page(gone.seq)


def test_the_references_are_looked_up_once_a_page_not_once_a_row(auditor: User, lead: User) -> None:
    client = signed_in(auditor)
    incident_logged(actor=lead)
    client.get(TRAIL)  # the session and the permissions are read, and cached, on the first page

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(TRAIL).status_code == 200
        return len(captured)

    one = queries()
    many = [incident_logged(actor=lead, title=f"Incident {n}") for n in range(5)]
    assert queries() == one
    page = trail_page(client)
    assert all(incident.reference in page for incident in many)


def test_the_old_id_parameter_still_filters_and_the_reference_wins(
    auditor: User, two: tuple[Incident, Incident]
) -> None:
    first, second = two
    client = signed_in(auditor)
    assert set(shown_seqs(trail_page(client, incident=str(first.pk)))) == events_of(first)
    both = trail_page(client, incident=str(first.pk), reference=second.reference)
    assert set(shown_seqs(both)) == events_of(second)
    # The form offers the reference only; the id is carried to the export, not to a new filter.
    assert 'name="incident"' not in both.split('class="inline export"')[0]
