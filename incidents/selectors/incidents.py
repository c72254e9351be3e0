"""What the dashboard and the incident page read."""

from __future__ import annotations

from django.db.models import F, Prefetch, QuerySet

from incidents.choices import OPEN_OBLIGATION_STATUSES
from incidents.models import AuditEvent, Incident, IncidentRegister, Obligation


def incidents_open_by_deadline() -> QuerySet[Incident]:
    """Open incidents (and dismissed ones whose NIS2 or DORA clock runs), nearest deadline first,
    those without one last.

    Each carries ``open_obligations`` (nearest first), so that a page of them costs the same few
    queries however many incidents there are.
    """
    return (
        Incident.objects.filter(on_dashboard=True)
        .select_related("handler", "organisation", "next_due_template")
        .prefetch_related(
            Prefetch(
                "obligations",
                queryset=Obligation.objects.filter(status__in=OPEN_OBLIGATION_STATUSES)
                .select_related("template")
                .order_by(F("due_at").asc(nulls_last=True), "template__position"),
                to_attr="open_obligations",
            )
        )
        .order_by(F("next_due_at").asc(nulls_last=True), "pk")
    )


def incidents_for_api() -> QuerySet[Incident]:
    """Incidents with what the API's answers show of each."""
    return Incident.objects.select_related(
        "organisation", "reporter", "handler", "decided_by", "decision_review_of"
    ).prefetch_related("affected__register")


def incident_for_page(pk: int) -> Incident:
    """One incident with everything its page shows; Incident.DoesNotExist if there is none."""
    return (
        Incident.objects.select_related(
            "reporter",
            "handler",
            "organisation",
            "decided_by",
            "next_due_template",
            "decision_review_of__created_by",
        )
        .prefetch_related(
            Prefetch(
                "affected",
                queryset=IncidentRegister.objects.select_related("register__controller")
                .prefetch_related("register__data_items")
                .order_by("register__name"),
            ),
            Prefetch(
                "obligations",
                queryset=Obligation.objects.select_related("template", "closed_by").order_by(
                    F("due_at").asc(nulls_last=True), "template__position"
                ),
            ),
            "notices",
        )
        .get(pk=pk)
    )


def incident_events(incident_id: int) -> QuerySet[AuditEvent]:
    """The incident's part of the audit trail, oldest first: its timeline."""
    return AuditEvent.objects.filter(incident_id=incident_id).order_by("seq")


def decisions_to_review() -> QuerySet[Incident]:
    """Decided incidents whose later assessment proposes more than the decision, the oldest
    marked first: for the DPO to keep or revise."""
    return (
        Incident.objects.filter(decision_review_of__isnull=False)
        .select_related("decision_review_of")
        .order_by("decision_review_of__created_at", "pk")
    )
