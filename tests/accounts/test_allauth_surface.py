"""What of django-allauth is reachable: no self-service e-mail pages, a working 2FA set-up."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import hotp_value
from django.urls import URLResolver, get_resolver, reverse

from tests.accounts.factories import PASSWORD
from tests.conftest import logged_in_by_form

pytestmark = pytest.mark.django_db

# allauth's pages this portal uses; a new one appearing with an allauth upgrade or a setting
# must be looked at (and, if it is a portal page, put in the permission matrix) before it ships.
EXPECTED_ALLAUTH_PAGES = {
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",  # answers "sign-up is closed"
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "account_email",  # shadowed: answers 404, see portal/urls.py
    "account_email_verification_sent",  # shadowed
    "account_confirm_email",  # shadowed
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "mfa_index",
    "mfa_authenticate",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "usersessions_list",
}


def _allauth_names(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from _allauth_names(entry)
        elif getattr(entry.callback, "__module__", "").startswith("allauth."):
            yield entry.name


def test_the_allauth_pages_are_the_expected_ones():
    assert set(_allauth_names()) == EXPECTED_ALLAUTH_PAGES


@pytest.mark.parametrize(
    "path", ["/accounts/email/", "/accounts/confirm-email/", "/accounts/confirm-email/abc:def/"]
)
def test_people_cannot_change_their_own_email(viewer, path):
    client = logged_in_by_form(viewer)
    assert client.get(path).status_code == HTTPStatus.NOT_FOUND
    response = client.post(path, {"action_add": "", "email": "someone.else@example.com"})
    assert response.status_code == HTTPStatus.NOT_FOUND
    viewer.refresh_from_db()
    assert viewer.email == "anne@rodelente.example"
    assert not EmailAddress.objects.filter(email="someone.else@example.com").exists()


def test_two_factor_login_is_turned_on_through_the_pages(viewer):
    # An unverified address row (as allauth may create) must not block two-factor login.
    EmailAddress.objects.create(user=viewer, email=viewer.email, verified=False, primary=True)
    client = logged_in_by_form(viewer)
    response = client.get(reverse("mfa_activate_totp"))
    # allauth asks for the password once more before security settings change
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    secret = response.context["form"].secret
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == HTTPStatus.FOUND
    assert Authenticator.objects.filter(user=viewer, type=Authenticator.Type.TOTP).exists()
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Inloggen in twee stappen aanzetten" not in page
