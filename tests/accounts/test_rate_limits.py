"""Rate limits (R4): failed logins lock the address for a while; the user is told until when."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_the_counters_live_in_the_shared_database_cache(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_failed_logins_lock_the_address_then_it_recovers(viewer, time_machine):
    start = timezone.now().replace(second=0, microsecond=0)
    time_machine.move_to(start, tick=False)
    client = Client()
    for _attempt in range(5):  # 5 failures per address in 5 minutes
        response = _login(client, viewer.email, "wrong")
        assert "niet correct" in response.content.decode()

    # Locked: even the right password is refused, and the page says until when.
    response = _login(client, viewer.email, PASSWORD)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in client.session
    until = timezone.localtime(start + timedelta(minutes=5)).strftime("%H:%M")
    assert f"Te veel mislukte inlogpogingen. Probeer het opnieuw na {until}" in page
    assert "over ongeveer 5 minuten" in page

    time_machine.move_to(start + timedelta(minutes=5, seconds=1), tick=False)
    response = _login(client, viewer.email, PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_the_lock_is_per_address(viewer, admin, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    for _attempt in range(5):
        _login(Client(), viewer.email, "wrong")
    assert _login(Client(), admin.email, PASSWORD).status_code == HTTPStatus.FOUND


def test_password_reset_requests_are_limited(viewer):
    client = Client()
    for _attempt in range(5):
        response = client.post(reverse("account_reset_password"), {"email": viewer.email})
        assert response.status_code == HTTPStatus.FOUND
    response = client.post(reverse("account_reset_password"), {"email": viewer.email})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Te veel pogingen" in response.content.decode()


def test_the_admin_login_goes_through_the_same_protection(client, staff):
    response = client.get(reverse("admin:login"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    for _attempt in range(5):
        _login(client, staff.email, "wrong")
    page = _login(client, staff.email, PASSWORD).content.decode()
    assert "Te veel mislukte inlogpogingen" in page
