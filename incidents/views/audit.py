"""The auditor's pages: the trail, one event, the chain's status, and the export."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from incidents.audit.canonical import utc_iso
from incidents.audit.export import ExportFormat, audit_export_create
from incidents.audit.forms import AuditFilterForm
from incidents.audit.selectors import audit_events_filtered, incident_references
from incidents.audit.verify import chain_verify, database_triggers_present
from incidents.models import AuditEvent
from incidents.roles import Permission
from incidents.views.access import role_required

EVENTS_PER_PAGE = 50


def _reference(event: AuditEvent, references: dict[int, str]) -> str | None:
    return None if event.incident_id is None else references.get(event.incident_id)


def _trail_page(request: HttpRequest, form: AuditFilterForm, *, status: int = 200) -> HttpResponse:
    page = None
    rows: list[tuple[AuditEvent, str | None]] = []
    if form.is_valid():
        filters = form.filters()
        events = audit_events_filtered(
            incident_id=filters.incident_id,
            actor=filters.actor,
            action=filters.action,
            since=filters.since,
            until=filters.until,
        ).order_by("-seq")  # newest first: what an auditor usually looks for
        page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        shown = list(page)
        # Each event's incident by its reference, looked up once for the whole page.
        references = incident_references(event.incident_id for event in shown)
        rows = [(event, _reference(event, references)) for event in shown]
    return render(
        request, "incidents/audit/trail.html", {"form": form, "page": page, "rows": rows}, status=status
    )


@require_GET
@role_required(Permission.VIEW_EVERYTHING.perm)
def trail(request: HttpRequest) -> HttpResponse:
    return _trail_page(request, AuditFilterForm(request.GET))


def _readable(value: Any) -> str:
    """A before/after or field value: text as it is, anything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _presentation(data: Any) -> dict[str, Any]:
    """How an event's data is best read: a before/after table, a field table, or JSON."""
    if not isinstance(data, dict):
        return {"rest": json.dumps(data, indent=2, ensure_ascii=False)}
    rest = dict(data)
    shown: dict[str, Any] = {}
    changes = data.get("changes")
    if isinstance(changes, dict) and all(isinstance(v, list) and len(v) == 2 for v in changes.values()):
        shown["changes"] = [
            (field, _readable(before), _readable(after)) for field, (before, after) in changes.items()
        ]
        del rest["changes"]
    fields = data.get("fields")
    if isinstance(fields, dict):
        shown["fields"] = [(field, _readable(value)) for field, value in fields.items()]
        del rest["fields"]
    if rest or not shown:
        shown["rest"] = json.dumps(rest, indent=2, ensure_ascii=False, sort_keys=True)
    return shown


@require_GET
@role_required(Permission.VIEW_EVERYTHING.perm)
def event_detail(request: HttpRequest, seq: int) -> HttpResponse:
    event = get_object_or_404(AuditEvent, seq=seq)
    try:
        data: Any = json.loads(event.data)
    except ValueError:
        # Only a tampered row can hold this; show it as stored rather than fail.
        data = event.data
    return render(
        request,
        "incidents/audit/event.html",
        {
            "event": event,
            "incident_reference": _reference(event, incident_references([event.incident_id])),
            "at_utc": utc_iso(event.at),
            "data": _presentation(data),
            "previous_seq": seq - 1 if seq > 1 else None,
            "next_seq": AuditEvent.objects.filter(seq=seq + 1).values_list("seq", flat=True).first(),
        },
    )


@require_GET
@role_required(Permission.VERIFY_AUDIT_TRAIL.perm)
def status(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "incidents/audit/status.html",
        {
            "report": chain_verify(),
            "triggers_present": database_triggers_present(),
            "checked_at": timezone.now(),
        },
    )


@require_POST
@role_required(Permission.VERIFY_AUDIT_TRAIL.perm)
def export(request: HttpRequest) -> HttpResponseBase:
    form = AuditFilterForm(request.POST)
    try:
        fmt = ExportFormat(request.POST.get("format", ""))
    except ValueError:
        return HttpResponseBadRequest(_("Choose JSON Lines or CSV as the export format."))
    if not form.is_valid():
        return _trail_page(request, form, status=400)
    created = audit_export_create(
        actor=request.user,  # type: ignore[arg-type]
        request=request,
        filters=form.filters(),
        fmt=fmt,
        now=timezone.now(),
    )
    return FileResponse(
        io.BytesIO(created.content),
        as_attachment=True,
        filename=created.filename,
        content_type="application/zip",
    )
