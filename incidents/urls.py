from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from incidents import urls_converters  # noqa: F401 (registers <id:...>)
from incidents.views import (
    accounts,
    audit,
    dashboard,
    incident_actions,
    incidents,
    merges,
    notices,
    organisations,
    registers,
)
from incidents.views.breach_record import breach_record, breach_record_download

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path(
        "accounts/login/",
        accounts.SignIn.as_view(),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("audit/", audit.trail, name="audit_trail"),
    path("audit/events/<id:seq>/", audit.event_detail, name="audit_event"),
    path("audit/status/", audit.status, name="audit_status"),
    path("audit/export/", audit.export, name="audit_export"),
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_new, name="incident_new"),
    path("incidents/<id:pk>/", incident_actions.incident_detail, name="incident_detail"),
    path("incidents/<id:pk>/act/<slug:action>/", incident_actions.incident_act, name="incident_act"),
    path(
        "incidents/<id:pk>/affected/<id:register_pk>/",
        incident_actions.affected_data_act,
        name="incident_affected_data",
    ),
    path(
        "incidents/<id:pk>/obligations/<id:obligation_pk>/<slug:action>/",
        incident_actions.obligation_act,
        name="obligation_act",
    ),
    path("incidents/<id:pk>/notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<id:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<id:pk>/document/", notices.notice_download, name="notice_download"),
    path("notices/<id:pk>/act/<slug:act>/", notices.notice_act, name="notice_act"),
    path("notices/<id:pk>/merges/new/", merges.merge_new, name="merge_new"),
    path("merges/<id:pk>/", merges.merge_detail, name="merge_detail"),
    path("merges/<id:pk>/letters/", merges.merge_download, name="merge_download"),
    path("merges/<id:pk>/sent/", merges.merge_sent, name="merge_sent"),
    path("registers/", registers.register_list, name="register_list"),
    path("registers/import/", registers.register_import, name="register_import"),
    path("registers/<id:pk>/", registers.register_detail, name="register_detail"),
    path("registers/<id:pk>/edit/", registers.register_edit, name="register_edit"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/<id:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<id:pk>/letterhead/",
        organisations.organisation_letterhead,
        name="organisation_letterhead",
    ),
    path("breach-record/", breach_record, name="breach_record"),
    path("breach-record/export/", breach_record_download, name="breach_record_export"),
]
