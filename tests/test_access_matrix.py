"""Who gets what at every address: each URL pattern of the project, asked by an anonymous visitor,
a security lead, a DPO, an auditor and a signed-in user with no role, against the table below; and
no document, letter or export reachable by guessing its id or where it is stored.

The patterns are walked from the URL configuration when the tests run, so a new view without a
row in EXPECTED fails, and so does a row whose pattern is gone. Django admin is not in the table:
its patterns are generated for each registered model, so the admin namespace is one group, checked
by a rule (none of the five may use it, being no staff) on a representative set of its pages.

Every address is filled with the ids of real objects (one breach, decided, with an approved notice,
its document and a finished mail merge), so 200 means the page really renders. A write is asked
with an empty body: a role the view lets in gets the form's or the body's refusal (400, or 422 for
a step the incident is not ready for), or, for an act that needs no input, the act done (200, 302);
who may take which step of a form (the DPO's decision on a page) is the services' to check, in
their own tests. Each request runs in a transaction that is rolled back, so one principal's act
never changes what the next one is asked.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import transaction
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from incidents.models import AuditEvent, Incident, Merge, Notice, Obligation, Organisation, Register
from incidents.roles import Role
from tests.api_support import token_for
from tests.builders import art33
from tests.conftest import user_with_role
from tests.factories import incident_logged
from tests.merge_support import approved, breach, merged
from tests.moments import HOUR, T0
from tests.url_support import Route, every_route

NOW = T0 + 2 * HOUR  # the breach decided and its letters merged an hour before

LOGIN = "login"  # sent to the login page
ADMIN_LOGIN = "admin login"  # sent to the admin's own login page
Outcome = int | str


class Access(NamedTuple):
    """What each principal gets: a status code, LOGIN or ADMIN_LOGIN."""

    anonymous: Outcome
    lead: Outcome
    dpo: Outcome
    auditor: Outcome
    nobody: Outcome  # signed in, no role


PRINCIPALS = Access._fields

# Page writes are asked as a browser's form posts them; the API's as JSON, by each method it takes.
PAGE_WRITES = ("POST",)
API_WRITES = ("POST", "PUT", "PATCH", "DELETE")

# fmt: off
EXPECTED: dict[tuple[str, str], Access] = {
    # (pattern, method)                              Access(anonymous, lead, dpo, auditor, nobody)
    # The pages: a visitor not signed in is sent to the login page.
    ("dashboard", "GET"):                            Access(LOGIN,   200,   200,   200,   200),
    # The dashboard answers a POST as it answers a GET, and changes nothing.
    ("dashboard", "POST"):                           Access(LOGIN,   200,   200,   200,   200),
    # A signed-in user asking for the login page is sent on to the dashboard.
    ("login", "GET"):                                Access(  200,   302,   302,   302,   302),
    ("login", "POST"):                               Access(  200,   302,   302,   302,   302),
    ("logout", "GET"):                               Access(LOGIN,   405,   405,   405,   405),
    ("logout", "POST"):                              Access(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ("set_language", "GET"):                         Access(  302,   302,   302,   302,   302),
    ("set_language", "POST"):                        Access(  302,   302,   302,   302,   302),
    ("audit_trail", "GET"):                          Access(LOGIN,   200,   200,   200,   403),
    ("audit_event", "GET"):                          Access(LOGIN,   200,   200,   200,   403),
    ("audit_status", "GET"):                         Access(LOGIN,   200,   200,   200,   403),
    ("audit_export", "GET"):                         Access(LOGIN,   405,   405,   405,   405),
    ("audit_export", "POST"):                        Access(LOGIN,   400,   400,   400,   403),
    ("incident_list", "GET"):                        Access(LOGIN,   200,   200,   200,   403),
    ("incident_new", "GET"):                         Access(LOGIN,   200,   200,   403,   403),
    ("incident_new", "POST"):                        Access(LOGIN,   400,   400,   403,   403),
    ("incident_detail", "GET"):                      Access(LOGIN,   200,   200,   200,   403),
    ("incident_act", "GET"):                         Access(LOGIN,   405,   405,   405,   405),
    # The view lets in whoever handles incidents; a lead's decision is the service's to refuse.
    ("incident_act", "POST"):                        Access(LOGIN,   303,   303,   403,   403),
    ("incident_affected_data", "GET"):               Access(LOGIN,   405,   405,   405,   405),
    ("incident_affected_data", "POST"):              Access(LOGIN,   303,   303,   403,   403),
    ("obligation_act", "GET"):                       Access(LOGIN,   405,   405,   405,   405),
    ("obligation_act", "POST"):                      Access(LOGIN,   303,   303,   403,   403),
    ("notice_new", "GET"):                           Access(LOGIN,   405,   405,   405,   405),
    ("notice_new", "POST"):                          Access(LOGIN,   303,   303,   403,   403),
    ("notice_detail", "GET"):                        Access(LOGIN,   200,   200,   200,   403),
    ("notice_download", "GET"):                      Access(LOGIN,   200,   200,   200,   403),
    ("notice_act", "GET"):                           Access(LOGIN,   405,   405,   405,   405),
    ("notice_act", "POST"):                          Access(LOGIN,   303,   303,   403,   403),
    ("merge_new", "GET"):                            Access(LOGIN,   405,   405,   405,   405),
    ("merge_new", "POST"):                           Access(LOGIN,   422,   422,   403,   403),
    ("merge_detail", "GET"):                         Access(LOGIN,   200,   200,   200,   403),
    # The letters hold every recipient's address: they are for those who send them.
    ("merge_download", "GET"):                       Access(LOGIN,   200,   200,   403,   403),
    ("merge_sent", "GET"):                           Access(LOGIN,   405,   405,   405,   405),
    ("merge_sent", "POST"):                          Access(LOGIN,   403,   400,   403,   403),
    ("register_list", "GET"):                        Access(LOGIN,   200,   200,   200,   403),
    ("register_import", "GET"):                      Access(LOGIN,   200,   200,   403,   403),
    ("register_import", "POST"):                     Access(LOGIN,   400,   400,   403,   403),
    ("register_detail", "GET"):                      Access(LOGIN,   200,   200,   200,   403),
    ("register_edit", "GET"):                        Access(LOGIN,   200,   200,   403,   403),
    ("register_edit", "POST"):                       Access(LOGIN,   400,   400,   403,   403),
    ("organisation_list", "GET"):                    Access(LOGIN,   200,   200,   200,   403),
    ("organisation_edit", "GET"):                    Access(LOGIN,   200,   200,   403,   403),
    ("organisation_edit", "POST"):                   Access(LOGIN,   400,   400,   403,   403),
    ("organisation_letterhead", "GET"):              Access(LOGIN,   405,   405,   405,   405),
    ("organisation_letterhead", "POST"):             Access(LOGIN,   302,   302,   403,   403),
    ("breach_record", "GET"):                        Access(LOGIN,   200,   200,   200,   403),
    ("breach_record_export", "GET"):                 Access(LOGIN,   405,   405,   405,   405),
    ("breach_record_export", "POST"):                Access(LOGIN,   400,   400,   400,   403),
    # The API: 401 without credentials; the roles call with their tokens, the user with no role
    # with the session (no token is issued without a role).
    ("api_incidents", "GET"):                        Access(  401,   200,   200,   200,   403),
    ("api_incidents", "POST"):                       Access(  401,   400,   400,   403,   403),
    ("api_incident", "GET"):                         Access(  401,   200,   200,   200,   403),
    ("api_incident", "PATCH"):                       Access(  401,   200,   200,   403,   403),
    ("api_incident_step_start_triage", "GET"):       Access(  401,   405,   405,   405,   403),
    ("api_incident_step_start_triage", "POST"):      Access(  401,   422,   422,   403,   403),
    ("api_incident_step_dismiss", "GET"):            Access(  401,   405,   405,   405,   403),
    ("api_incident_step_dismiss", "POST"):           Access(  401,   400,   400,   403,   403),
    ("api_incident_step_confirm", "GET"):            Access(  401,   405,   405,   405,   403),
    ("api_incident_step_confirm", "POST"):           Access(  401,   422,   422,   403,   403),
    ("api_incident_step_assess", "GET"):             Access(  401,   405,   405,   405,   403),
    ("api_incident_step_assess", "POST"):            Access(  401,   422,   422,   403,   403),
    ("api_incident_step_decide", "GET"):             Access(  401,   405,   405,   405,   403),
    ("api_incident_step_decide", "POST"):            Access(  401,   403,   400,   403,   403),
    ("api_incident_step_start_notifying", "GET"):    Access(  401,   405,   405,   405,   403),
    ("api_incident_step_start_notifying", "POST"):   Access(  401,   200,   200,   403,   403),
    ("api_incident_step_finish_notifying", "GET"):   Access(  401,   405,   405,   405,   403),
    ("api_incident_step_finish_notifying", "POST"):  Access(  401,   422,   422,   403,   403),
    ("api_incident_step_document", "GET"):           Access(  401,   405,   405,   405,   403),
    ("api_incident_step_document", "POST"):          Access(  401,   422,   422,   403,   403),
    ("api_incident_step_close", "GET"):              Access(  401,   405,   405,   405,   403),
    ("api_incident_step_close", "POST"):             Access(  401,   422,   422,   403,   403),
    ("api_incident_step_revise_decision", "GET"):    Access(  401,   405,   405,   405,   403),
    ("api_incident_step_revise_decision", "POST"):   Access(  401,   403,   400,   403,   403),
    ("api_incident_step_reopen", "GET"):             Access(  401,   405,   405,   405,   403),
    ("api_incident_step_reopen", "POST"):            Access(  401,   400,   400,   403,   403),
    # The pattern with a step in the address takes the names that are no step: no such step.
    ("api_incident_step", "GET"):                    Access(  401,   405,   405,   405,   403),
    ("api_incident_step", "POST"):                   Access(  401,   404,   404,   403,   403),
    ("api_incident_decision_review", "GET"):         Access(  401,   405,   405,   405,   403),
    ("api_incident_decision_review", "POST"):        Access(  401,   403,   400,   403,   403),
    ("api_incident_assessments", "GET"):             Access(  401,   200,   200,   200,   403),
    ("api_incident_assessments", "POST"):            Access(  401,   400,   400,   403,   403),
    ("api_incident_obligations", "GET"):             Access(  401,   200,   200,   200,   403),
    ("api_incident_notices", "GET"):                 Access(  401,   200,   200,   200,   403),
    ("api_incident_notices", "POST"):                Access(  401,   400,   400,   403,   403),
    ("api_notice", "GET"):                           Access(  401,   200,   200,   200,   403),
    ("api_notice", "PATCH"):                         Access(  401,   400,   400,   403,   403),
    ("api_notice_merges", "GET"):                    Access(  401,   200,   200,   200,   403),
    ("api_notice_merges", "POST"):                   Access(  401,   400,   400,   403,   403),
    ("api_merge", "GET"):                            Access(  401,   200,   200,   200,   403),
    ("api_merge_result", "GET"):                     Access(  401,   200,   200,   403,   403),
    ("api_merge_sent", "GET"):                       Access(  401,   405,   405,   405,   403),
    ("api_merge_sent", "POST"):                      Access(  401,   403,   400,   403,   403),
    ("api_notice_document", "GET"):                  Access(  401,   200,   200,   200,   403),
    ("api_notice_step_submit", "GET"):               Access(  401,   405,   405,   405,   403),
    ("api_notice_step_submit", "POST"):              Access(  401,   200,   200,   403,   403),
    ("api_notice_step_approve", "GET"):              Access(  401,   405,   405,   405,   403),
    ("api_notice_step_approve", "POST"):             Access(  401,   403,   400,   403,   403),
    ("api_notice_step_request_changes", "GET"):      Access(  401,   405,   405,   405,   403),
    ("api_notice_step_request_changes", "POST"):     Access(  401,   403,   400,   403,   403),
    ("api_notice_step_withdraw", "GET"):             Access(  401,   405,   405,   405,   403),
    ("api_notice_step_withdraw", "POST"):            Access(  401,   200,   200,   403,   403),
    ("api_notice_step", "GET"):                      Access(  401,   405,   405,   405,   403),
    ("api_notice_step", "POST"):                     Access(  401,   404,   404,   403,   403),
    ("api_notice_sent", "GET"):                      Access(  401,   405,   405,   405,   403),
    ("api_notice_sent", "POST"):                     Access(  401,   403,   400,   403,   403),
    ("api_obligations", "GET"):                      Access(  401,   200,   200,   200,   403),
    ("api_obligation_met", "GET"):                   Access(  401,   405,   405,   405,   403),
    ("api_obligation_met", "POST"):                  Access(  401,   400,   400,   403,   403),
    ("api_obligation_waive", "GET"):                 Access(  401,   405,   405,   405,   403),
    ("api_obligation_waive", "POST"):                Access(  401,   403,   400,   403,   403),
    ("api_obligation_delay_reason", "GET"):          Access(  401,   405,   405,   405,   403),
    ("api_obligation_delay_reason", "POST"):         Access(  401,   400,   400,   403,   403),
    ("api_registers", "GET"):                        Access(  401,   200,   200,   200,   403),
    ("api_register", "GET"):                         Access(  401,   200,   200,   200,   403),
    ("api_organisations", "GET"):                    Access(  401,   200,   200,   200,   403),
    ("api_breach_record", "GET"):                    Access(  401,   200,   200,   200,   403),
    ("api_token_current", "GET"):                    Access(  401,   405,   405,   405,   403),
    # Revoking one's own token changes no incident, so an auditor may.
    ("api_token_current", "DELETE"):                 Access(  401,   204,   204,   204,   403),
    ("api_schema", "GET"):                           Access(  401,   200,   200,   200,   403),
    # The schema's documentation is a page a person opens: without credentials, to log in.
    ("api_docs", "GET"):                             Access(LOGIN,   200,   200,   200,   403),
    ("api/^(?P<path>.*)$", "GET"):                   Access(  404,   404,   404,   404,   404),
}
# fmt: on


# The act a page's address names: one a lead may not do (deciding, waiving, approving), so that
# the table shows whether the view or only the service refuses it. The API's steps each have a
# pattern of their own; its pattern with a step in the address is left the names that are no step.
ACTS = {
    "incident_act": {"action": "decide"},
    "obligation_act": {"action": "waive"},
    "notice_act": {"act": "approve"},
    "api_incident_step": {"step": "no_such_step"},
    "api_notice_step": {"step": "no_such_step"},
}


@dataclass
class World:
    people: dict[str, User]
    incident: Incident
    other: Incident  # a second incident, whose address must not reach the first one's objects
    notice: Notice
    merge: Merge
    obligation: Obligation
    register: Register
    organisation: Organisation
    event: AuditEvent
    pages: dict[str, Client]
    api: dict[str, APIClient]

    def arguments(self, route: Route) -> dict[str, Any]:
        """The route's arguments: the ids of the objects above, by the parameter's name (and, for
        ``pk``, by the collection the address starts with)."""
        by_parameter: dict[str, Any] = {
            "key": self.incident.reference,
            "notice_id": self.notice.pk,
            "merge_id": self.merge.pk,
            "obligation_id": self.obligation.pk,
            "obligation_pk": self.obligation.pk,
            "register_pk": self.register.pk,
            "seq": self.event.seq,
        }
        pk_of = {
            "incidents": self.incident.pk,
            "notices": self.notice.pk,
            "merges": self.merge.pk,
            "registers": self.register.pk,
            "organisations": self.organisation.pk,
        }
        acts = ACTS.get(route.key, {})
        arguments: dict[str, Any] = {}
        for name in route.parameters:
            if name == "pk":
                arguments[name] = pk_of[route.route.removeprefix("api/").split("/")[0]]
            elif name in acts:
                arguments[name] = acts[name]
            else:
                assert name in by_parameter, f"{route.key}: say in World.arguments what fills <{name}>"
                arguments[name] = by_parameter[name]
        return arguments

    def path(self, route: Route) -> str:
        if route.regex:
            return UNNAMED_PATHS[route.key]
        return reverse(route.key, kwargs=self.arguments(route))


UNNAMED_PATHS = {"api/^(?P<path>.*)$": "/api/nothing/here/"}

ROUTES = [route for route in every_route() if route.namespace != "admin"]
ADMIN_PATHS = [
    "/admin/",
    "/admin/auth/user/",
    "/admin/auth/user/{lead}/change/",
    "/admin/auth/group/add/",
    "/admin/knox/authtoken/",
    "/admin/axes/accessattempt/",
    "/admin/password_change/",
]


def _world() -> World:
    people = {
        "lead": user_with_role("alice", "Alice", "Lead", Role.SECURITY_LEAD),
        "dpo": user_with_role("bob", "Bob", "Officer", Role.DPO),
        "auditor": user_with_role("charlie", "Charlie", "Auditor", Role.AUDITOR),
        "nobody": user_with_role("mallory", "Mallory", "Outsider", None),
    }
    lead, dpo = people["lead"], people["dpo"]
    incident = breach(lead, dpo)
    notice = approved(incident, lead, dpo, "fi")
    merge = merged(notice, lead, now=T0 + HOUR)
    assert merge.state == "done"
    register = incident.affected.get().register
    assert incident.organisation is not None  # the register's controller, handling the breach
    pages: dict[str, Client] = {"anonymous": Client()}
    api: dict[str, APIClient] = {"anonymous": APIClient()}
    for name, user in people.items():
        pages[name] = Client()
        pages[name].force_login(user)
        api[name] = APIClient()
        if name == "nobody":  # no token is issued without a role: the session is its way in
            api[name].force_login(user)
        else:
            api[name].credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return World(
        people=people,
        incident=incident,
        other=incident_logged(actor=lead, title="Phishing e-mail"),
        notice=notice,
        merge=merge,
        obligation=art33(incident),
        register=register,
        organisation=incident.organisation,
        event=AuditEvent.objects.order_by("seq")[0],
        pages=pages,
        api=api,
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The objects, built once for the module in a transaction rolled back after its last test;
    each test runs in a savepoint of it, as in any test with the database."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False), transaction.atomic():
        yield _world()
        transaction.set_rollback(True)


def ask(client: Client, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
    """One request that leaves nothing behind: what it writes is rolled back, and the client keeps
    the cookies it had (a logout, or a message left for the next page, goes with the request)."""
    cookies = copy.deepcopy(client.cookies)
    response: Any
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(path, data)
            elif isinstance(client, APIClient):
                response = client.generic(method, path, json.dumps(data or {}), "application/json")
            else:
                response = client.post(path, data or {})
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response


def outcome(response: HttpResponseBase) -> Outcome:
    """What a principal got, in the table's words."""
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("login")):
        return LOGIN
    if response.status_code == 302 and location.startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    return response.status_code


