"""Login, logout, the dashboard and who may see what, as a browser without JavaScript sees them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, signed_in
from tests.url_support import every_route


def _every_path() -> list[str]:
    """A concrete path for every URL pattern of the product (and the admin's index and a list),
    made by filling each parameter with a value of its kind; the API's catch-all is left out."""
    product = [route.path() for route in every_route() if route.namespace != "admin" and not route.regex]
    return ["/admin/", "/admin/auth/user/", *product]


OPEN_TO_ANONYMOUS = {"/accounts/login/", "/i18n/setlang/"}
# Under /api/ but a page a person opens (the API's documentation), so sent to log in, not 401.
API_PAGES = {"/api/docs/"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", _every_path())
def test_no_page_or_api_call_serves_an_anonymous_visitor(client: Client, path: str) -> None:
    """Every page sends an anonymous visitor to the login page and every API call answers 401;
    only the login page and the language switch are open."""
    response = client.get(path)
    if path in OPEN_TO_ANONYMOUS:
        assert response.status_code in (200, 302, 405)
        return
    if path.startswith("/api/") and path not in API_PAGES:
        assert response.status_code == 401, (path, response.status_code)
    else:
        assert response.status_code == 302, (path, response.status_code)
        assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_the_login_page_is_open_and_a_wrong_password_is_refused(client: Client, lead: User) -> None:
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b"Log in" in page.content
    refused = client.post(reverse("login"), {"username": "alice", "password": "not it"})
    assert refused.status_code == 200
    assert b"Please enter a correct username and password" in refused.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_security_lead_logs_in_and_sees_name_and_role(client: Client, lead: User) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    html = response.content.decode()
    assert "Alice Lead" in html
    assert '<span class="user-role" data-testid="role">Security lead</span>' in html
    assert "Log, edit, triage, confirm, dismiss and assess incidents" in html
    assert "Approve notices and record them as sent" not in html


def test_the_dashboard_lists_what_each_role_may_do(dpo: User, auditor: User) -> None:
    dpo_page = signed_in(dpo).get("/").content.decode()
    assert "Data protection officer" in dpo_page
    assert "Approve notices and record them as sent" in dpo_page
    auditor_page = signed_in(auditor).get("/").content.decode()
    assert '<span class="user-role" data-testid="role">Auditor</span>' in auditor_page
    assert "Verify and export the audit trail" in auditor_page
    assert "Log, edit, triage" not in auditor_page


def test_a_user_without_a_role_is_told_so(outsider: User) -> None:
    page = signed_in(outsider).get("/").content.decode()
    assert "Your account has no role yet" in page


def test_logout_ends_the_session(lead: User) -> None:
    client = signed_in(lead)
    assert client.get("/").status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_logout_by_a_plain_link_is_refused(lead: User) -> None:
    """A GET must not log anyone out (an image tag on another site could do it)."""
    client = signed_in(lead)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get("/").status_code == 200


def test_django_admin_is_for_staff_only(dpo: User) -> None:
    client = signed_in(dpo)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    dpo.is_staff = True
    dpo.save()
    assert signed_in(dpo).get("/admin/").status_code == 200


@pytest.mark.parametrize(("language", "heading"), [("fi", "Kirjaudu sisään"), ("sv", "Logga in")])
@pytest.mark.django_db
def test_the_login_page_speaks_finnish_and_swedish(client: Client, language: str, heading: str) -> None:
    response = client.get(reverse("login"), headers={"accept-language": language})
    assert f"<h1>{heading}</h1>" in response.content.decode()


def _sign_in(client: Client, user: User) -> str:
    """Through the login page, as a person does; the first page's language."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    html_lang = response.content.decode().split('<html lang="', 1)[1]
    return html_lang.split('"', 1)[0]


def test_signing_in_on_another_browser_brings_the_language_chosen_before(lead: User) -> None:
    signed_in(lead).post(reverse("set_language"), {"language": "sv", "next": "/"})
    another = Client(headers={"accept-language": "fi"})  # a browser that would ask for Finnish
    assert _sign_in(another, lead) == "sv"
    assert "Logga ut" in another.get("/").content.decode()


def test_a_language_chosen_on_the_login_page_wins_and_is_kept_for_the_e_mails(lead: User) -> None:
    from incidents.models import Profile

    signed_in(lead).post(reverse("set_language"), {"language": "sv", "next": "/"})
    browser = Client()
    browser.post(reverse("set_language"), {"language": "fi", "next": "/accounts/login/"})
    assert _sign_in(browser, lead) == "fi"
    assert Profile.objects.get(user=lead).language == "fi"


def test_someone_who_never_chose_gets_the_browsers_language_and_no_profile(lead: User) -> None:
    from incidents.models import Profile

    assert _sign_in(Client(headers={"accept-language": "fi"}), lead) == "fi"
    assert _sign_in(Client(headers={"accept-language": "sv"}), lead) == "sv"
    assert not Profile.objects.exists()


def test_the_chosen_language_is_kept(lead: User) -> None:
    client = signed_in(lead)
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="fi">' in page
    assert "Kirjaudu ulos" in page
