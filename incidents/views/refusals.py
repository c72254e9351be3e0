"""Post / redirect / get for a refused form: the refusal (what was typed, and every error) is kept
in the session and the browser is sent back to the page the form is on, which shows it again. The
address is then the page's own, so a reload shows the page rather than sending the form again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict, ErrorList
from django.http import HttpRequest, HttpResponseRedirect, QueryDict

SESSION_KEY = "refused_form"


@dataclass(frozen=True)
class Refusal:
    page: str  # the path of the page the form is on
    prefix: str  # the form's prefix: which form of the page it was
    data: dict[str, list[str]]
    errors: dict[str, list[dict[str, str]]]
    changed_meanwhile: bool = False

    def form(self, make: Callable[[QueryDict, str], forms.Form]) -> forms.Form:
        """The form as it was refused: bound to what was typed, with the errors it was refused with
        (a service's refusal too, which validating the data again would not give)."""
        data = QueryDict(mutable=True)
        for key, values in self.data.items():
            data.setlist(key, values)
        form = make(data, self.prefix)
        form.cleaned_data = {}
        form._errors = ErrorDict(  # type: ignore[attr-defined]
            {
                field: ErrorList([ValidationError(error["message"], code=error["code"]) for error in errors])
                for field, errors in self.errors.items()
            }
        )
        return form


def refusal_redirect(
    request: HttpRequest,
    page: str,
    prefix: str,
    form: forms.Form | None,
    *,
    anchor: str = "",
    changed_meanwhile: bool = False,
) -> HttpResponseRedirect:
    """Keep the refusal for ``page`` and send the browser there (303 See Other)."""
    data: dict[str, Any] = {
        key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"
    }
    request.session[SESSION_KEY] = {
        "page": page,
        "prefix": prefix,
        "data": data,
        "errors": form.errors.get_json_data() if form is not None else {},
        "changed_meanwhile": changed_meanwhile,
    }
    response = HttpResponseRedirect(f"{page}#{anchor}" if anchor else page)
    response.status_code = 303
    return response


def refusal_pop(request: HttpRequest) -> Refusal | None:
    """The refusal kept for this page, once: a later visit shows the page as it is."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("page") != request.path:
        return None
    del request.session[SESSION_KEY]
    return Refusal(**kept)