def _is_api(route: Route) -> bool:
    return route.route.startswith("api/")


def test_every_pattern_has_a_row_and_every_row_a_pattern() -> None:
    patterns = {route.key for route in ROUTES}
    rows = {key for key, _method in EXPECTED}
    missing = sorted(patterns - {key for key, method in EXPECTED if method == "GET"})
    assert not missing, (
        f"No row in EXPECTED for {missing}: add what each principal gets for a GET, and for each "
        "write the view takes, to tests/test_access_matrix.py."
    )
    assert not rows - patterns, f"Rows in EXPECTED for no pattern: {sorted(rows - patterns)}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[route.key for route in ROUTES])
def test_each_principal_gets_what_the_table_says(world: World, route: Route) -> None:
    path = world.path(route)
    clients = world.api if _is_api(route) else world.pages
    wrong = []
    for method in ("GET", *(API_WRITES if _is_api(route) else PAGE_WRITES)):
        expected = EXPECTED.get((route.key, method))
        if expected is None:
            # A write without a row must be one the view does not take, even from the DPO, who
            # holds every permission (404 only from the API's catch-all, which takes nothing).
            got = outcome(ask(clients["dpo"], method, path))
            if got not in (404, 405):
                wrong.append(f"{method} {path}: the DPO got {got}; add a row for {method}")
            continue
        got_all = Access(*(outcome(ask(clients[who], method, path)) for who in PRINCIPALS))
        if got_all != expected:
            wrong.append(f"{method} {path}:\n  expected {expected}\n  got      {got_all}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_django_admin_is_for_none_of_them(world: World) -> None:
    """None of the five is staff: each admin page sends the signed-in ones to the admin's login, and
    the anonymous visitor to a login page (the admin's index to its own, the rest to the product's)."""
    for address in ADMIN_PATHS:
        path = address.format(lead=world.people["lead"].pk)
        got = Access(*(outcome(ask(world.pages[who], "GET", path)) for who in PRINCIPALS))
        assert got.anonymous in (LOGIN, ADMIN_LOGIN), (path, got)
        assert got[1:] == (ADMIN_LOGIN,) * 4, (path, got)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["notice_download", "api_notice_document"])
