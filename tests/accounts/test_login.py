"""Signing in (R1): by e-mail, case-insensitive, no sign-up, logout by POST."""

from __future__ import annotations

from http import HTTPStatus

import pytest
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
