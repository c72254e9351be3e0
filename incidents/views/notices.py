"""A notice's page: its free text, its document, its review and its sending; and drafting one from
the incident's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from incidents.choices import MERGE_TEMPLATE_STATES, NOTICE_EDITABLE_STATES, NoticeAudience
from incidents.errors import ChangedMeanwhile, DomainError
from incidents.forms.merges import MergeCreateForm
from incidents.forms.notices import (
    NoticeCommentForm,
    NoticeSentForm,
    NoticeSubmitForm,
    NoticeVersionedForm,
    NoticeWithdrawForm,
    notice_create_form,
    sections_form,
)
from incidents.models import Incident, Notice
from incidents.roles import Permission
from incidents.services import notices as service
from incidents.views.access import role_required
from incidents.views.incidents import form_add_domain_error
from incidents.views.refusals import refusal_pop, refusal_redirect

VIEW = Permission.VIEW_EVERYTHING.perm
DRAFT = Permission.DRAFT_NOTICE.perm
APPROVE = Permission.APPROVE_NOTICE.perm


@require_POST
@role_required(DRAFT)
def notice_new(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=pk)
    form = notice_create_form(incident, request.POST)
    if form.is_valid():
        try:
            notice = service.notice_create(
                incident_id=incident.pk,
                actor=request.user,  # type: ignore[arg-type]
                audience=form.cleaned_data["audience"],
                language=form.cleaned_data["language"],
                phase=form.cleaned_data["phase"],
                customer=form.cleaned_data["customer"],
                follows=form.cleaned_data["follows"],
                now=timezone.now(),
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Drafted the notice."))
            return redirect("notice_detail", pk=notice.pk)
    page = reverse("incident_detail", args=[incident.pk])
    return refusal_redirect(request, page, "notice", form, anchor="notices-heading")


def _page(
    request: HttpRequest,
    notice: Notice,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    bound = bound or {}
    version = {"version": notice.version}
    sections = sections_form(notice.audience)
    context = {
        "notice": notice,
        "incident": notice.incident,
        "editable": notice.state in NOTICE_EDITABLE_STATES,
        "sections_form": bound.get("sections")
        or sections(prefix="sections", initial={**notice.sections, **version}),
        "submit_form": bound.get("submit") or NoticeSubmitForm(prefix="submit", initial=version),
        "comment_form": bound.get("request_changes")
        or NoticeCommentForm(prefix="request_changes", initial=version),
        "approve_form": bound.get("approve") or NoticeVersionedForm(prefix="approve", initial=version),
        "withdraw_form": bound.get("withdraw") or NoticeWithdrawForm(prefix="withdraw", initial=version),
        "sent_form": bound.get("sent")
        or NoticeSentForm(
            prefix="sent", initial={"sent_at": timezone.localtime().replace(second=0, microsecond=0)}
        ),
        "obligation": service.notice_obligation(notice),
        "has_annex": bool(str(notice.sections.get("sensitive_details", "")).strip()),
        "may_draft": request.user.has_perm(DRAFT),
        "may_approve": request.user.has_perm(APPROVE),
        "open_forms": set(bound),
        "mergeable": notice.audience == NoticeAudience.DATA_SUBJECTS
        and notice.state in MERGE_TEMPLATE_STATES,
        "merge_form": bound.get("merge") or MergeCreateForm(prefix="merge"),
        "merges": notice.merges.select_related("created_by").order_by("-created_at", "-pk"),
        **(extra or {}),
    }
    return render(request, "incidents/notice_detail.html", context, status=status)


def notice_page(
    request: HttpRequest,
    pk: int,
    *,
    bound: dict[str, forms.Form] | None = None,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The notice's page with a refused form shown again."""
    return _page(request, _notice(pk), bound=bound, status=status, extra=extra)


def _notice(pk: int) -> Notice:
    return get_object_or_404(
        Notice.objects.select_related(
            "incident__organisation", "author", "approved_by", "follows"
        ).prefetch_related("files"),
        pk=pk,
    )


@require_GET
@role_required(VIEW)
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice's page; after a refused form, with what was typed and why it was refused."""
    notice = _notice(pk)
    refusal = refusal_pop(request)
    form_class = _form_class(notice, refusal.prefix) if refusal is not None else None
    if refusal is None or form_class is None:
        return _page(request, notice)
    refused = refusal.form(lambda data, prefix: form_class(data, prefix=prefix))
    return _page(request, notice, bound={refusal.prefix: refused})


@require_GET
@role_required(VIEW)
def notice_download(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(pk)
    try:
        document = service.notice_generate(
            notice_id=notice.pk,
            actor=request.user,  # type: ignore[arg-type]
            now=timezone.now(),
            annex=request.GET.get("annex") == "1",
            download=True,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("notice_detail", pk=notice.pk)
    response = HttpResponse(
        document.data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-SHA256"] = document.sha256
    return response


def _run(act: str, notice: Notice, user: Any, data: dict[str, Any]) -> str:
    now = timezone.now()
    common = {"notice_id": notice.pk, "actor": user, "now": now}
    if act == "sections":
        version = data.pop("version")
        service.notice_edit(**common, sections=data, expected_version=version)
        return _("Saved the notice's text.")
    if act == "submit":
        service.notice_submit(**common, file=data.get("file"), expected_version=data["version"])
        return _("Submitted the notice for review.")
    if act == "approve":
        service.notice_approve(**common, expected_version=data["version"])
        return _("Approved the notice.")
    if act == "request_changes":
        service.notice_request_changes(**common, comment=data["comment"], expected_version=data["version"])
        return _("Asked for changes.")
    if act == "withdraw":
        service.notice_withdraw(**common, reason=data["reason"], expected_version=data["version"])
        return _("Withdrew the notice.")
    service.notice_mark_sent(
        **common,
        sent_at=data["sent_at"],
        channel=data["channel"],
        recipient=data["recipient"],
        case_number=data["case_number"],
        file=data.get("file"),
    )
    return _("Recorded the notice as sent.")


FORMS: dict[str, Any] = {
    "submit": NoticeSubmitForm,
    "approve": NoticeVersionedForm,
    "request_changes": NoticeCommentForm,
    "withdraw": NoticeWithdrawForm,
    "sent": NoticeSentForm,
}


@require_POST
@role_required(DRAFT)
def notice_act(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    notice = _notice(pk)
    form_class = _form_class(notice, act)
    if form_class is None:
        raise Http404(_("No such action."))
    form = form_class(request.POST, request.FILES, prefix=act)
    if form.is_valid():
        try:
            done = _run(act, notice, request.user, dict(form.cleaned_data))
        except ChangedMeanwhile:
            messages.error(request, _("Someone else changed this notice meanwhile, so nothing was saved."))
            return redirect("notice_detail", pk=notice.pk)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("notice_detail", pk=notice.pk)
    # Post / redirect / get: the page shows the refusal at its own address (a file must be chosen again).
    page = reverse("notice_detail", args=[notice.pk])
    return refusal_redirect(request, page, act, form, anchor=REFUSAL_ANCHORS.get(act, "review-heading"))


def _form_class(notice: Notice, act: str) -> Any:
    return sections_form(notice.audience) if act == "sections" else FORMS.get(act)


# Where on the notice's page each form is, for the browser to scroll to after a refusal.
REFUSAL_ANCHORS = {"sections": "text-heading"}
