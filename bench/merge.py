"""The mail merge's tasks, run in the worker process: the approved data-subject notice made into
letters by the merge and, for comparison, by docxtpl; and whole merges, from the recipients' CSV
to the stored zip, with this process as the one worker that writes every chunk."""

from __future__ import annotations

import csv
import io
import logging
import os
import resource
import statistics
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group, User
from django.utils import timezone

from bench.notice import _incident
from incidents.choices import answers_of
from incidents.models import Merge, Notice
from incidents.notices.letters import LetterTemplate
from incidents.notices.recipients import Recipient, recipients_read
from incidents.roles import Role
from incidents.services import decisions, incidents, merges, notices
from project.celery import app

GIVEN = ("Aino", "Eero", "Helmi", "Ilmari", "Kerttu", "Oskari", "Sanna", "Väinö", "Ebba", "Nils")
FAMILY = ("Järvinen", "Lehtonen", "Heikkilä", "Saarinen", "Björklund", "Holmberg", "Räsänen")
STREETS = ("Mannerheimintie", "Hämeenkatu", "Aleksanterinkatu", "Rantakatu", "Kirkkokatu")
TOWNS = (("00100", "Helsinki"), ("33100", "Tampere"), ("20100", "Turku"), ("90100", "Oulu"))


def recipients_csv(count: int) -> bytes:
    """``count`` people as Finnish Excel saves them: semicolons, a byte-order mark, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["nimi", "osoite", "postinumero", "postitoimipaikka", "sähköposti", "kieli"])
    for number in range(count):
        given, family = GIVEN[number % len(GIVEN)], FAMILY[number // len(GIVEN) % len(FAMILY)]
        postcode, town = TOWNS[number % len(TOWNS)]
        street = f"{STREETS[number % len(STREETS)]} {number % 120 + 1} B {number % 40 + 1}"
        writer.writerow([f"{given} {family}", street, postcode, town, f"asiakas{number}@example.fi", "fi"])
    return out.getvalue().encode("utf-8-sig")


def _approved_notice() -> tuple[User, Notice]:
    """A Finnish data-subject notice of a high-risk breach, drafted by the lead, approved by the DPO."""
    lead = User.objects.create_user("lead", "lead@breachclock.example", "not used")
    lead.groups.add(Group.objects.get(name=Role.SECURITY_LEAD.value))
    dpo = User.objects.create_user("dpo", "dpo@breachclock.example", "not used")
    dpo.groups.add(Group.objects.get(name=Role.DPO.value))
    now = timezone.now()
    incident_id = _incident(lead)
    incidents.incident_update(
        incident_id=incident_id,
        actor=lead,
        expected_version=None,
        changes={"measures": "The flaw was closed and every password reset."},
        now=now,
    )
    incidents.incident_assess(incident_id=incident_id, actor=lead, expected_version=None, now=now)
    authority, subjects = answers_of("high", "")
    decisions.incident_decide(
        incident_id=incident_id,
        actor=dpo,
        expected_version=None,
        notify_authority=authority,
        notify_subjects=subjects,
        reason="Card numbers and passwords of every customer.",
        subjects_target_at=now + timedelta(hours=24),
        now=now,
    )
    notice = notices.notice_create(
        incident_id=incident_id,
        actor=lead,
        audience="data_subjects",
        language="fi",
        phase="complete",
        now=now,
    )
    notices.notice_submit(notice_id=notice.pk, actor=lead, now=now)
    return lead, notices.notice_approve(notice_id=notice.pk, actor=dpo, now=now)


def _template(notice: Notice) -> LetterTemplate:
    stored = notice.files.get(sha256=notice.approved_sha256)
    with stored.file.open("rb") as handle:
        return LetterTemplate(handle.read(), language=notice.language, sha256=notice.approved_sha256)


def _jinja_template(template: LetterTemplate) -> bytes:
    """The same letter as a docxtpl template: the merge's own letter with Jinja tags where the
    recipient's name and address go, so both write the very same document."""
    placeholder = Recipient(
        row=2,
        name="{{ name }}",
        address=("{{ street }}",),
        postcode="{{ postcode }}",
        city="{{ city }}",
        country="",
        email="",
        language=template.language,
        data_items=(),
    )
    return template.letter(placeholder).data


