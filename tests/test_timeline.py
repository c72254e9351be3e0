"""The incident's timeline (incidents/lifecycle/timeline.py): each event of the trail told in the
words the people handling the incident use, with the details they need to follow it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from incidents.audit import audit_record
from incidents.clocks.reminders import reminders_send_due
from incidents.lifecycle.timeline import timeline_entries
from incidents.models import AuditEvent, Incident
from incidents.selectors.incidents import incident_events
from incidents.services import incidents as service
from incidents.services.obligations import obligation_explain_delay, obligation_mark_met
from tests.builders import art33, assessed, aware_at_moved, confirmed, decided, dismissed, facts
from tests.factories import incident_logged
from tests.merge_support import approved, breach, merged
from tests.moments import HOUR, T0
from tests.support.triggers import triggers_dropped


def told(incident: Incident, *, after: int = 0) -> list[tuple[str, str, list[str]]]:
    """Who did what, and its details, as the timeline tells the incident's events after ``after``."""
    events = AuditEvent.objects.filter(incident_id=incident.pk, seq__gt=after).order_by("seq")
    return [(entry.actor, entry.words, entry.details) for entry in timeline_entries(events)]


def head() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_each_step_is_told_in_words_with_the_states_it_moved_between(lead: User) -> None:
    incident = incident_logged(actor=lead)
    service.incident_start_triage(incident_id=incident.pk, actor=lead, expected_version=None, now=T0 + HOUR)
    confirmed(incident, lead, now=T0 + 2 * HOUR)
    assert told(incident) == [
        ("alice", "Logged the incident", []),
        ("alice", "Started triage", ["State: Reported → In triage"]),
        ("alice", "Confirmed a personal-data breach", ["State: In triage → Confirmed breach"]),
    ]
    moments = [entry.at for entry in timeline_entries(AuditEvent.objects.filter(incident_id=incident.pk))]
    assert moments == [T0, T0 + HOUR, T0 + 2 * HOUR]


def test_changed_facts_are_named_by_their_labels_not_their_field_names(lead: User) -> None:
    incident = incident_logged(actor=lead)
    seen = head()
    facts(incident, lead, title="Phone lost", measures="The phone was wiped remotely.")
    assert told(incident, after=seen) == [
        ("alice", "Changed the facts", ["Changed: measures taken and proposed, title"]),
    ]


def test_a_reminder_and_a_missed_deadline_name_the_clock_the_threshold_and_who_was_told(
    lead: User, dpo: User
) -> None:
    incident = confirmed(incident_logged(actor=lead), lead)
    seen = head()
    reminders_send_due(now=T0 + 36 * HOUR)
    reminders_send_due(now=T0 + 84 * HOUR)
    to = "To: alice@breachclock.example, bob@breachclock.example"
    assert told(incident, after=seen) == [
        ("system", "Sent a reminder", ["GDPR: Notification", "Half of the time was used", to]),
        ("system", "A deadline passed without the notice", ["GDPR: Notification"]),
        ("system", "Sent a reminder", ["GDPR: Notification", "Overdue by 12 hours", to]),
    ]


def test_a_notice_judged_anew_shows_its_status_before_and_after(lead: User) -> None:
    incident = confirmed(incident_logged(actor=lead, detected_at=T0 - 10 * HOUR), lead)
    sent = T0 + 70 * HOUR
    obligation_mark_met(
        obligation_id=art33(incident).pk, actor=lead, met_at=sent, note="SA e-service", now=sent
    )
    seen = head()
    aware_at_moved(incident, lead, aware_at=T0 - 5 * HOUR, reason="The ticket said so.", now=T0 + 71 * HOUR)
    obligation_explain_delay(
        obligation_id=art33(incident).pk, actor=lead, reason="Awareness was dated late.", now=T0 + 72 * HOUR
    )
    assert told(incident, after=seen) == [
        ("alice", "Moved the moment of awareness", ["Changed: aware at", "Reason: The ticket said so."]),
        (
            "alice",
            "Judged a sent notice against its moved deadline",
            ["Changed: due at, status", "Status: Met → Missed (sent late)", "GDPR: Notification"],
        ),
        (
            "alice",
            "Gave the reasons for the delay",
            ["Changed: reasons for the delay", "GDPR: Notification"],
        ),
    ]


