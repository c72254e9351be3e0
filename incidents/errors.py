"""Errors a user can cause, with messages meant for that user."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refusal the user can act on. ``field`` names the form or API field at fault, if one is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The incident or obligation the user named does not exist."""


class TransitionRefused(DomainError):
    """A lifecycle step that is not possible now, with every reason why."""

    def __init__(self, action: str, reasons: Sequence[str]) -> None:
        self.reasons = list(reasons)
        super().__init__(
            _("Cannot %(step)s: %(reasons)s") % {"step": action, "reasons": "; ".join(self.reasons)}
        )


class ChangedMeanwhile(DomainError):
    """Someone else changed the object after this user loaded it (a lost update was prevented)."""

    def __init__(self, what: str) -> None:
        super().__init__(
            _("Someone else changed %(what)s meanwhile. Reload the page to see their change, then try again.")
            % {"what": what}
        )
