"""API clients for the personas: each holds a real token, issued as `manage.py api_token` does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.api.tokens import api_token_issue
from incidents.audit.context import SYSTEM

CLIENT_IP = "198.51.100.7"


def token_for(user: User) -> str:
    _row, secret = api_token_issue(user=user, actor=SYSTEM, now=timezone.now())
    return secret


def api_as(user: User, *, ip: str = CLIENT_IP) -> APIClient:
    """A client that authenticates with a fresh token of ``user`` and calls from ``ip``."""
    client = APIClient(REMOTE_ADDR=ip)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def error_of(response: Any) -> dict[str, Any]:
    """The error object, after checking the envelope every error shares."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields", "reasons"}, body
    return body["error"]
