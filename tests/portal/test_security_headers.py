"""The headers SECURITY.md promises, on a logged-in portal page."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_portal_pages_send_the_security_headers(viewer):
    response = logged_in(viewer).get(reverse("portal:organisation_home"))
    assert response.status_code == HTTPStatus.OK
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_hsts_is_sent_over_https_for_a_year_with_subdomains(viewer, settings):
    from django.conf import settings as live

    assert live.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = logged_in(viewer).get(reverse("portal:organisation_home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("account_login"))
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "https://testserver" + reverse("account_login")


def test_the_session_cookie_is_http_only(viewer, client):
    from tests.accounts.factories import PASSWORD

    response = client.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"] is True
    assert response.cookies["portal_device"]["httponly"] is True
