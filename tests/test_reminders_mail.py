"""The reminder e-mail: to the handler and every DPO, each in their own language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse

from incidents.models import Incident, Profile
from incidents.reminders import reminders_send_due
from incidents.roles import Role
from incidents.services import incidents as service
from tests.conftest import PASSWORD, signed_in
from tests.factories import incident_logged

T0 = dt.datetime(2026, 3, 27, 8, 0, tzinfo=dt.UTC)  # 10:00 in Helsinki; summer time starts on the 29th
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def incident(lead: User, dpo: User) -> Incident:
    incident = incident_logged(
        actor=lead, detected_at=T0 - 2 * HOUR, now=T0, title="Kannettava & muistitikku"
    )
    return service.incident_confirm(incident_id=incident.pk, actor=lead, expected_version=None, now=T0)


def speaks(user: User, language: str) -> None:
    profile = Profile.for_user(user)
    profile.language = language
    profile.save()


def scan(now: dt.datetime, capture: Any) -> None:
    with capture(execute=True):
        reminders_send_due(now=now)


def by_recipient() -> dict[str, Any]:
    return {address: message for message in mail.outbox for address in message.to}


def test_the_handler_reads_finnish_and_the_dpo_swedish(
    incident: Incident, lead: User, dpo: User, django_capture_on_commit_callbacks: Any
) -> None:
    speaks(lead, "fi")
    speaks(dpo, "sv")
    scan(T0 + 54 * HOUR, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    finnish, swedish = by_recipient()["alice@breachclock.example"], by_recipient()["bob@breachclock.example"]
    assert finnish.to == ["alice@breachclock.example"]
    # The clock's own words are in the reader's language too, not only the template around them.
    assert finnish.subject == "[Breachclock] INC-2026-0001: 75 % ajasta käytetty – GDPR: Ilmoitus"
    assert "Vastaanottaja:   Valvontaviranomainen (Tietosuojavaltuutetun toimisto)" in finnish.body
    assert "75 % tämän ilmoituksen määräajasta on käytetty." in finnish.body
    assert "Poikkeama:       INC-2026-0001 Kannettava & muistitikku" in finnish.body  # plain text, not &amp;
    # 72 h after 10:00 EET on Friday is 11:00 EEST on Monday: the clocks moved, the hours did not.
    assert "Määräaika:       30.3.2026 klo 11.00 (UTC+03:00)" in finnish.body
    assert "Aikaa jäljellä:  18 t 0 min" in finnish.body
    assert f"Avaa poikkeama: /incidents/{incident.pk}/" in finnish.body
    assert swedish.subject == "[Breachclock] INC-2026-0001: 75 % av tiden har gått – GDPR: Anmälan"
    assert "Mottagare:       Tillsynsmyndighet (Dataombudsmannens byrå)" in swedish.body
    assert "75 % av tiden för den här anmälan har gått." in swedish.body
    assert "Tidsfrist:       30.3.2026 kl. 11.00 (UTC+03:00)" in swedish.body
    assert "Tid kvar:        18 tim 0 min" in swedish.body
    assert "Rättslig grund:  GDPR Art. 33(1)" in swedish.body


def test_an_overdue_reminder_says_by_how_much_and_asks_for_the_reasons(
    incident: Incident, lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    speaks(lead, "fi")
    scan(T0 + 84 * HOUR + 30 * dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    english, finnish = by_recipient()["bob@breachclock.example"], by_recipient()["alice@breachclock.example"]
    assert english.subject == "[Breachclock] INC-2026-0001: overdue – GDPR: Notification"
    assert "This notification is overdue" in english.body
    assert "Overdue by:      12 h 30 min" in english.body
    assert "reasons for the delay (GDPR Art. 33(1))" in english.body
    assert "To:              Supervisory authority (Office of the Data Protection Ombudsman)" in english.body
    assert "Myöhässä:        12 t 30 min" in finnish.body
    assert "syyt viivästykseen" in finnish.body


def test_every_active_dpo_with_an_address_is_reminded_and_no_one_twice(
    incident: Incident, lead: User, dpo: User, django_capture_on_commit_callbacks: Any
) -> None:
    dpos = Group.objects.get(name=Role.DPO)
    lead.groups.add(dpos)  # the handler is a DPO too: one e-mail, not two
    second = User.objects.create_user("dora", "dora@breachclock.example", PASSWORD)
    second.groups.add(dpos)
    speaks(second, "sv")
    gone = User.objects.create_user("olli", "olli@breachclock.example", PASSWORD, is_active=False)
    gone.groups.add(dpos)
    no_address = User.objects.create_user("pia", "", PASSWORD)
    no_address.groups.add(dpos)
    scan(T0 + 36 * HOUR, django_capture_on_commit_callbacks)
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "alice@breachclock.example",
        "bob@breachclock.example",
        "dora@breachclock.example",
    ]
    assert by_recipient()["dora@breachclock.example"].subject.endswith(
        "50 % av tiden har gått – GDPR: Anmälan"
    )


def test_choosing_a_language_while_signed_in_keeps_it_for_the_e_mails(lead: User) -> None:
    client = signed_in(lead)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert Profile.language_of(User.objects.get(pk=lead.pk)) == "sv"
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    assert Profile.objects.get(user=lead).language == "fi"


def test_a_language_chosen_before_signing_in_is_for_the_page_only(lead: User) -> None:
    from django.test import Client

    response = Client().post(reverse("set_language"), {"language": "fi", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert not Profile.objects.exists()


def test_someone_who_never_chose_is_written_to_in_the_sites_language(lead: User) -> None:
    assert Profile.language_of(lead) == "en"
    assert not Profile.objects.exists()
    assert Profile.for_user(lead).language == "en"
