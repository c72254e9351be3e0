"""/api/: every view does its own token (or session) authentication, so Django's login-page
redirect is switched off for it; an unauthenticated call gets 401 JSON instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path

from incidents import urls_converters  # noqa: F401 (registers <id:...>)
from incidents.api.errors import api_not_found
from incidents.api.views import (
    assessments,
    docs,
    incidents,
    merges,
    notices,
    obligations,
    organisations,
    registers,
    schema,
    tokens,
)
from incidents.api.views.breach_record import BreachRecordListView
from incidents.lifecycle.steps import STEPS


def _api(view: type[Any]) -> Callable[..., Any]:
    return login_not_required(view.as_view())


urlpatterns = [
    path("incidents/", _api(incidents.IncidentListView), name="api_incidents"),
    path("incidents/<str:key>/", _api(incidents.IncidentDetailView), name="api_incident"),
    # Each step at a path of its own, documented with its own inputs; the last catches a name
    # that is no step (404) and is what reverse("api_incident_step") builds every step's path by.
    *(
        path(
            f"incidents/<str:key>/transitions/{step}/",
            _api(incidents.incident_step_view(step)),
            {"step": step},
            name=f"api_incident_step_{step}",
        )
        for step in STEPS
    ),
    path(
        "incidents/<str:key>/transitions/<str:step>/",
        _api(incidents.IncidentStepView),
        name="api_incident_step",
    ),
    path(
        "incidents/<str:key>/decision-review/",
        _api(incidents.IncidentDecisionReviewView),
        name="api_incident_decision_review",
    ),
    path(
        "incidents/<str:key>/assessments/",
        _api(assessments.IncidentAssessmentsView),
        name="api_incident_assessments",
    ),
    path(
        "incidents/<str:key>/obligations/",
        _api(obligations.IncidentObligationsView),
        name="api_incident_obligations",
    ),
    path("incidents/<str:key>/notices/", _api(notices.IncidentNoticesView), name="api_incident_notices"),
    path("notices/<id:notice_id>/", _api(notices.NoticeDetailView), name="api_notice"),
    path("notices/<id:notice_id>/merges/", _api(merges.NoticeMergesView), name="api_notice_merges"),
    path("merges/<id:merge_id>/", _api(merges.MergeDetailView), name="api_merge"),
    path("merges/<id:merge_id>/result/", _api(merges.MergeResultView), name="api_merge_result"),
    path("merges/<id:merge_id>/sent/", _api(merges.MergeSentView), name="api_merge_sent"),
    path("notices/<id:notice_id>/document/", _api(notices.NoticeDocumentView), name="api_notice_document"),
    *(
        path(
            f"notices/<id:notice_id>/transitions/{step}/",
            _api(notices.notice_step_view(step)),
            {"step": step},
            name=f"api_notice_step_{step}",
        )
        for step in notices.STEPS
    ),
    path(
        "notices/<id:notice_id>/transitions/<str:step>/",
        _api(notices.NoticeStepView),
        name="api_notice_step",
    ),
    path("notices/<id:notice_id>/sent/", _api(notices.NoticeSentView), name="api_notice_sent"),
    path("obligations/", _api(obligations.ObligationListView), name="api_obligations"),
    path(
        "obligations/<id:obligation_id>/met/", _api(obligations.ObligationMetView), name="api_obligation_met"
    ),
    path(
        "obligations/<id:obligation_id>/waive/",
        _api(obligations.ObligationWaiveView),
        name="api_obligation_waive",
    ),
    path(
        "obligations/<id:obligation_id>/delay-reason/",
        _api(obligations.ObligationDelayReasonView),
        name="api_obligation_delay_reason",
    ),
    path("registers/", _api(registers.RegisterListView), name="api_registers"),
    path("registers/<id:pk>/", _api(registers.RegisterDetailView), name="api_register"),
    path("organisations/", _api(organisations.OrganisationListView), name="api_organisations"),
    path("breach-record/", _api(BreachRecordListView), name="api_breach_record"),
    path("tokens/current/", _api(tokens.CurrentTokenView), name="api_token_current"),
    path("schema/", _api(schema.SchemaView), name="api_schema"),
    # A page, for people: without credentials it sends to the login page rather than answering 401.
    path("docs/", _api(docs.ApiDocsView), name="api_docs"),
    re_path(r"^(?P<path>.*)$", login_not_required(api_not_found)),
]