def test_every_role_downloads_the_approved_document_itself(world: World, name: str) -> None:
    """Reading everything includes the approved notice: an auditor gets the file the DPO approved,
    byte for byte, not a new one made for them."""
    path = reverse(name, args=[world.notice.pk])
    clients = world.api if name.startswith("api_") else world.pages
    for who in ("lead", "dpo", "auditor"):
        response = ask(clients[who], "GET", path)
        assert hashlib.sha256(_body(response)).hexdigest() == world.notice.approved_sha256, who
        assert response["X-Content-SHA256"] == world.notice.approved_sha256


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["merge_download", "api_merge_result"])
def test_the_letters_are_for_those_who_send_them(world: World, name: str) -> None:
    """The merged letters hold every recipient's name and address: the lead and the DPO, who send
    them, download them; an auditor sees the merge and its hash but not the letters."""
    path = reverse(name, args=[world.merge.pk])
    clients = world.api if name.startswith("api_") else world.pages
    for who in ("lead", "dpo"):
        letters = _body(ask(clients[who], "GET", path))
        assert hashlib.sha256(letters).hexdigest() == world.merge.result_sha256
        assert len(zipfile.ZipFile(io.BytesIO(letters)).namelist()) == 3
    for who in ("auditor", "nobody"):
        assert ask(clients[who], "GET", path).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "fields"),
    [("audit_export", {"format": "jsonl"}), ("breach_record_export", {"format": "csv"})],
)
def test_the_exports_are_made_for_every_role_and_no_one_else(
    world: World, name: str, fields: dict[str, str]
) -> None:
    """Made as they are asked for and never stored, so there is no file to guess: what matters is
    who may ask. Exporting the trail and the breach record is every role's."""
    path = reverse(name)
    for who in ("lead", "dpo", "auditor"):
        response = ask(world.pages[who], "POST", path, fields)
        assert response.status_code == 200, who
        assert response["Content-Disposition"].startswith("attachment")
        assert _body(response)
    assert outcome(ask(world.pages["nobody"], "POST", path, fields)) == 403
    assert outcome(ask(world.pages["anonymous"], "POST", path, fields)) == LOGIN


