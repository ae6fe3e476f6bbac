"""The profile page: name, language, password (ends other sessions), two-factor login."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD
from tests.conftest import logged_in_by_form

pytestmark = pytest.mark.django_db


def test_profile_is_in_the_user_menu(viewer_client):
    page = viewer_client.get(reverse("portal:organisation_home")).content.decode()
    assert f'href="{reverse("accounts:profile")}"' in page


def test_profile_changes_name_and_language(viewer_client, viewer):
    page = viewer_client.get(reverse("accounts:profile")).content.decode()
    assert "Inloggen in twee stappen aanzetten" in page
    response = viewer_client.post(
        reverse("accounts:profile"), {"first_name": "Annie", "last_name": "Amers", "language": "en"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.cookies["django_language"].value == "en"
    viewer.refresh_from_db()
    assert (viewer.first_name, viewer.last_name, viewer.language) == ("Annie", "Amers", "en")
    page = viewer_client.get(reverse("accounts:profile")).content.decode()
    assert "Your profile has been saved." in page


def test_profile_requires_a_name_and_a_known_language(viewer_client, viewer):
    response = viewer_client.post(
        reverse("accounts:profile"), {"first_name": "", "last_name": "X", "language": "xx"}
    )
    assert response.status_code == HTTPStatus.OK
    viewer.refresh_from_db()
    assert viewer.first_name == "Anne"


def test_changing_the_password_ends_the_other_sessions(viewer):
    here = logged_in_by_form(viewer)
    elsewhere = logged_in_by_form(viewer)
    elsewhere_key = elsewhere.session.session_key
    response = here.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Nieuw-Wacht-2026!",
            "password2": "Nieuw-Wacht-2026!",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not Session.objects.filter(session_key=elsewhere_key).exists()
    assert here.get(reverse("portal:organisation_home")).status_code == HTTPStatus.OK
    assert elsewhere.get(reverse("portal:organisation_home")).status_code == HTTPStatus.FOUND


def test_two_factor_login_asks_for_a_code(viewer):
    secret = generate_totp_secret()
    TOTP.activate(viewer, secret)
    client = Client()
    response = client.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == HTTPStatus.OK
    code = f"{hotp_value(secret, int(__import__('time').time()) // 30):06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_mfa_pages_render_in_the_portal_layout(viewer):
    client = logged_in_by_form(viewer)
    page = client.get(reverse("mfa_activate_totp"), follow=True).content.decode()
    assert "Mijn organisatie" in page
    assert 'class="navbar-brand' in page
