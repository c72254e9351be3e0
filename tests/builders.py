"""An incident taken through its steps by the services, as a user would, the time pinned by ``now``;
and the readers the tests look at it with.

Each builder takes the incident first and the acting user second, and returns what the service
returns. Log an incident with ``tests.factories.incident_logged``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from incidents.choices import answers_of
from incidents.models import Assessment, AuditEvent, Incident, Obligation, Profile
from incidents.services import incidents as service
from incidents.services.assessments import assessment_record
from tests.moments import T0


def confirmed(incident: Incident, actor: User, *, now: dt.datetime = T0, **awareness: Any) -> Incident:
    """Confirmed as a personal-data breach at ``now``; ``aware_at`` and ``aware_reason`` when the
    organisation was aware earlier."""
    return service.incident_confirm(
        incident_id=incident.pk, actor=actor, expected_version=None, now=now, **awareness
    )


def facts(incident: Incident, actor: User, *, now: dt.datetime = T0, **changes: Any) -> Incident:
    """The facts changed as the facts form or the API's PATCH changes them."""
    return service.incident_update(
        incident_id=incident.pk, actor=actor, expected_version=None, changes=changes, now=now
    )


def aware_at_moved(
    incident: Incident, actor: User, *, aware_at: dt.datetime, reason: str, now: dt.datetime = T0
) -> Incident:
    """The moment of awareness of a confirmed breach moved, with the reason the trail keeps."""
    return service.incident_set_aware_at(
        incident_id=incident.pk, actor=actor, expected_version=None, aware_at=aware_at, reason=reason, now=now
    )


def assessed(
    incident: Incident,
    actor: User,
    *,
    now: dt.datetime = T0,
    answers: dict[str, Any] | None = None,
    **changes: Any,
) -> Incident:
    """A confirmed breach assessed, after the facts the assessment needs (a confidentiality breach
    that may lead to phishing, unless ``changes`` say otherwise) are recorded at the same moment;
    ``answers`` change the assessment's defaults (ANSWERS)."""
    assessment = {"breach_confidentiality": True, "likely_consequences": "Phishing."} | changes
    facts(incident, actor, now=now, **assessment)
    risk_assessed(incident, actor, now=now, **(answers or {}))
    return service.incident_assess(incident_id=incident.pk, actor=actor, expected_version=None, now=now)


# A wrongly addressed e-mail: known recipients, people limited to identify, no intent.
ANSWERS = {
    "ease_of_identification": "limited",
    "confidentiality": "known_recipients",
    "integrity": "none",
    "availability": "none",
    "malicious": False,
    "vulnerable_subjects": False,
}


def risk_assessed(incident: Incident, actor: User, *, now: dt.datetime = T0, **answers: Any) -> Assessment:
    """A version of the incident's ENISA assessment, with ``answers`` changing the defaults."""
    return assessment_record(incident_id=incident.pk, actor=actor, values=ANSWERS | answers, now=now)


def decided(
    incident: Incident,
    actor: User,
    risk: str,
    *,
    now: dt.datetime = T0,
    reason: str = "Names and e-mail addresses of 40 customers.",
    art34_exception: str = "",
    **decision: Any,
) -> Incident:
    """The DPO's decision on notification: ``risk`` is "unlikely", "risk" or "high", given as the
    two answers it amounts to; ``decision`` carries the data subjects' target and the confirmation
    for special data."""
    authority, subjects = answers_of(risk, art34_exception)
    return service.incident_decide(
        incident_id=incident.pk,
        actor=actor,
        expected_version=None,
        notify_authority=authority,
        notify_subjects=subjects,
        reason=reason,
        now=now,
        **decision,
    )


def dismissed(incident: Incident, actor: User, *, reason: str, now: dt.datetime = T0) -> Incident:
    """Dismissed as not a personal-data breach, for ``reason``."""
    return service.incident_dismiss(
        incident_id=incident.pk, actor=actor, expected_version=None, reason=reason, now=now
    )


def fresh(incident: Incident) -> Incident:
    """The incident as the database now holds it."""
    return Incident.objects.get(pk=incident.pk)


def clock(incident: Incident, code: str) -> Obligation:
    """The incident's obligation of the template ``code``, e.g. "gdpr-33-1"."""
    return Obligation.objects.select_related("template").get(incident=incident, template__code=code)


def art33(incident: Incident) -> Obligation:
    """The notification to the supervisory authority, GDPR Art. 33(1)."""
    return clock(incident, "gdpr-33-1")


def clocks(incident: Incident) -> dict[tuple[str, str], tuple[str, dt.datetime | None]]:
    """Every clock of the incident, by template code and recipient: its status and deadline."""
    return {
        (o.template.code, o.recipient_detail): (o.status, o.due_at)
        for o in Obligation.objects.filter(incident=incident).select_related("template")
    }


def events(action: str) -> QuerySet[AuditEvent]:
    """The trail's events of ``action``, oldest first."""
    return AuditEvent.objects.filter(action=action).order_by("seq")


def speaks(user: User, language: str) -> None:
    """The user chose ``language``: their profile holds it, for what is written to them."""
    profile = Profile.for_user(user)
    profile.language = language
    profile.save()
