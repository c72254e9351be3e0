from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from incidents.models import Access
from incidents.roles import ROLE_PERMISSIONS, roles_of


def dashboard(request: HttpRequest) -> HttpResponse:
    """The first page after login: who you are and what your role lets you do."""
    roles = roles_of(request.user)
    codenames = sorted({codename for role in roles for codename in ROLE_PERMISSIONS[role]})
    labels = dict(Access._meta.permissions)
    return render(
        request,
        "incidents/dashboard.html",
        {"roles": roles, "abilities": [labels[codename] for codename in codenames]},
    )
