"""Home, the launcher (R5): the apps a user holds; with exactly one, straight into it."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import Membership
from tests.accounts.factories import SupportMembershipFactory
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def test_organisation_user_goes_straight_in(viewer):
    response = logged_in(viewer).get(reverse("portal:home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:organisation_home")


def test_support_only_user_goes_to_the_support_portal(support_user, settings):
    settings.SUPPORT_PORTAL_URL = "https://support.vendor.example/"
    response = logged_in(support_user).get(reverse("portal:home"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "https://support.vendor.example/"


def test_user_with_both_apps_sees_both_tiles(viewer, organisation, settings):
    settings.SUPPORT_PORTAL_URL = "https://support.vendor.example/"
    SupportMembershipFactory(user=viewer, organisation=organisation)
    response = logged_in(viewer).get(reverse("portal:home"))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert 'data-tile="organisation"' in content
    assert 'data-tile="support"' in content
    assert 'href="https://support.vendor.example/"' in content
    assert 'data-tile="admin"' not in content


def test_staff_with_organisation_access_sees_management_tile(viewer):
    viewer.is_staff = True
    viewer.save()
    content = logged_in(viewer).get(reverse("portal:home")).content.decode()
    assert 'data-tile="organisation"' in content
    assert 'data-tile="admin"' in content


def test_user_without_access_is_told_so(viewer):
    Membership.objects.filter(user=viewer).delete()
    response = logged_in(viewer).get(reverse("portal:home"))
    assert response.status_code == HTTPStatus.OK
    assert "Je hebt nog geen toegang" in response.content.decode()


def test_organisation_home_shows_organisation_and_role(viewer_client):
    content = viewer_client.get(reverse("portal:organisation_home")).content.decode()
    assert "Rode Lente" in content
    assert 'data-testid="role">Viewer' in content


def test_health_endpoint_answers_without_login(client):
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_endpoint_reports_database_failure(client, monkeypatch):
    from django.db import DatabaseError

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("portal.views.database_pool", lambda: None)
    monkeypatch.setattr("portal.views.connection.cursor", broken)
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["database"] == "unavailable"


def test_favicon_is_public(client):
    response = client.get("/favicon.ico")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/static/favicon.svg"
