"""manage.py api_token: the token printed once, kept only as a hash, listed and revoked."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from knox.models import AuthToken
from rest_framework.test import APIClient

from incidents.models import AuditEvent


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_the_token_is_printed_once_and_stored_only_as_its_hash(lead: User) -> None:
    token, note = run("alice", "--days", "30")
    assert token.startswith("bc_") and len(token) == 3 + 64
    assert "shown only this once" in note
    (row,) = AuthToken.objects.filter(user=lead)
    assert row.digest == hashlib.sha512(token.encode()).hexdigest()
    assert token not in {row.digest, row.token_key}
    assert round((row.expiry - row.created).total_seconds() / 86400) == 30
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/incidents/").status_code == 200
    assert AuditEvent.objects.filter(action="api_token.issued", object_id=row.token_key).exists()


def test_tokens_are_listed_and_revoked(lead: User) -> None:
    token, _note = run("alice")
    listing, _ = run("alice", "--list")
    assert token[:15] in listing and token not in listing
    with pytest.raises(CommandError, match="at least its first 6 characters"):
        run("alice", "--revoke", "bc_")
    run("alice", "--revoke", token[:10])
    assert not AuthToken.objects.exists()
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/incidents/").status_code == 401


def test_no_token_for_an_unknown_or_roleless_user(outsider: User) -> None:
    with pytest.raises(CommandError, match="nobody: no such user"):
        run("nobody")
    with pytest.raises(CommandError, match="mallory has no role"):
        run("mallory")
    assert not AuthToken.objects.exists()


def test_revoking_all_tokens_of_a_user(lead: User) -> None:
    run("alice")
    run("alice")
    run("alice", "--revoke-all")
    assert not AuthToken.objects.exists()
    with pytest.raises(CommandError, match="alice: no token to revoke"):
        run("alice", "--revoke-all")


@pytest.mark.parametrize("days", ["0", "-5", "3651", "999999999", "99999999999"])
def test_a_period_out_of_range_is_an_error_naming_the_option_and_no_token_is_issued(
    lead: User, days: str
) -> None:
    with pytest.raises(CommandError, match=r"--days: give 1 to 3650 days"):
        run("alice", "--days", days)
    assert not AuthToken.objects.exists()


def test_ten_years_is_the_longest_a_token_is_valid(lead: User) -> None:
    run("alice", "--days", "3650")
    token = AuthToken.objects.get()
    assert token.expiry is not None
    assert abs(token.expiry - token.created - timedelta(days=3650)) < timedelta(seconds=1)
