"""The Content-Security-Policy: everything from the site itself, nothing inline, on every page; and
no template relies on an inline script or handler that the policy would stop."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import signed_in

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.mark.django_db
def test_every_page_carries_a_policy_without_unsafe_inline(lead: User) -> None:
    for response in (
        signed_in(lead).get("/"),
        signed_in(lead).get("/registers/"),
        Client().get("/accounts/login/"),
    ):
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert not re.search(r"\sstyle\s*=", text), template


@pytest.mark.django_db
def test_the_language_switch_is_a_script_file_of_the_site(lead: User) -> None:
    page = signed_in(lead).get("/").content.decode()
    assert re.search(r'<script src="/static/js/language\.js" defer></script>', page)
    assert 'id="language-select"' in page and "onchange" not in page
