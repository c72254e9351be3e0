"""Errors a user can cause, with messages meant for that user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refusal the user can act on. ``field`` names the form or API field at fault, if one is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The incident or obligation the user named does not exist."""


class Refusal(NamedTuple):
    """One reason a step cannot be taken, and the input or fact it names (None: no one field)."""

    message: str
    field: str | None


class TransitionRefused(DomainError):
    """A lifecycle step that is not possible now, with every reason why."""

    def __init__(self, action: str, refusals: Sequence[Refusal]) -> None:
        self.refusals = list(refusals)
        self.reasons = [refusal.message for refusal in self.refusals]
        super().__init__(
            _("Cannot %(step)s: %(reasons)s") % {"step": action, "reasons": "; ".join(self.reasons)}
        )

    @property
    def fields(self) -> dict[str, list[str]]:
        """The reasons by the field each names, for a client that marks the fields."""
        by_field: dict[str, list[str]] = {}
        for refusal in self.refusals:
            if refusal.field is not None:
                by_field.setdefault(refusal.field, []).append(refusal.message)
        return by_field


class ChangedMeanwhile(DomainError):
    """Someone else changed the object after this user loaded it (a lost update was prevented)."""

    def __init__(self, what: str) -> None:
        super().__init__(
            _("Someone else changed %(what)s meanwhile. Reload the page to see their change, then try again.")
            % {"what": what}
        )


def error_body(
    code: str,
    message: str,
    *,
    fields: dict[str, list[str]] | None = None,
    reasons: list[str] | None = None,
) -> dict[str, Any]:
    """The API's one error format (see incidents.api.errors), here so that a middleware of the
    pages can answer in it under /api/ too."""
    return {"error": {"code": code, "message": message, "fields": fields or {}, "reasons": reasons or []}}
