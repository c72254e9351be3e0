"""Every write through the API leaves its audit event, naming the API user and the client address."""

from __future__ import annotations

import json

import time_machine
from django.contrib.auth.models import User

from incidents.models import AuditEvent
from tests.api_support import CLIENT_IP, api_as
from tests.builders import ANSWERS
from tests.factories import register_made
from tests.moments import T0


def test_each_write_is_audited_with_the_api_user_and_client_ip(lead: User, dpo: User) -> None:
    register = register_made()
    as_lead, as_dpo = api_as(lead), api_as(dpo, ip="2001:db8::5")
    before = AuditEvent.objects.count()
    with time_machine.travel(T0, tick=False):
        ref = as_lead.post(
            "/api/incidents/",
            {"title": "Alert", "description": "SIEM rule 4711.", "detected_at": "2026-03-27T07:00:00Z"},
            format="json",
        ).json()["reference"]
        address = f"/api/incidents/{ref}/"
        as_lead.patch(
            address,
            {
                "breach_confidentiality": True,
                "likely_consequences": "Phishing.",
                "registers": [{"id": register.pk}],
            },
            format="json",
        )
        assert as_lead.post(f"{address}transitions/confirm/", {}, format="json").status_code == 200
        assert as_lead.post(f"{address}assessments/", ANSWERS, format="json").status_code == 201
        assert as_lead.post(f"{address}transitions/assess/", {}, format="json").status_code == 200
        as_dpo.post(
            f"{address}transitions/decide/",
            {"notify_authority": "yes", "notify_subjects": "no", "reason": "Names."},
            format="json",
        )
        (art33,) = as_dpo.get(f"{address}obligations/").json()["results"]
        as_dpo.post(
            f"/api/obligations/{art33['id']}/waive/", {"reason": "Notified by the parent."}, format="json"
        )
    events = list(
        AuditEvent.objects.order_by("seq")[before:].values_list("action", "actor_username", "client_ip")
    )
    assert events == [
        ("incident.created", "alice", CLIENT_IP),
        ("incident.updated", "alice", CLIENT_IP),
        ("incident.registers_changed", "alice", CLIENT_IP),
        ("incident.confirmed", "alice", CLIENT_IP),
        ("assessment.recorded", "alice", CLIENT_IP),
        ("incident.assessed", "alice", CLIENT_IP),
        ("incident.decided", "bob", "2001:db8::5"),
        ("obligation.waived", "bob", "2001:db8::5"),
    ]


def test_a_refused_write_leaves_no_event(lead: User) -> None:
    client = api_as(lead)
    before = AuditEvent.objects.count()
    response = client.post(
        "/api/incidents/",
        {"title": "Alert", "description": "x", "detected_at": "2030-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert AuditEvent.objects.count() == before


def test_issuing_and_revoking_a_token_is_audited(auditor: User) -> None:
    client = api_as(auditor, ip="192.0.2.9")
    issued = AuditEvent.objects.get(action="api_token.issued")
    assert issued.actor_username is None  # issued by an administrator's command, not by a user
    assert json.loads(issued.data)["user"] == "charlie"
    client.delete("/api/tokens/current/")
    revoked = AuditEvent.objects.get(action="api_token.revoked")
    assert (revoked.actor_username, revoked.client_ip, revoked.object_id) == (
        "charlie",
        "192.0.2.9",
        issued.object_id,
    )
