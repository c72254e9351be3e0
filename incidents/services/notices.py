"""The acts on a notice: draft it from the incident, edit its free text, generate and download its
document, take it through review, and record it as sent, which meets its obligation.

The review binds an approval to the SHA-256 of the exact file approved: an edit in review or after
approval returns the notice to draft, and a file sent that differs from the approved one needs its
own approval first. A sent notice is never edited, only followed by a supplementary notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.audit import audit_record
from incidents.choices import (
    NOTICE_EDITABLE_STATES,
    OPEN_OBLIGATION_STATUSES,
    Art34Exception,
    NoticeAudience,
    NoticeLanguage,
    NoticePhase,
    NoticeState,
)
from incidents.errors import ChangedMeanwhile, DomainError, NotFound
from incidents.models import Incident, Notice, NoticeFile, Obligation
from incidents.notices.content import SECTIONS, notice_content, sections_prefilled
from incidents.notices.document import document_bytes, sha256, xml_safe
from incidents.roles import Permission, require
from incidents.services.notice_mail import review_answered, review_requested
from incidents.services.obligations import obligation_mark_met

# A section longer than this is refused rather than written into a document nobody can read.
SECTION_MAX_CHARACTERS = 200_000
UPLOAD_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class NoticeDocument:
    data: bytes
    sha256: str
    filename: str


def _locked(notice_id: int) -> Notice:
    notice = (
        Notice.objects.select_for_update(of=("self",))
        .select_related("incident__organisation", "follows")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise NotFound(_("No such notice."), field="notice")
    return notice


def _customers(incident: Incident) -> list[str]:
    """The controller customers whose registers the incident affects (a processor's notices)."""
    return sorted(
        {
            row.register.controller.name
            for row in incident.affected.select_related("register__controller")
            if row.register.controller is not None
        }
    )


def _choice(value: str, choices: Any, field: str, label: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise DomainError(
            _("%(field)s: choose one of %(allowed)s.") % {"field": label, "allowed": allowed}, field=field
        )
    return value


def notice_create(
    *,
    incident_id: int,
    actor: AbstractBaseUser,
    audience: str,
    language: str,
    phase: str,
    now: datetime,
    customer: str = "",
    follows: int | None = None,
) -> Notice:
    """A draft notice, its free text prefilled from the incident."""
    require(actor, Permission.DRAFT_NOTICE)
    _choice(audience, NoticeAudience, "audience", _("Audience"))
    _choice(language, NoticeLanguage, "language", _("Language"))
    _choice(phase, NoticePhase, "phase", _("Phase"))
    with transaction.atomic():
        incident = Incident.objects.select_for_update(of=("self",)).filter(pk=incident_id).first()
        if incident is None:
            raise NotFound(_("No such incident."), field="incident")
        if not incident.is_confirmed:
            raise DomainError(
                _("Notice: a notice is drafted once the personal-data breach is confirmed."), field="incident"
            )
        customer = customer.strip()
        if audience == NoticeAudience.CONTROLLER:
            customers = _customers(incident)
            if customer not in customers:
                raise DomainError(
                    _("Customer: name one whose registers are affected: %(customers)s.")
                    % {"customers": ", ".join(customers) or _("none")},
                    field="customer",
                )
        elif customer:
            raise DomainError(
                _("Customer: only a notice to a controller customer names one."), field="customer"
            )
        earlier = None
        if phase == NoticePhase.SUPPLEMENTARY:
            earlier = Notice.objects.filter(
                pk=follows or 0, incident=incident, audience=audience, state=NoticeState.SENT
            ).first()
            if earlier is None:
                raise DomainError(
                    _(
                        "Follows: a supplementary notice names the earlier notice of this incident, sent to "
                        "the same audience."
                    ),
                    field="follows",
                )
        elif follows is not None:
            raise DomainError(
                _("Follows: only a supplementary notice follows an earlier one."), field="follows"
            )
        notice = Notice.objects.create(
            incident=incident,
            audience=audience,
            language=language,
            phase=phase,
            customer=customer,
            follows=earlier,
            sections=sections_prefilled(incident, audience),
            author=actor,  # type: ignore[misc]
            created_at=now,
        )
        _audit(
            notice, "notice.created", actor, now, {"audience": audience, "language": language, "phase": phase}
        )
    return notice


def _audit(notice: Notice, action: str, actor: AbstractBaseUser, now: datetime, data: dict[str, Any]) -> None:
    audit_record(
        action=action,
        actor=actor,
        obj=notice,
        incident_id=notice.incident_id,
        data={"notice": notice.pk, **data},
        now=now,
    )


def _version(notice: Notice, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != notice.version:
        raise ChangedMeanwhile(f"{notice.incident.reference} / {notice.pk}")


def notice_edit(
    *,
    notice_id: int,
    actor: AbstractBaseUser,
    sections: dict[str, Any],
    now: datetime,
    expected_version: int | None = None,
) -> Notice:
    """New text for some of the free-text sections. An edit in review or after approval returns the
    notice to draft: its approval was of the text before."""
    require(actor, Permission.DRAFT_NOTICE)
    with transaction.atomic():
        notice = _locked(notice_id)
        _version(notice, expected_version)
        if notice.state not in NOTICE_EDITABLE_STATES:
            raise DomainError(
                _("This notice is %(state)s: it is not edited any more; a supplementary notice follows it.")
                % {"state": NoticeState(notice.state).label.lower()},
                field="state",
            )
        known = {section.key for section in SECTIONS[notice.audience]}
        for key, value in sections.items():
            if key not in known:
                raise DomainError(_("Unknown section: it is not part of this notice."), field=key)
            if not isinstance(value, str):
                raise DomainError(_("%(section)s: write it as text.") % {"section": key}, field=key)
            if len(value) > SECTION_MAX_CHARACTERS:
                raise DomainError(
                    _("%(section)s: at most %(count)d characters.")
                    % {"section": key, "count": SECTION_MAX_CHARACTERS},
                    field=key,
                )
        # What neither the database (NUL) nor a Word document (XML 1.0) can hold is replaced, visibly.
        sections = {key: xml_safe(value) for key, value in sections.items()}
        changed = sorted(key for key, value in sections.items() if notice.sections.get(key, "") != value)
        if not changed:
            return notice
        before = notice.state
        notice.sections = {**notice.sections, **sections}
        if notice.state != NoticeState.DRAFT:
            _back_to_draft(notice)
        notice.version += 1
        notice.save()
        _audit(notice, "notice.edited", actor, now, {"sections": changed, "state": [before, notice.state]})
    return notice


def _back_to_draft(notice: Notice) -> None:
    notice.state = NoticeState.DRAFT
    notice.review_sha256 = notice.approved_sha256 = ""
    notice.approved_by = None
    notice.approved_at = None


def _filename(notice: Notice, *, annex: bool = False) -> str:
    kind = "annex" if annex else notice.audience
    customer = f"-{notice.customer}" if notice.customer else ""
    name = f"{notice.incident.reference}-{kind}{customer}-{notice.language}-{notice.phase}.docx"
    return "".join(char if char.isalnum() or char in "-._" else "_" for char in name)


def _store(notice: Notice, data: bytes, kind: str, actor: AbstractBaseUser, now: datetime) -> NoticeFile:
    digest = sha256(data)
    stored = NoticeFile.objects.filter(notice=notice, kind=kind, sha256=digest).first()
    if stored is not None:
        return stored
    stored = NoticeFile(
        notice=notice, kind=kind, sha256=digest, size=len(data), created_by=actor, created_at=now
    )  # type: ignore[misc]
    stored.file.save(f"{digest}.docx", ContentFile(data), save=False)
    stored.save()
    _audit(
        notice,
        "notice.generated" if kind != NoticeFile.Kind.UPLOADED else "notice.uploaded",
        actor,
        now,
        {"kind": kind, "sha256": digest, "bytes": len(data)},
    )
    return stored


def _render(notice: Notice, *, annex: bool = False) -> bytes:
    content = notice_content(notice)
    if annex:
        if content.annex is None:
            raise DomainError(_("This notice has no sensitive details to send separately."), field="annex")
        content = content.annex
    organisation = notice.incident.organisation
    if organisation is not None and organisation.letterhead:
        with organisation.letterhead.open("rb") as letterhead:
            return document_bytes(content, letterhead=letterhead)
    return document_bytes(content)


def notice_generate(
    *, notice_id: int, actor: AbstractBaseUser, now: datetime, annex: bool = False, download: bool = False
) -> NoticeDocument:
    """The notice's document as its content stands, stored with its SHA-256 (once per distinct
    file); a sent or approved notice answers the file approved and sent, never a new one."""
    require(actor, Permission.VIEW_EVERYTHING)
    with transaction.atomic():
        notice = _locked(notice_id)
        fixed = notice.sent_sha256 or notice.approved_sha256 or notice.review_sha256
        if fixed and not annex:
            stored = notice.files.filter(sha256=fixed).first()
            assert stored is not None
            with stored.file.open("rb") as handle:
                data = handle.read()
        else:
            if not actor.has_perm(Permission.DRAFT_NOTICE.perm):  # type: ignore[attr-defined]
                # Generating stores a new file: a reader downloads only what already exists.
                latest = notice.files.filter(
                    kind=NoticeFile.Kind.ANNEX if annex else NoticeFile.Kind.GENERATED
                ).last()
                if latest is None:
                    require(actor, Permission.DRAFT_NOTICE)
                assert latest is not None
                with latest.file.open("rb") as handle:
                    data = handle.read()
            else:
                data = _render(notice, annex=annex)
                _store(
                    notice, data, NoticeFile.Kind.ANNEX if annex else NoticeFile.Kind.GENERATED, actor, now
                )
        digest = sha256(data)
        if download:
            _audit(notice, "notice.downloaded", actor, now, {"sha256": digest, "annex": annex})
    return NoticeDocument(data, digest, _filename(notice, annex=annex))


def notice_submit(
    *,
    notice_id: int,
    actor: AbstractBaseUser,
    now: datetime,
    file: IO[bytes] | None = None,
    expected_version: int | None = None,
) -> Notice:
    """For review: the document as generated now, or an edited file uploaded in its place."""
    require(actor, Permission.DRAFT_NOTICE)
    with transaction.atomic():
        notice = _locked(notice_id)
        _version(notice, expected_version)
        _state(notice, "submit", NoticeState.DRAFT, NoticeState.CHANGES_REQUESTED, NoticeState.APPROVED)
        if file is not None:
            data = _upload(file)
            stored = _store(notice, data, NoticeFile.Kind.UPLOADED, actor, now)
        else:
            stored = _store(notice, _render(notice), NoticeFile.Kind.GENERATED, actor, now)
        before = notice.state
        _back_to_draft(notice)
        notice.state = NoticeState.IN_REVIEW
        notice.review_sha256 = stored.sha256
        notice.review_comment = ""
        notice.version += 1
        notice.save()
        told = review_requested(notice, notice_obligation(notice), submitter=actor, now=now)
        _audit(
            notice,
            "notice.submitted",
            actor,
            now,
            {
                "sha256": stored.sha256,
                "kind": stored.kind,
                "state": [before, notice.state],
                "recipients": told,
            },
        )
    return notice


def _upload(file: IO[bytes]) -> bytes:
    data = file.read(UPLOAD_MAX_BYTES + 1)
    if len(data) > UPLOAD_MAX_BYTES:
        raise DomainError(_("File: at most 20 MB."), field="file")
    if not data.startswith(b"PK"):
        raise DomainError(_("File: upload the Word document (.docx) itself."), field="file")
    return data


STATE_WORDS = {
    "submit": gettext_lazy("submit"),
    "approve": gettext_lazy("approve"),
    "request_changes": gettext_lazy("request changes"),
    "withdraw": gettext_lazy("withdraw"),
    "sent": gettext_lazy("record as sent"),
}


def _state(notice: Notice, act: str, *allowed: NoticeState) -> None:
    if notice.state not in allowed:
        raise DomainError(
            _("Cannot %(act)s: the notice is %(state)s.")
            % {"act": STATE_WORDS[act], "state": NoticeState(notice.state).label.lower()},
            field="state",
        )


def notice_obligation(notice: Notice) -> Obligation | None:
    """The obligation that sending this notice meets, if it is still open."""
    codes = {
        NoticeAudience.AUTHORITY: ["gdpr-33-4"]
        if notice.phase == NoticePhase.SUPPLEMENTARY
        else ["gdpr-33-1"],
        NoticeAudience.DATA_SUBJECTS: ["gdpr-34-3-c"]
        if notice.incident.art34_exception == Art34Exception.DISPROPORTIONATE
        else ["gdpr-34"],
        NoticeAudience.CONTROLLER: ["gdpr-33-2"],
    }[NoticeAudience(notice.audience)]
    obligations = notice.incident.obligations.filter(
        template__code__in=codes, status__in=OPEN_OBLIGATION_STATUSES
    )
    if notice.audience == NoticeAudience.CONTROLLER:
        obligations = obligations.filter(recipient_detail=notice.customer)
    return obligations.select_related("template").first()


def _late(notice: Notice, now: datetime) -> bool:
    if notice.audience != NoticeAudience.AUTHORITY or notice.phase == NoticePhase.SUPPLEMENTARY:
        return False
    obligation = notice_obligation(notice)
    return obligation is not None and obligation.due_at is not None and obligation.due_at < now


def notice_approve(
    *, notice_id: int, actor: AbstractBaseUser, now: datetime, expected_version: int | None = None
) -> Notice:
    """The DPO approves the exact file in review; never the notice's own author."""
    require(actor, Permission.APPROVE_NOTICE)
    with transaction.atomic():
        notice = _locked(notice_id)
        _version(notice, expected_version)
        _state(notice, "approve", NoticeState.IN_REVIEW)
        if notice.author_id == actor.pk:
            raise DomainError(
                _("Approval: the notice's author cannot approve it; another DPO does."), field="approver"
            )
        if _late(notice, now) and not str(notice.sections.get("delay_reason", "")).strip():
            raise DomainError(
                _(
                    "Reasons for the delay: the 72 hours have passed, so the notice must give the reasons "
                    "for the delay (Art. 33(1)) before it is approved."
                ),
                field="delay_reason",
            )
        notice.state = NoticeState.APPROVED
        notice.approved_sha256 = notice.review_sha256
        notice.approved_by = actor  # type: ignore[assignment]
        notice.approved_at = now
        notice.version += 1
        notice.save()
        told = review_answered(notice, notice_obligation(notice), reviewer=actor, now=now)
        _audit(notice, "notice.approved", actor, now, {"sha256": notice.approved_sha256, "recipients": told})
    return notice


def notice_request_changes(
    *,
    notice_id: int,
    actor: AbstractBaseUser,
    comment: str,
    now: datetime,
    expected_version: int | None = None,
) -> Notice:
    require(actor, Permission.APPROVE_NOTICE)
    if not comment.strip():
        raise DomainError(_("Changes requested: say what to change."), field="comment")
    with transaction.atomic():
        notice = _locked(notice_id)
        _version(notice, expected_version)
        _state(notice, "request_changes", NoticeState.IN_REVIEW)
        notice.state = NoticeState.CHANGES_REQUESTED
        notice.review_comment = comment.strip()
        notice.version += 1
        notice.save()
        told = review_answered(notice, notice_obligation(notice), reviewer=actor, now=now)
        _audit(
            notice,
            "notice.changes_requested",
            actor,
            now,
            {"comment": notice.review_comment, "sha256": notice.review_sha256, "recipients": told},
        )
    return notice


def notice_withdraw(
    *,
    notice_id: int,
    actor: AbstractBaseUser,
    now: datetime,
    reason: str = "",
    expected_version: int | None = None,
) -> Notice:
    require(actor, Permission.DRAFT_NOTICE)
    with transaction.atomic():
        notice = _locked(notice_id)
        _version(notice, expected_version)
        _state(notice, "withdraw", *NOTICE_EDITABLE_STATES)
        before = notice.state
        notice.state = NoticeState.WITHDRAWN
        notice.version += 1
        notice.save()
        _audit(
            notice,
            "notice.withdrawn",
            actor,
            now,
            {"reason": reason.strip(), "state": [before, notice.state]},
        )
    return notice


def notice_mark_sent(
    *,
    notice_id: int,
    actor: AbstractBaseUser,
    sent_at: datetime,
    channel: str,
    recipient: str,
    now: datetime,
    case_number: str = "",
    file: IO[bytes] | None = None,
) -> Notice:
    """Record the approved notice as sent, with the file sent if it was not the approved one as
    generated; its obligation is met (or missed, sent late) by it."""
    require(actor, Permission.APPROVE_NOTICE)
    if sent_at > now:
        raise DomainError(_("Sent at: cannot be in the future."), field="sent_at")
    for name, value, label in (("channel", channel, _("Channel")), ("recipient", recipient, _("Recipient"))):
        if not value.strip():
            raise DomainError(_("%(field)s: say it, for the record.") % {"field": label}, field=name)
    with transaction.atomic():
        notice = _locked(notice_id)
        _state(notice, "sent", NoticeState.APPROVED)
        if notice.audience == NoticeAudience.AUTHORITY and not case_number.strip():
            raise DomainError(
                _("Case number: give the number the authority's e-service gave this notice."),
                field="case_number",
            )
        if file is not None:
            data = _upload(file)
            if sha256(data) != notice.approved_sha256:
                raise DomainError(
                    _(
                        "File: it differs from the approved file (SHA-256 %(approved)s…). Submit it for "
                        "review so that it is approved before it is recorded as sent."
                    )
                    % {"approved": notice.approved_sha256[:12]},
                    field="file",
                )
        obligation = notice_obligation(notice)
        notice.state = NoticeState.SENT
        notice.sent_at = sent_at
        notice.channel = channel.strip()
        notice.recipient = recipient.strip()
        notice.case_number = case_number.strip()
        notice.sent_sha256 = notice.approved_sha256
        notice.version += 1
        notice.save()
        _audit(
            notice,
            "notice.sent",
            actor,
            now,
            {
                "sha256": notice.sent_sha256,
                "sent_at": sent_at,
                "channel": notice.channel,
                "recipient": notice.recipient,
                "case_number": notice.case_number or None,
                "obligation": obligation.template.code if obligation else None,
            },
        )
        if obligation is not None:
            note = notice.channel + (f", {notice.case_number}" if notice.case_number else "")
            obligation_mark_met(
                obligation_id=obligation.pk,
                actor=actor,
                met_at=sent_at,
                note=note,
                now=now,
                complete=notice.phase != NoticePhase.PRELIMINARY,
                delay_reason=str(notice.sections.get("delay_reason", "")),
            )
    return notice
