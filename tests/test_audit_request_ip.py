"""Events that services record with an explicit actor still carry the client address of the
request the act is part of (a confirmation made in the UI or through the API)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.test import RequestFactory

from incidents.audit import audit_record
from incidents.audit.context import request_context


def test_an_event_with_an_explicit_actor_takes_the_client_address_from_the_request(lead: User) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.50")
    with request_context(request), transaction.atomic():
        event = audit_record(action="incident.confirmed", actor=lead)
    assert (event.actor_username, event.client_ip) == ("alice", "203.0.113.50")


def test_outside_a_request_an_event_has_no_client_address(lead: User) -> None:
    with transaction.atomic():
        event = audit_record(action="incident.confirmed", actor=lead)
    assert (event.actor_username, event.client_ip) == ("alice", None)