def test_a_persons_words_are_shown_as_they_wrote_them(lead: User, dpo: User) -> None:
    breach = incident_logged(actor=lead, detected_at=T0 - 3 * HOUR)
    confirmed(breach, lead, aware_at=T0 - 2 * HOUR, aware_reason="SOC-ticket #4711: “asiakasrekisteri”")
    obligation_mark_met(
        obligation_id=art33(breach).pk,
        actor=lead,
        met_at=T0 + HOUR,
        note="Tietosuojavaltuutettu, e-service",
        now=T0 + HOUR,
    )
    decided(
        assessed(breach, lead),
        dpo,
        "high",
        reason="Health data <of 40 patients>.",
        subjects_target_at=T0 + 24 * HOUR,
    )
    assert [details for _actor, _words, details in told(breach)[1:]] == [
        [
            "State: Reported → Confirmed breach",
            "Reason for the earlier awareness: SOC-ticket #4711: “asiakasrekisteri”",
        ],
        ["GDPR: Notification", "How: Tietosuojavaltuutettu, e-service"],
        ["Changed: confidentiality breach, likely consequences"],
        # Names and e-mail addresses (DPC 1) × EI 0.5 (limited) + 0.25 (known recipients) = 0.75.
        ["Proposal: Risk unlikely: document only (Art. 33(5)) (SE 0.75)"],
        ["State: Confirmed breach → Risk assessed"],
        [
            "State: Risk assessed → Notification decided",
            "Risk decision: High risk: notify the authority and the data subjects (Art. 33 and 34)",
            "Proposal of assessment version 1: Risk unlikely: document only (Art. 33(5))",
            "Reason: Health data <of 40 patients>.",
        ],
    ]
    test = incident_logged(actor=lead)
    dismissed(test, lead, reason="A drill: <b>no</b> real people.")
    actor, words, details = told(test)[-1]
    assert (actor, words) == ("alice", "Dismissed: not a personal-data breach")
    assert details[-1] == "Reason: A drill: <b>no</b> real people."


def test_an_action_the_timeline_has_no_words_for_is_shown_by_its_code(lead: User) -> None:
    incident = incident_logged(actor=lead)
    with transaction.atomic():
        audit_record(action="incident.exported", actor=lead, incident_id=incident.pk, data={"format": "pdf"})
    assert told(incident)[-1] == ("alice", "incident.exported", [])


def test_an_older_events_codes_show_through_where_the_words_are_gone(lead: User) -> None:
    """A trail outlives the code that wrote it: a state, field, status, clock, decision or threshold
    the code no longer knows is shown by its code rather than dropped."""
    incident = incident_logged(actor=lead)
    with transaction.atomic():
        audit_record(
            action="obligation.rejudged",
            incident_id=incident.pk,
            data={
                "state": ["reported", "archived"],
                "changes": {"legacy_deadline": [1, 2], "status": ["met", "void"]},
                "obligation": "gdpr-99",
                "risk_decision": "maybe",
                "threshold": "p99",
            },
            now=T0 + dt.timedelta(minutes=5),
        )
    actor, words, details = told(incident)[-1]
    assert (actor, words) == ("system", "Judged a sent notice against its moved deadline")
    assert details == [
        "State: Reported → archived",
        "Changed: legacy_deadline, status",
        "Status: Met → void",
        "gdpr-99",
        "Risk decision: maybe",
        "p99",
    ]


def test_an_event_whose_data_was_tampered_with_is_still_told_without_details(lead: User) -> None:
    incident = incident_logged(actor=lead)
    event = AuditEvent.objects.get(incident_id=incident.pk, action="incident.created")
    with triggers_dropped(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET data = %s WHERE seq = %s", ["{not json", event.seq]
        )
    assert told(incident) == [("alice", "Logged the incident", [])]


@pytest.mark.django_db(transaction=True)  # the merge is queued once its transaction commits
def test_notices_and_mail_merges_are_told_in_words_with_their_states(lead: User, dpo: User) -> None:
    incident = breach(lead, dpo)
    notice = approved(incident, lead, dpo, "fi")
    merged(notice, lead, now=timezone.now(), count=2)
    entries = timeline_entries(incident_events(incident.pk))
    words = [entry.words for entry in entries]
    assert "Started a mail merge of letters" in words and "Merged the letters" in words
    assert not [word for word in words if word.startswith(("merge.", "notice."))]
    submitted = next(entry for entry in entries if entry.words == "Submitted a notice for review")
    assert "State: Draft → In review" in submitted.details