def _paragraphs(data: bytes) -> list[str]:
    from docx import Document

    return [paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs]


def compare(*, recipients: int, docxtpl_letters: int) -> dict[str, Any]:
    """Letters per second of the merge and of docxtpl, rendering the same letter in this process.

    docxtpl writes ``docxtpl_letters`` of the recipients (it takes minutes for all); the merge
    writes every one. Both write each letter to bytes in memory; storing is in ``whole``.
    """
    from docxtpl import DocxTemplate

    _lead, notice = _approved_notice()
    template = _template(notice)
    people = recipients_read(recipients_csv(recipients)).recipients
    started = time.perf_counter()
    ours = [template.letter(person) for person in people]
    merge_seconds = time.perf_counter() - started

    jinja = DocxTemplate(io.BytesIO(_jinja_template(template)))
    theirs = []
    started = time.perf_counter()
    for person in people[:docxtpl_letters]:
        context = {"name": person.name, "street": person.address[0]}
        jinja.render(context | {"postcode": person.postcode, "city": person.city}, autoescape=True)
        out = io.BytesIO()
        jinja.save(out)
        theirs.append(out.getvalue())
    docxtpl_seconds = time.perf_counter() - started
    # The same letter: every paragraph reads the same in both, for a sample of the recipients.
    sample = range(0, docxtpl_letters, max(1, docxtpl_letters // 10))
    same = all(_paragraphs(ours[index].data) == _paragraphs(theirs[index]) for index in sample)
    return {
        "merge_letters": len(ours),
        "merge_seconds": merge_seconds,
        "merge_rate": len(people) / merge_seconds,
        "merge_bytes": statistics.median(len(letter.data) for letter in ours),
        "docxtpl_letters": len(theirs),
        "docxtpl_seconds": docxtpl_seconds,
        "docxtpl_rate": len(theirs) / docxtpl_seconds,
        "docxtpl_bytes": statistics.median(len(data) for data in theirs),
        "same_letter": same,
    }


def whole(*, recipients: int, runs: int, warmup: int) -> dict[str, Any]:
    """Whole merges, CSV bytes to the stored zip: the file checked, the job and its chunks
    recorded, every chunk written and stored, the zip assembled and stored, the trail written.
    Celery runs the tasks in this process (eager), so one process does all a worker does, and its
    peak resident memory is the figure for the worker. The ``warmup`` runs, untimed, merge a
    hundred letters: what a worker imports and caches once."""
    app.conf.task_always_eager = True
    logging.getLogger("celery").setLevel(logging.WARNING)  # a line for each of the chunks' tasks
    logging.getLogger("kombu").setLevel(logging.ERROR)
    lead, notice = _approved_notice()
    for _run in range(warmup):
        _merge(lead, notice, recipients_csv(100), 100)
    data = recipients_csv(recipients)
    timings, user, system = [], [], []
    for _run in range(runs):
        # The last run's 200 MB written out first (untimed): each run starts with nothing waiting
        # for the disk, as a worker's next merge does.
        os.sync()
        started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        _merge(lead, notice, data, recipients)
        timings.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_SELF)
        user.append(after.ru_utime - before.ru_utime)
        system.append(after.ru_stime - before.ru_stime)
    last = Merge.objects.latest("pk")
    return {
        "recipients": recipients,
        "chunks": last.chunks.count(),
        "timings": timings,
        "median": statistics.median(timings),
        # The processor's time of the same runs: the merge's own work (user), and the kernel's
        # (system), most of it taking the files into the page cache.
        "user_median": statistics.median(user),
        "system_median": statistics.median(system),
        "zip_bytes": last.result_size,
        # ru_maxrss is in kilobytes on Linux: the whole process at its peak, Django included.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _merge(lead: User, notice: Notice, data: bytes, recipients: int) -> None:
    merge = merges.merge_create(
        notice_id=notice.pk,
        actor=lead,
        file=io.BytesIO(data),
        filename="asiakkaat.csv",
        output="zip",
        now=timezone.now(),
    )
    merge.refresh_from_db()
    if (merge.state, merge.letters_done) != ("done", recipients):
        raise RuntimeError(f"the merge ended {merge.state} with {merge.letters_done} letters: {merge.error}")
