"""E-mail about a notice's review: the DPOs are told that a notice awaits their approval, and its
author that a DPO approved it or asked for changes.

Each message is written in its reader's language and queued when the act's transaction commits;
the act records whom it told. No one is told of their own act.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.urls import reverse

from incidents.choices import NoticeAudience, NoticeLanguage, NoticePhase, NoticeState
from incidents.clocks.display import local_moment
from incidents.clocks.reminder_mail import mail_render, site_link
from incidents.mail import email_queue
from incidents.models import Notice, Obligation, Profile
from incidents.roles import dpos_to_tell


def review_requested(
    notice: Notice, obligation: Obligation | None, *, submitter: Any, now: datetime
) -> list[str]:
    """Inside the submission's transaction: every DPO but the submitter is to be told that the
    notice awaits approval, and by when it must be sent. The addresses, for the trail."""
    readers = [user for user in dpos_to_tell() if user.pk != submitter.pk]
    _queue(readers, "notice_review", partial(_context, notice, obligation, actor=submitter, now=now))
    return [user.email for user in readers]


def review_answered(
    notice: Notice, obligation: Obligation | None, *, reviewer: Any, now: datetime
) -> list[str]:
    """Inside the approval's or the request's transaction: the notice's author is to be told what
    the DPO decided (and, with changes requested, what to change). The addresses, for the trail."""
    author = notice.author
    if author.pk == reviewer.pk or not author.is_active or not author.email:
        return []
    _queue([author], "notice_reviewed", partial(_context, notice, obligation, actor=reviewer, now=now))
    return [author.email]


def _queue(readers: list[Any], name: str, context: Any) -> None:
    by_language: dict[str, list[str]] = defaultdict(list)
    for user in readers:
        by_language[Profile.language_of(user)].append(user.email)
    for language, addresses in sorted(by_language.items()):
        subject, body = mail_render(name, lambda language: context(language=language), language=language)
        transaction.on_commit(partial(email_queue, recipients=addresses, subject=subject, body=body))


def _context(
    notice: Notice, obligation: Obligation | None, *, actor: Any, now: datetime, language: str
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
        left = int((obligation.due_at - now).total_seconds())
        hours, seconds = divmod(abs(left), 3600)
        values |= {
            "deadline": local_moment(obligation.due_at, language),
            "overdue": left <= 0,
            "hours": hours,
            "minutes": seconds // 60,
        }
    return values