# Addresses of one object, by the model whose next id guesses at the next one.
GUESSABLE: dict[str, type[Notice] | type[Merge] | type[AuditEvent]] = {
    "notice_detail": Notice,
    "notice_download": Notice,
    "merge_detail": Merge,
    "merge_download": Merge,
    "api_notice": Notice,
    "api_notice_document": Notice,
    "api_merge": Merge,
    "api_merge_result": Merge,
    "audit_event": AuditEvent,
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(GUESSABLE))
def test_the_next_id_is_no_such_object(world: World, name: str) -> None:
    model = GUESSABLE[name]
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    path = reverse(name, args=[(last or 0) + 1])
    client = world.api["dpo"] if name.startswith("api_") else world.pages["dpo"]
    assert ask(client, "GET", path).status_code == 404


@pytest.mark.django_db
def test_an_obligation_is_not_reached_through_another_incidents_address(world: World) -> None:
    path = reverse("obligation_act", args=[world.other.pk, world.obligation.pk, "met"])
    assert ask(world.pages["lead"], "POST", path).status_code == 404


def _stored(world: World) -> list[tuple[str, str, bytes]]:
    """Every file the breach has stored: its name in the storage, its path on disk, its bytes."""
    files = [world.merge.csv_file, world.merge.result, *(kept.file for kept in world.notice.files.all())]
    stored = []
    for file in files:
        with file.open("rb") as handle:
            stored.append((file.name, file.path, handle.read()))
    return stored


