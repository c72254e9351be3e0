"""Finding the incident or obligation a URL names, and the version a write is based on."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from incidents.models import Incident

_REFERENCE = re.compile(r"^INC-\d{4}-\d{4,}$", re.IGNORECASE)
# If-Match: "3", W/"3" or 3 (the ETag the API gives an incident is its version).
_ETAG = re.compile(r'^(?:W/)?"?([0-9]{1,18})"?$')
# An id as the database holds it (below 2^63): ASCII digits only, which str.isdigit is not.
_ID = re.compile(r"[0-9]{1,18}")


def incident_get(key: str, queryset: QuerySet[Incident] | None = None) -> Incident:
    """The incident by reference (INC-2026-0042), as people and tickets name it, or by id."""
    queryset = queryset if queryset is not None else Incident.objects.all()
    if _REFERENCE.match(key):
        return get_object_or_404(queryset, reference=key.upper())
    if _ID.fullmatch(key):
        return get_object_or_404(queryset, pk=int(key))
    return get_object_or_404(queryset.none())


def etag(incident: Incident) -> str:
    return f'"{incident.version}"'


def expected_version(request: Request, body_version: int | None) -> int | None:
    """The version the client's change is based on: ``expected_version`` or If-Match."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return body_version
    match = _ETAG.match(header)
    if match is None:
        raise ValidationError({"If-Match": [_('Give the incident\'s version as its ETag, e.g. "3".')]})
    version = int(match.group(1))
    if body_version is not None and body_version != version:
        raise ValidationError(
            {"expected_version": [_("It differs from the If-Match header; give one version.")]}
        )
    return version
