"""The reminder e-mail: to the handler and every DPO, each in their own language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation

from incidents.clocks.reminder_mail import reminder_mail
from incidents.clocks.reminders import reminders_send_due
from incidents.models import Incident, ObligationTemplate, Profile
from incidents.roles import Role
from tests.builders import confirmed, facts
from tests.conftest import PASSWORD, signed_in
from tests.factories import incident_logged, register_made
from tests.moments import HOUR, T0


@pytest.fixture
def incident(lead: User, dpo: User) -> Incident:
    return confirmed(
        incident_logged(actor=lead, detected_at=T0 - 2 * HOUR, now=T0, title="Kannettava & muistitikku"), lead
    )


@pytest.fixture
def significant(lead: User) -> Incident:
    """A significant incident of an organisation in NIS2 scope, not yet confirmed: only the NIS2
    clocks run, the early warning due 24 hours after detection (T0 + 22 h)."""
    incident = incident_logged(
        actor=lead, register=register_made(controller__nis2_scope=True), detected_at=T0 - 2 * HOUR, now=T0
    )
    return facts(incident, lead, nis2_significant=True)


def speaks(user: User, language: str) -> None:
    profile = Profile.for_user(user)
    profile.language = language
    profile.save()


def scan(now: dt.datetime, capture: Any) -> None:
    with capture(execute=True):
        reminders_send_due(now=now)


def by_recipient() -> dict[str, Any]:
    return {address: message for message in mail.outbox for address in message.to}


def body_of(incident: Incident, code: str, threshold: str, *, language: str, now: dt.datetime) -> str:
    """The body of one reminder of the incident's ``code`` obligation, as written in ``language``."""
    obligation = incident.obligations.select_related("template", "incident").get(template__code=code)
    return reminder_mail(
        obligation, obligation.reminders.get(threshold=threshold), language=language, now=now
    )[1]


def provision(incident: Incident, code: str, language: str) -> str:
    """The provision of the obligation as a reader of ``language`` sees it cited."""
    template = incident.obligations.select_related("template").get(template__code=code).template
    with translation.override(language):
        return template.law_reference_label


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
    assert swedish.subject == "[Breachclock] INC-2026-0001: 75 % av tiden har gått – GDPR: Anmälan"
    assert "Mottagare:       Tillsynsmyndighet (Dataombudsmannens byrå)" in swedish.body
    assert "75 % av tiden för den här anmälan har gått." in swedish.body
    assert "Tidsfrist:       30.3.2026 kl. 11.00 (UTC+03:00)" in swedish.body
    assert "Tid kvar:        18 tim 0 min" in swedish.body
    assert f"Bestämmelse:     {provision(incident, 'gdpr-33-1', 'sv')}" in swedish.body


def test_an_overdue_reminder_says_by_how_much_and_asks_for_the_reasons(
    incident: Incident, lead: User, django_capture_on_commit_callbacks: Any
) -> None:
    speaks(lead, "fi")
    scan(T0 + 84 * HOUR + 30 * dt.timedelta(minutes=1), django_capture_on_commit_callbacks)
    english, finnish = by_recipient()["bob@breachclock.example"], by_recipient()["alice@breachclock.example"]
    assert english.subject == "[Breachclock] INC-2026-0001: overdue – GDPR: Notification"
    assert "This notification is overdue" in english.body
    assert "Overdue by:      12 h 30 min" in english.body
    assert (
        "A notice sent after its deadline must give the reasons for the delay (GDPR Art. 33(1))."
        in english.body
    )
    assert "To:              Supervisory authority (Office of the Data Protection Ombudsman)" in english.body
    assert "Myöhässä:        12 t 30 min" in finnish.body
    assert (
        "Määräajan jälkeen tehtävään ilmoitukseen on liitettävä perusteltu selitys viivästymisestä "
        "(tietosuoja-asetuksen 33 artiklan 1 kohta)." in finnish.body
    )


@pytest.mark.parametrize(
    ("base_url", "link"),
    [
        ("https://breach.example.fi/", "https://breach.example.fi/incidents/{pk}/"),
        # Served under a sub-path behind a proxy: the sub-path stays, with or without the slash.
        ("https://breach.example.fi/bc/", "https://breach.example.fi/bc/incidents/{pk}/"),
        ("https://breach.example.fi/bc", "https://breach.example.fi/bc/incidents/{pk}/"),
    ],
)
def test_the_e_mail_links_to_the_incident_at_the_public_address(
    incident: Incident, base_url: str, link: str
) -> None:
    expected = link.format(pk=incident.pk)
    with override_settings(PUBLIC_BASE_URL=base_url):
        bodies = {
            language: body_of(incident, "gdpr-33-1", "p50", language=language, now=T0 + 34 * HOUR)
            for language in ("en", "fi", "sv")
        }
    assert f"Open the incident: {expected}\n" in bodies["en"]
    assert f"Avaa poikkeama: {expected}\n" in bodies["fi"]
    assert f"Öppna incidenten: {expected}\n" in bodies["sv"]


