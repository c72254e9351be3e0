"""A mail merge from a notice's page: start it from a recipients' CSV, follow it, download its
letters, record them as sent."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from incidents.choices import MergeState
from incidents.errors import DomainError
from incidents.forms.merges import MergeCreateForm, MergeSentForm
from incidents.models import Merge, Notice
from incidents.roles import Permission
from incidents.services import merges as service
from incidents.views.access import role_required
from incidents.views.incidents import form_add_domain_error
from incidents.views.notices import notice_page

VIEW = Permission.VIEW_EVERYTHING.perm
DRAFT = Permission.DRAFT_NOTICE.perm
APPROVE = Permission.APPROVE_NOTICE.perm


@require_POST
@role_required(DRAFT)
def merge_new(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=pk)
    form = MergeCreateForm(request.POST, request.FILES, prefix="merge")
    extra: dict[str, Any] = {}
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            merge = service.merge_create(
                notice_id=notice.pk,
                actor=request.user,  # type: ignore[arg-type]
                file=upload,
                filename=upload.name or "recipients.csv",
                output=form.cleaned_data["output"],
                skip_problem_rows=form.cleaned_data["skip_problem_rows"],
                now=timezone.now(),
            )
        except service.MergeRefused as refused:
            form_add_domain_error(form, refused)
            extra["merge_report"] = service.report_dict(
                refused.report, refused.problems, refused.report_sha256
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Started the merge: the letters are being written."))
            return redirect("merge_detail", pk=merge.pk)
    return notice_page(request, notice.pk, bound={"merge": form}, extra=extra, status=422)


def _merge(pk: int) -> Merge:
    return get_object_or_404(Merge.objects.select_related("notice__incident", "created_by", "sent_by"), pk=pk)


def _page(
    request: HttpRequest, merge: Merge, form: MergeSentForm | None = None, status: int = 200
) -> HttpResponse:
    context = {
        "merge": merge,
        "notice": merge.notice,
        "incident": merge.notice.incident,
        "running": merge.state in (MergeState.QUEUED, MergeState.RUNNING),
        "percent": round(100 * merge.letters_done / merge.total) if merge.total else 100,
        "may_draft": request.user.has_perm(DRAFT),
        "may_approve": request.user.has_perm(APPROVE),
        "sent_form": form
        or MergeSentForm(
            prefix="sent", initial={"sent_at": timezone.localtime().replace(second=0, microsecond=0)}
        ),
    }
    return render(request, "incidents/merge_detail.html", context, status=status)


@require_GET
@role_required(VIEW)
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _merge(pk))


@require_GET
@role_required(DRAFT)
def merge_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    merge = _merge(pk)
    try:
        result = service.merge_result_open(merge_id=merge.pk, actor=request.user, now=timezone.now())  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("merge_detail", pk=merge.pk)
    response = FileResponse(
        result.file, as_attachment=True, filename=result.filename, content_type=result.content_type
    )
    response["X-Content-SHA256"] = result.sha256
    return response


@require_POST
@role_required(APPROVE)
def merge_sent(request: HttpRequest, pk: int) -> HttpResponse:
    merge = _merge(pk)
    form = MergeSentForm(request.POST, prefix="sent")
    if form.is_valid():
        try:
            service.merge_mark_sent(
                merge_id=merge.pk,
                actor=request.user,  # type: ignore[arg-type]
                sent_at=form.cleaned_data["sent_at"],
                channel=form.cleaned_data["channel"],
                now=timezone.now(),
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Recorded the letters as sent."))
            return redirect("merge_detail", pk=merge.pk)
    return _page(request, _merge(pk), form=form, status=400)
