"""The API's documentation page (/api/docs/): Swagger UI on the schema, from our own static files,
with no inline script, for whoever may read the schema."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.api_support import api_as
from tests.conftest import signed_in

DOCS = reverse("api_docs")
SIDECAR = "/static/drf_spectacular_sidecar/swagger-ui-dist"


def test_each_role_reads_the_docs_from_the_sites_own_files(lead: User, dpo: User, auditor: User) -> None:
    for user in (lead, dpo, auditor):
        response = signed_in(user).get(DOCS)
        assert response.status_code == 200, user
        page = response.content.decode()
        assert '<script src="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js">' in page
        assert (
            '<link rel="stylesheet" href="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css">'
            in page
        )
        # Everything it loads is the site's: no CDN, no inline script or style.
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
        assert "<style" not in page and " style=" not in page
        assert "no-store" in response["Cache-Control"]


def test_the_start_up_script_is_a_file_that_loads_the_schema(auditor: User) -> None:
    page = signed_in(auditor).get(DOCS).content.decode()
    src = re.search(r'<script src="(/api/docs/\?[^"]*)"></script>', page)
    assert src is not None
    script = signed_in(auditor).get(src[1])
    assert script.status_code == 200
    assert script["Content-Type"] == "application/javascript"
    assert "no-store" in script["Cache-Control"]  # it carries the session's CSRF token
    assert 'url: "/api/schema/"' in script.content.decode()
    assert '"validatorUrl": null' in script.content.decode()  # no badge fetched from swagger.io


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_log_in_and_back(client: Client) -> None:
    response = client.get(DOCS)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={DOCS}"


def test_a_user_without_a_role_is_refused_on_the_products_page(outsider: User) -> None:
    refused = signed_in(outsider).get(DOCS)
    assert refused.status_code == 403
    assert 'data-testid="forbidden"' in refused.content.decode()
    assert signed_in(outsider).get(DOCS, {"script": ""}).status_code == 403


def test_a_token_reads_them_as_it_reads_the_schema(lead: User) -> None:
    assert api_as(lead).get(DOCS).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "swagger-ui-dist/swagger-ui-bundle.js",
        "swagger-ui-dist/swagger-ui-standalone-preset.js",
        "swagger-ui-dist/swagger-ui.css",
        "swagger-ui-dist/favicon-32x32.png",
        "redoc/bundles/redoc.standalone.js",
    ],
)
def test_the_sidecars_files_are_static_files_of_the_site(name: str) -> None:
    """Found by the static files finders, so runserver (`make run`) serves them and collectstatic
    gathers them for WhiteNoise in production."""
    assert finders.find(f"drf_spectacular_sidecar/{name}")