@pytest.mark.django_db
def test_no_stored_file_is_served_by_its_name_or_where_it_lies(world: World) -> None:
    """A stored name is made of what the API shows (a notice's file is named by its SHA-256, the
    letters by the merge's id and hash), so it must lead nowhere: no address serves the storage."""
    names = []
    for name, disk_path, data in _stored(world):
        names.append(name)
        for path in (f"/{name}", f"/media/{name}", f"/static/{name}", f"/api/{name}", disk_path):
            for who in ("anonymous", "lead"):
                response = ask(world.pages[who], "GET", path)
                assert response.status_code == 404, (path, who, response.status_code)
                assert data not in _body(response)
    assert len(names) == 3  # the recipients' file, the letters, and the notice's document


@pytest.mark.django_db
def test_no_page_or_answer_tells_where_a_file_is_stored(world: World) -> None:
    shown = [
        ask(world.api["dpo"], "GET", f"/api/merges/{world.merge.pk}/"),
        ask(world.api["dpo"], "GET", f"/api/notices/{world.notice.pk}/"),
        ask(world.pages["dpo"], "GET", reverse("merge_detail", args=[world.merge.pk])),
        ask(world.pages["dpo"], "GET", reverse("notice_detail", args=[world.notice.pk])),
    ]
    for name, disk_path, _data in _stored(world):
        for response in shown:
            assert name not in response.content.decode() and disk_path not in response.content.decode()
