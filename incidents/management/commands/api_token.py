from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from incidents.api.tokens import MAX_TTL, api_token_issue, api_token_revoke, api_tokens_of
from incidents.audit.context import SYSTEM
from incidents.errors import DomainError


class Command(BaseCommand):
    help = (
        "Issue an API token to a user and print it once (only its hash is kept), list the user's "
        "tokens, or revoke them. Every issue and revocation is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--days", type=int, help="Valid for this many days (default: API_TOKEN_TTL_DAYS)."
        )
        parser.add_argument("--list", action="store_true", help="List the user's tokens; issue none.")
        parser.add_argument("--revoke", metavar="TOKEN_START", help="Revoke the token that starts with this.")
        parser.add_argument("--revoke-all", action="store_true", help="Revoke every token of the user.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"{options['username']}: no such user.")
        now = timezone.now()
        tokens = api_tokens_of(user)
        if options["list"]:
            for token in tokens:
                expiry = token.expiry.isoformat() if token.expiry else "never"
                self.stdout.write(f"{token.token_key}…  issued {token.created.isoformat()}  expires {expiry}")
            return
        if options["revoke"] or options["revoke_all"]:
            start = options["revoke"] or ""
            chosen = [token for token in tokens if options["revoke_all"] or token.token_key.startswith(start)]
            if start and len(start) < 6:
                raise CommandError("Name the token by at least its first 6 characters (see --list).")
            if not chosen:
                raise CommandError(f"{user.get_username()}: no token to revoke (see --list).")
            if start and len(chosen) > 1:
                raise CommandError(f"{start}: more than one token starts so; give more characters.")
            for token in chosen:
                api_token_revoke(token=token, actor=SYSTEM, now=now)
                self.stdout.write(f"Revoked {token.token_key}…")
            return
        days = options["days"]
        if days is not None and not 1 <= days <= MAX_TTL.days:
            raise CommandError(f"--days: give 1 to {MAX_TTL.days} days (ten years at most); {days} is not.")
        ttl = timedelta(days=days) if days is not None else None
        try:
            token, secret = api_token_issue(user=user, actor=SYSTEM, ttl=ttl, now=now)
        except DomainError as error:
            raise CommandError(error.message) from None
        # The token on stdout alone, so that a script can capture it; the rest goes to stderr.
        self.stdout.write(secret)
        expiry = token.expiry.isoformat() if token.expiry else "never"
        self.stderr.write(
            f"API token for {user.get_username()}, expires {expiry}. It is shown only this once."
        )
