"""allauth's pages that were rough for a new user (issue 9): each says what to do next."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.language import language_is_supported
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_the_login_page_links_to_forgot_password_once(client):
    page = client.get(reverse("account_login")).content.decode()
    assert page.count("Wachtwoord vergeten") == 1
    assert page.count(f'href="{reverse("account_reset_password")}"') == 1
    assert "Wachtwoord vergeten?</a>" in page


def test_sign_up_says_the_organisations_admin_creates_accounts(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Vraag je Admin om toegang" in page
    assert "Accounts worden aangemaakt door een Admin van je organisatie" in page
    assert "momenteel" not in page


def test_an_inactive_account_is_told_who_can_help(client):
    page = client.get(reverse("account_inactive")).content.decode()
    assert "Account gedeactiveerd" in page
    assert "Vraag het aan een Admin van je organisatie" in page
    assert f'href="{reverse("account_login")}"' in page


@pytest.mark.parametrize(
    ("seconds", "dutch", "english"),
    [
        (2 * 3600, "die is 2 uur geldig", "it is valid for 2 hours"),
        (3600, "die is 1 uur geldig", "it is valid for 1 hour and"),
    ],
)
def test_the_reset_pages_state_the_lifetime_of_the_setting(
    client, settings, seconds, dutch, english
):
    settings.PASSWORD_RESET_TIMEOUT = seconds
    assert dutch in client.get(reverse("account_reset_password")).content.decode()
    client.cookies["django_language"] = "en"
    assert english in client.get(reverse("account_reset_password")).content.decode()
    hours = seconds // 3600
    done = client.get(reverse("account_reset_password_done")).content.decode()
    assert f"The link is valid for {hours} hour" in done
    expired = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "y"})
    ).content.decode()
    assert f"A link is valid for {hours} hour" in expired


def test_the_change_password_form_uses_the_portals_words(viewer):
    from tests.conftest import logged_in_by_form

    client = logged_in_by_form(viewer)
    client.cookies["django_language"] = "en"
    viewer.language = "en"
    viewer.save(update_fields=["language"])
    page = client.get(reverse("account_change_password")).content.decode()
    for text in ("Current password", "New password", "New password (again)", "Forgot password?"):
        assert text in page
    for text in ("Current Password", "New Password", "Forgot your password?"):
        assert text not in page


@pytest.mark.parametrize(
    ("code", "supported"), [("nl", True), ("en", True), ("de", False), ("", False), (None, False)]
)
def test_language_is_supported(code, supported):
    assert language_is_supported(code) is supported


def test_django_admin_names_third_party_apps_and_tools_in_dutch(staff):
    client = logged_in(staff)
    index = client.get(reverse("admin:index")).content.decode()
    for dutch in ("Inlogsessies", "Achtergrondtaken", "Taakresultaten"):
        assert dutch in index
    for english in ("User Sessions", "Tasks Database Backend", "Task Results", ">MFA<"):
        assert english not in index
    changelist = client.get(reverse("admin:accounts_membership_changelist")).content.decode()
    assert "Zoek in toegangen" in changelist
    assert "Pagina's van toegangen" in changelist
    for english in ("Search ", "Pagination "):
        assert english not in changelist
    activity = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "Filter op wanneer" in activity
    assert "Filter by" not in activity
