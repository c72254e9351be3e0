"""The first page after login: the open incidents, nearest deadline first, counting down."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from incidents.models import Incident, Obligation
from incidents.roles import ROLE_PERMISSIONS, Permission, roles_of
from incidents.selectors.incidents import decisions_to_review, incidents_open_by_deadline
from incidents.selectors.reminders import dashboard_reminders

INCIDENTS_PER_PAGE = 50
REMINDERS_SHOWN = 10
REVIEWS_SHOWN = 20


@dataclass
class DashboardRow:
    incident: Incident
    clock: Obligation | None  # the obligation whose deadline is the incident's next; None if provisional


def _rows(incidents: list[Incident]) -> list[DashboardRow]:
    rows = []
    for incident in incidents:
        open_obligations: list[Obligation] = getattr(incident, "open_obligations", [])
        clock = None
        if not incident.next_due_provisional:
            clock = next((o for o in open_obligations if o.due_at == incident.next_due_at), None)
        rows.append(DashboardRow(incident, clock))
    return rows


def dashboard(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    held = {permission for role in roles for permission in ROLE_PERMISSIONS[role]}
    now = timezone.now()
    context: dict[str, Any] = {
        "roles": roles,
        "abilities": [permission.label for permission in sorted(held)],
        "now": now,
        "page": None,
        "reminders": None,
    }
    if request.user.has_perm(Permission.VIEW_EVERYTHING.perm):
        page = Paginator(incidents_open_by_deadline(), INCIDENTS_PER_PAGE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = _rows(list(page.object_list))
        context["reminders"] = dashboard_reminders(user=request.user, now=now, limit=REMINDERS_SHOWN)
        context["reviews"] = list(decisions_to_review()[:REVIEWS_SHOWN])
    return render(request, "incidents/dashboard.html", context)
