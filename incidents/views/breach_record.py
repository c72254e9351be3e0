"""The breach record (GDPR Art. 33(5)): the filterable page and its exports, for every role."""

from __future__ import annotations

import io

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from incidents.breach_record.entries import column_headings, record_entries
from incidents.breach_record.export import ExportFormat, breach_record_export
from incidents.breach_record.forms import BreachRecordFilterForm
from incidents.breach_record.selectors import breach_record_incidents
from incidents.roles import Permission
from incidents.views.access import role_required

VIEW = Permission.VIEW_EVERYTHING.perm
INCIDENTS_PER_PAGE = 50


def _record_page(request: HttpRequest, form: BreachRecordFilterForm) -> HttpResponse:
    """The page; with the form's errors, naming each field at fault, and 400 when a filter is bad."""
    context: dict[str, object] = {"form": form, "headings": column_headings(), "page": None}
    if not form.is_valid():
        return render(request, "incidents/breach_record.html", context, status=400)
    page = Paginator(breach_record_incidents(form.filters()), INCIDENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context |= {"page": page, "entries": record_entries(page.object_list)}
    return render(request, "incidents/breach_record.html", context)


@require_GET
@role_required(VIEW)
def breach_record(request: HttpRequest) -> HttpResponse:
    return _record_page(request, BreachRecordFilterForm(request.GET))


@require_POST
@role_required(VIEW)
def breach_record_download(request: HttpRequest) -> HttpResponseBase:
    """The filtered record as .docx or CSV. A POST, because it writes the export's audit event."""
    try:
        fmt = ExportFormat(request.POST.get("format", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Choose Word (.docx) or CSV as the export format."))
    form = BreachRecordFilterForm(request.POST)
    if not form.is_valid():
        return _record_page(request, form)
    exported = breach_record_export(
        actor=request.user,  # type: ignore[arg-type]
        request=request,
        filters=form.filters(),
        fmt=fmt,
        language=translation.get_language() or "en",
        now=timezone.now(),
    )
    return FileResponse(
        io.BytesIO(exported.content),
        as_attachment=True,
        filename=exported.filename,
        content_type=exported.content_type,
    )
