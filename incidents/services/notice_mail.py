"""E-mail about a notice's review: the DPOs are told that a notice awaits their approval, and its
author that a DPO approved it or asked for changes.

Each message is written in its reader's language and queued when the act's transaction commits;
the act records whom it told. No one is told of their own act.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.urls import reverse

from incidents.choices import NoticeAudience, NoticeLanguage, NoticePhase, NoticeState
from incidents.clocks.display import local_moment
from incidents.clocks.reminder_mail import mail_queue, mail_render, site_link, time_left
from incidents.models import Notice, Obligation
from incidents.roles import dpos_to_tell


def review_requested(
    notice: Notice, obligation: Obligation | None, *, submitter: Any, now: datetime
) -> list[str]:
    """Inside the submission's transaction: every DPO but the submitter is to be told that the
    notice awaits approval, and by when it must be sent. The addresses, for the trail."""
    readers = [user for user in dpos_to_tell() if user.pk != submitter.pk]
    context = partial(_context, notice=notice, obligation=obligation, actor=submitter, now=now)
    mail_queue(readers, lambda language: mail_render("notice_review", context, language=language))
    return [user.email for user in readers]


def review_answered(
    notice: Notice, obligation: Obligation | None, *, reviewer: Any, now: datetime
) -> list[str]:
    """Inside the approval's or the request's transaction: the notice's author is to be told what
    the DPO decided (and, with changes requested, what to change). The addresses, for the trail."""
    author = notice.author
    if author.pk == reviewer.pk or not author.is_active or not author.email:
        return []
    context = partial(_context, notice=notice, obligation=obligation, actor=reviewer, now=now)
    mail_queue([author], lambda language: mail_render("notice_reviewed", context, language=language))
    return [author.email]


def _context(
    language: str, *, notice: Notice, obligation: Obligation | None, actor: Any, now: datetime
) -> dict[str, Any]:
    incident = notice.incident
    values: dict[str, Any] = {
        "reference": incident.reference,
        "title": incident.title,
        # Inside mail_render's translation.override: the labels are in the reader's language.
        "audience": NoticeAudience(notice.audience).label,
        "phase": NoticePhase(notice.phase).label,
        "language": NoticeLanguage(notice.language).label,
        "customer": notice.customer,
        "actor": actor.get_full_name() or actor.get_username(),
        "approved": notice.state == NoticeState.APPROVED,
        "comment": notice.review_comment,
        "sha256": notice.review_sha256,
        "deadline": None,
        "link": site_link(reverse("notice_detail", args=[notice.pk])),
    }
    if obligation is not None and obligation.due_at is not None:
        values["deadline"] = local_moment(obligation.due_at, language)
        values |= time_left(obligation.due_at, now)
    return values
