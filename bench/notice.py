"""The notice's task, run in the worker process: one authority notice generated and stored, again
and again, each time with a changed text, so that each run renders, hashes and stores a new file."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group, User
from django.utils import timezone

from incidents.models import DataItem, NoticeFile, Organisation, Register
from incidents.roles import Role
from incidents.services import assessments, incidents, notices


def _incident(lead: User) -> int:
    now = timezone.now()
    organisation = Organisation.objects.create(
        name="Esimerkki Oy",
        business_id="1234567-1",
        dpo_name="Tiina Tietosuoja",
        dpo_email="dpo@esimerkki.fi",
    )
    register = Register.objects.create(name="Asiakasrekisteri", controller=organisation)
    for position, (text, data_class) in enumerate(
        [("Nimi", 1), ("Sähköpostiosoite", 1), ("Henkilötunnus", 1), ("Maksukortin numero", 3)]
    ):
        DataItem.objects.create(
            register=register,
            position=position,
            text=text,
            data_class=data_class,
            suggested_class=data_class,
            henkilotunnus=text == "Henkilötunnus",
        )
    incident = incidents.incident_create(
        actor=lead,
        title="CRM export left public",
        description="A CRM export was readable from the internet.",
        detected_at=now - timedelta(hours=2),
        register_ids=[register.pk],
        now=now,
    )
    incidents.incident_confirm(incident_id=incident.pk, actor=lead, expected_version=None, now=now)
    incidents.incident_update(
        incident_id=incident.pk,
        actor=lead,
        expected_version=None,
        now=now,
        changes={"breach_confidentiality": True, "likely_consequences": "Phishing and identity theft."},
    )
    assessments.assessment_record(
        incident_id=incident.pk,
        actor=lead,
        now=now,
        values={
            "ease_of_identification": "maximum",
            "confidentiality": "unknown_recipients",
            "integrity": "none",
            "availability": "none",
            "malicious": True,
            "vulnerable_subjects": False,
        },
    )
    return incident.pk


def measure(*, runs: int, warmup: int) -> dict[str, Any]:
    lead = User.objects.create_user("lead", "lead@breachclock.example", "not used")
    lead.groups.add(Group.objects.get(name=Role.SECURITY_LEAD.value))
    notice = notices.notice_create(
        incident_id=_incident(lead),
        actor=lead,
        audience="authority",
        language="fi",
        phase="complete",
        now=timezone.now(),
    )
    timings, sizes = [], []
    for attempt in range(warmup + runs):
        notices.notice_edit(
            notice_id=notice.pk,
            actor=lead,
            sections={"cause": f"Väärin määritetty jako ({attempt})."},
            now=timezone.now(),
        )
        started = time.perf_counter()
        document = notices.notice_generate(notice_id=notice.pk, actor=lead, now=timezone.now())
        elapsed = time.perf_counter() - started
        if attempt >= warmup:
            timings.append(elapsed)
            sizes.append(len(document.data))
    return {
        "files": NoticeFile.objects.count(),
        "bytes": statistics.median(sizes),
        "timings": timings,
        "median": statistics.median(timings),
    }
