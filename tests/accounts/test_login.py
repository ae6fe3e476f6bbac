"""Signing in (R1): by e-mail, case-insensitive, no sign-up, logout by POST."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_by_email_lands_on_home(client, viewer):
    response = client.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:organisation_home")).status_code == HTTPStatus.OK


def test_login_email_is_case_insensitive(client, viewer):
    response = client.post(
        reverse("account_login"), {"login": viewer.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND


def test_wrong_password_is_refused_with_a_message(client, viewer):
    response = client.post(reverse("account_login"), {"login": viewer.email, "password": "nope"})
    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session
    assert "niet correct" in response.content.decode()


def test_inactive_user_cannot_log_in(client, viewer):
    viewer.is_active, viewer.inactive_reason = False, "blocked"
    viewer.save()
    client.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "Sup3r-secret!", "password2": "Sup3r-secret!"},
    )
    assert response.status_code == HTTPStatus.OK
    from accounts.models import User

    assert not User.objects.filter(email="new@example.com").exists()


def test_logout_needs_post(viewer_client):
    response = viewer_client.get(reverse("account_logout"))
    assert response.status_code == HTTPStatus.OK  # a confirmation page, still logged in
    assert "_auth_user_id" in viewer_client.session
    response = viewer_client.post(reverse("account_logout"))
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in viewer_client.session


def test_pages_need_login(client):
    response = client.get(reverse("portal:organisation_home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_a_deactivated_contact_is_told_only_with_the_right_password_and_within_the_budget(
    viewer,
):
    """SECURITY.md "Deactivated accounts": the right password of a deactivated contact leads
    to the page saying the account is deactivated (so the person knows why and whom to ask),
    a wrong one to the same form error as any wrong password, and guesses count against the
    same budget: after 5 failures the right password no longer tells anything either."""
    cache.clear()
    viewer.is_active, viewer.inactive_reason = False, "deactivated"
    viewer.save(update_fields=["is_active", "inactive_reason"])
    client = Client()
    response = client.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert response["Location"] == reverse("account_inactive")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Account gedeactiveerd" in page
    assert viewer.first_name not in page and viewer.email not in page

    for _attempt in range(5):
        page = client.post(reverse("account_login"), {"login": viewer.email, "password": "x"})
        assert "niet correct" in page.content.decode()
    response = client.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.OK
    assert "Te veel mislukte inlogpogingen. Probeer het opnieuw na" in response.content.decode()
    cache.clear()
