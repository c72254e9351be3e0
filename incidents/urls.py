from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

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
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("audit/", audit.trail, name="audit_trail"),
    path("audit/events/<int:seq>/", audit.event_detail, name="audit_event"),
    path("audit/status/", audit.status, name="audit_status"),
    path("audit/export/", audit.export, name="audit_export"),
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_new, name="incident_new"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/act/<slug:action>/", incident_actions.incident_act, name="incident_act"),
    path(
        "incidents/<int:pk>/affected/<int:register_pk>/",
        incident_actions.affected_data_act,
        name="incident_affected_data",
    ),
    path(
        "incidents/<int:pk>/obligations/<int:obligation_pk>/<slug:action>/",
        incident_actions.obligation_act,
        name="obligation_act",
    ),
    path("incidents/<int:pk>/notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/document/", notices.notice_download, name="notice_download"),
    path("notices/<int:pk>/act/<slug:act>/", notices.notice_act, name="notice_act"),
    path("notices/<int:pk>/merges/new/", merges.merge_new, name="merge_new"),
    path("merges/<int:pk>/", merges.merge_detail, name="merge_detail"),
    path("merges/<int:pk>/letters/", merges.merge_download, name="merge_download"),
    path("merges/<int:pk>/sent/", merges.merge_sent, name="merge_sent"),
    path("registers/", registers.register_list, name="register_list"),
    path("registers/import/", registers.register_import, name="register_import"),
    path("registers/<int:pk>/", registers.register_detail, name="register_detail"),
    path("registers/<int:pk>/edit/", registers.register_edit, name="register_edit"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/letterhead/",
        organisations.organisation_letterhead,
        name="organisation_letterhead",
    ),
    path("breach-record/", breach_record, name="breach_record"),
    path("breach-record/export/", breach_record_download, name="breach_record_export"),
]