def test_a_link_written_under_a_script_prefix_names_the_sub_path_once(incident: Incident) -> None:
    """A proxy passing SCRIPT_NAME=/bc (or FORCE_SCRIPT_NAME) makes reverse() give /bc/incidents/…;
    the public address already ends in /bc/."""
    set_script_prefix("/bc/")
    try:
        with override_settings(PUBLIC_BASE_URL="https://breach.example.fi/bc/"):
            body = body_of(incident, "gdpr-33-1", "p50", language="en", now=T0 + 36 * HOUR)
    finally:
        set_script_prefix("/")
    assert f"Open the incident: https://breach.example.fi/bc/incidents/{incident.pk}/\n" in body


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "A notice sent after its deadline must give the reasons for the delay (GDPR Art. 33(1))."),
        (
            "fi",
            "Määräajan jälkeen tehtävään ilmoitukseen on liitettävä perusteltu selitys viivästymisestä "
            "(tietosuoja-asetuksen 33 artiklan 1 kohta).",
        ),
        (
            "sv",
            "En anmälan som görs efter tidsfristen ska åtföljas av en motivering till förseningen "
            "(artikel 33.1 i dataskyddsförordningen).",
        ),
    ],
)
def test_an_overdue_gdpr_notification_asks_for_the_reasons_for_the_delay(
    incident: Incident, language: str, sentence: str
) -> None:
    body = body_of(incident, "gdpr-33-1", "overdue-1", language=language, now=T0 + 84 * HOUR)
    assert sentence in body


@pytest.mark.parametrize(
    ("language", "label", "sentence", "reasons"),
    [
        (
            "en",
            "Provision:       ",
            "The deadline set by {provision} has passed: send the notice as soon as possible.",
            "reasons for the delay",
        ),
        (
            "fi",
            "Säännös:         ",
            "Säännöksen ({provision}) mukainen määräaika on ylittynyt: tee ilmoitus viipymättä.",
            "viivästymisestä",
        ),
        (
            "sv",
            "Bestämmelse:     ",
            "Tidsfristen enligt bestämmelsen ({provision}) har löpt ut: gör anmälan så snart som möjligt.",
            "förseningen",
        ),
    ],
)
def test_an_overdue_nis2_early_warning_cites_its_own_provision_not_the_gdpr(
    significant: Incident, language: str, label: str, sentence: str, reasons: str
) -> None:
    # Due at T0 + 22 h; the first overdue reminder twelve hours later.
    body = body_of(significant, "nis2-early-warning", "overdue-1", language=language, now=T0 + 34 * HOUR)
    cited = provision(significant, "nis2-early-warning", language)
    assert f"{label}{cited}\n" in body
    assert sentence.format(provision=cited) in body
    assert reasons not in body  # the GDPR's rule on late notices is not NIS2's
    for gdpr_article in ("33(1)", "33 artiklan", "33.1"):
        assert gdpr_article not in body


def test_the_provision_is_cited_in_the_readers_language(
    significant: Incident, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The catalogues' translations of the provisions stand in for here, each marked by its language.
    monkeypatch.setattr(
        ObligationTemplate,
        "law_reference_label",
        property(lambda template: f"[{translation.get_language()}] {template.law_reference}"),
    )
    law = significant.obligations.get(template__code="nis2-early-warning").template.law_reference
    for language in ("en", "fi", "sv"):
        body = body_of(significant, "nis2-early-warning", "overdue-1", language=language, now=T0 + 34 * HOUR)
        assert body.count(f"[{language}] {law}") == 2  # the provision line and the overdue sentence


@pytest.mark.parametrize(
    ("language", "label", "not_said"),
    [
        ("en", "Provision:       ", "Legal reference"),
        # "Oikeusperusta" / "Rättslig grund" read as the legal basis of processing (GDPR Art. 6).
        ("fi", "Säännös:         ", "Oikeusperusta"),
        ("sv", "Bestämmelse:     ", "Rättslig grund"),
    ],
)
def test_the_provision_is_labelled_as_a_dpo_would_label_it(
    incident: Incident, language: str, label: str, not_said: str
) -> None:
    body = body_of(incident, "gdpr-33-1", "p75", language=language, now=T0 + 52 * HOUR)
    assert f"{label}{provision(incident, 'gdpr-33-1', language)}\n" in body
    assert not_said not in body


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
