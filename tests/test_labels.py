"""Every form control on the main pages has a label a screen reader announces: a <label for=...>,
a label around it, or aria-label / aria-labelledby. Hidden inputs and buttons need none."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User

from incidents.models import DataItem
from tests.builders import assessed, confirmed
from tests.conftest import signed_in
from tests.factories import incident_logged, register_made
from tests.merge_support import approved, breach

pytestmark = pytest.mark.usefixtures("frozen_at_t0")

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_KINDS = {"hidden", "submit", "button", "reset", "image"}


class _Controls(HTMLParser):
    """The page's form controls, and which ids its labels name."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.inside_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "label":
            self.inside_label += 1
            if attributes.get("for"):
                self.labelled.add(str(attributes["for"]))
        elif tag in CONTROLS and (attributes.get("type") or "text") not in UNLABELLED_KINDS:
            self.controls.append(attributes | {"tag": tag, "wrapped": "yes" if self.inside_label else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.inside_label:
            self.inside_label -= 1


def unlabelled(html: str) -> list[str]:
    parser = _Controls()
    parser.feed(html)
    return [
        f"<{control['tag']} name={control.get('name')!r} id={control.get('id')!r}>"
        for control in parser.controls
        if not (
            control.get("wrapped")
            or control.get("aria-label")
            or control.get("aria-labelledby")
            or (control.get("id") and control["id"] in parser.labelled)
        )
    ]


def test_every_control_of_the_main_pages_has_a_label(lead: User, dpo: User) -> None:
    register = register_made(name="Asiakasrekisteri")
    DataItem.objects.create(register=register, position=1, text="Nimi", data_class=1, suggested_class=1)
    incident = assessed(confirmed(incident_logged(actor=lead, register=register), lead), lead)
    decided_breach = breach(lead, dpo)
    notice = approved(decided_breach, lead, dpo, "fi")
    pages = {
        "/": lead,
        "/incidents/new/": lead,
        f"/incidents/{incident.pk}/": lead,
        f"/incidents/{incident.pk}/#as-dpo": dpo,
        f"/incidents/{decided_breach.pk}/": dpo,
        f"/registers/{register.pk}/edit/": lead,
        f"/notices/{notice.pk}/": lead,
        "/registers/": lead,
        "/breach-record/": dpo,
        "/audit/": dpo,
    }
    missing = {}
    for path, user in pages.items():
        response = signed_in(user).get(path.split("#")[0])
        assert response.status_code == 200, path
        if problems := unlabelled(response.content.decode()):
            missing[path] = problems
    assert missing == {}
