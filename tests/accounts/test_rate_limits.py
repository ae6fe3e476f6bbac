"""Rate limits (R4): failed logins lock the address for a while; the user is told until when."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from http import HTTPStatus
from importlib.metadata import version

import pytest
from django.apps import apps
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection
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


def test_the_counters_live_in_the_shared_database_table(viewer):
    """Every app process counts in one place: the failures are rows of the cache table, which
    all processes read, and without those rows the lock is gone (a per-process cache would
    let each gunicorn worker count on its own)."""
    client = Client()
    for _attempt in range(5):
        _login(client, viewer.email, "wrong")
    assert (
        "Te veel mislukte inlogpogingen" in _login(client, viewer.email, PASSWORD).content.decode()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM portal_cache")
        assert cursor.fetchone()[0] > 0
        cursor.execute("DELETE FROM portal_cache")
    assert _login(client, viewer.email, PASSWORD).status_code == HTTPStatus.FOUND


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

    # A minute before it frees: one minute, in the singular.
    time_machine.move_to(start + timedelta(minutes=4, seconds=10), tick=False)
    page = _login(client, viewer.email, PASSWORD).content.decode()
    assert "over ongeveer 1 minuut)." in page

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


# No targeted lockout (issue 11): failures count per address and client; an account-wide
# ceiling bounds IP rotation, and known devices pass it (accounts/lockout.py).

ATTACKER = "203.0.113.7"


def _login_from(client, ip, email, password):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_a_guesser_elsewhere_does_not_lock_the_owner_out(viewer):
    attacker = Client()
    for _attempt in range(5):
        _login_from(attacker, ATTACKER, viewer.email, "wrong")
    # The guesser is blocked for this address, even with the right password ...
    page = _login_from(attacker, ATTACKER, viewer.email, PASSWORD).content.decode()
    assert "Te veel mislukte inlogpogingen. Probeer het opnieuw na" in page
    assert "_auth_user_id" not in attacker.session
    # ... the owner, from their own client, is not.
    owner = Client()
    response = _login_from(owner, "198.51.100.20", viewer.email, PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    assert owner.session["_auth_user_id"] == str(viewer.pk)


def test_the_account_wide_ceiling_bounds_a_guesser_rotating_addresses(viewer, settings):
    settings.LOGIN_FAILED_ACCOUNT_CEILING = "20/h/key"
    for attempt in range(20):
        response = _login_from(Client(), f"203.0.113.{attempt + 1}", viewer.email, "wrong")
        assert "niet correct" in response.content.decode()
    # The 21st guess, from yet another address, is refused before the password is checked.
    client = Client()
    page = _login_from(client, "203.0.113.99", viewer.email, PASSWORD).content.decode()
    assert (
        "Te veel mislukte inlogpogingen voor dit account vanaf andere apparaten. Log in op een "
        "apparaat waarmee je eerder hebt ingelogd, of probeer het opnieuw na"
    ) in page
    assert "_auth_user_id" not in client.session


def test_the_ceiling_is_the_same_for_unknown_addresses(settings):
    settings.LOGIN_FAILED_ACCOUNT_CEILING = "3/h/key"
    for attempt in range(3):
        _login_from(Client(), f"203.0.113.{attempt + 1}", "nobody@example.com", "wrong")
    page = _login_from(Client(), "203.0.113.50", "nobody@example.com", "x").content.decode()
    assert "Te veel mislukte inlogpogingen voor dit account" in page


def test_the_owner_on_a_known_device_gets_in_during_an_attack(viewer, settings):
    settings.LOGIN_FAILED_ACCOUNT_CEILING = "20/h/key"
    owner = Client()
    assert _login_from(owner, "198.51.100.20", viewer.email, PASSWORD).status_code == 302
    assert "portal_device" in owner.cookies
    owner.post(reverse("account_logout"))
    # An attack from many addresses, one of them the owner's own (a shared office network).
    for attempt in range(25):
        _login_from(Client(), f"203.0.113.{attempt + 1}", viewer.email, "wrong")
    for _attempt in range(5):
        _login_from(Client(), "198.51.100.20", viewer.email, "wrong")
    response = _login_from(owner, "198.51.100.20", viewer.email, PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    assert owner.session["_auth_user_id"] == str(viewer.pk)


def test_a_known_device_cookie_of_another_account_does_not_pass_the_ceiling(
    viewer, admin, settings
):
    settings.LOGIN_FAILED_ACCOUNT_CEILING = "20/h/key"
    client = Client()
    _login_from(client, "198.51.100.20", admin.email, PASSWORD)
    client.post(reverse("account_logout"))
    for attempt in range(20):
        _login_from(Client(), f"203.0.113.{attempt + 1}", viewer.email, "wrong")
    page = _login_from(client, "198.51.100.20", viewer.email, PASSWORD).content.decode()
    assert "Te veel mislukte inlogpogingen voor dit account" in page


def test_a_forged_device_cookie_is_ignored(viewer, settings):
    settings.LOGIN_FAILED_ACCOUNT_CEILING = "20/h/key"
    for attempt in range(20):
        _login_from(Client(), f"203.0.113.{attempt + 1}", viewer.email, "wrong")
    client = Client()
    client.cookies["portal_device"] = '{"id":"x","accounts":["forged"]}'
    page = _login_from(client, "198.51.100.20", viewer.email, PASSWORD).content.decode()
    assert "Te veel mislukte inlogpogingen voor dit account" in page


def test_staff_get_into_admin_with_the_second_factor_during_an_attack(
    staff, settings, time_machine
):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    settings.LOGIN_FAILED_ACCOUNT_CEILING = "20/h/key"
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    def code():
        return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))

    # Staff logged in on this browser before (password and second factor).
    browser = Client()
    _login_from(browser, "198.51.100.20", staff.email, PASSWORD)
    browser.post(reverse("mfa_authenticate"), {"code": code()}, REMOTE_ADDR="198.51.100.20")
    assert browser.session["_auth_user_id"] == str(staff.pk)
    browser.post(reverse("account_logout"))
    # Guessers from many addresses: each is bounded, together they reach the ceiling.
    for _attempt in range(5):
        _login_from(Client(), ATTACKER, staff.email, "wrong")
    for attempt in range(20):
        _login_from(Client(), f"203.0.113.{attempt + 10}", staff.email, "wrong")
    page = _login_from(Client(), "203.0.113.200", staff.email, PASSWORD).content.decode()
    assert "Te veel mislukte inlogpogingen voor dit account" in page

    # A minute later (a code is good once), the staff member logs in to admin as usual.
    time_machine.move_to(start + timedelta(minutes=1), tick=False)
    response = browser.get(reverse("admin:index"))
    assert response.status_code == HTTPStatus.FOUND
    response = _login_from(browser, "198.51.100.20", staff.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    browser.post(reverse("mfa_authenticate"), {"code": code()}, REMOTE_ADDR="198.51.100.20")
    assert browser.session["_auth_user_id"] == str(staff.pk)
    assert browser.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_a_client_gets_ten_failed_logins_a_minute_whatever_the_addresses(
    viewer, admin, time_machine
):
    """The default policy, per client: 10 failures a minute from one IP address, spread over
    addresses so that none reaches its own 5; the 11th attempt is refused, even with the
    right password of another account, until the minute has passed."""
    start = timezone.now().replace(second=0, microsecond=0)
    time_machine.move_to(start, tick=False)
    for attempt in range(10):
        response = _login_from(Client(), ATTACKER, f"guess{attempt % 5}@example.com", "wrong")
        assert "niet correct" in response.content.decode()
    client = Client()
    page = _login_from(client, ATTACKER, admin.email, PASSWORD).content.decode()
    assert "Te veel mislukte inlogpogingen. Probeer het opnieuw na" in page
    assert "_auth_user_id" not in client.session
    # Another client is not affected, and this one is free again after the minute.
    assert _login_from(Client(), "198.51.100.20", viewer.email, PASSWORD).status_code == 302
    time_machine.move_to(start + timedelta(minutes=1, seconds=1), tick=False)
    assert _login_from(client, ATTACKER, admin.email, PASSWORD).status_code == HTTPStatus.FOUND


def test_the_default_account_wide_ceiling_is_a_hundred_failures_an_hour(viewer, time_machine):
    """The default ceiling, per account: 100 failures from 100 addresses pass (each address
    far below its own limits), the 101st guess is refused from any unknown client, and an
    hour later the owner gets in from a new browser again."""
    start = timezone.now().replace(second=0, microsecond=0)
    time_machine.move_to(start, tick=False)
    for attempt in range(100):
        ip = f"203.0.{113 + attempt // 50}.{attempt % 50 + 1}"
        response = _login_from(Client(), ip, viewer.email, "wrong")
        assert "niet correct" in response.content.decode()
    client = Client()
    page = _login_from(client, "198.51.100.99", viewer.email, PASSWORD).content.decode()
    assert "Te veel mislukte inlogpogingen voor dit account" in page
    assert "_auth_user_id" not in client.session
    time_machine.move_to(start + timedelta(hours=1, seconds=1), tick=False)
    response = _login_from(client, "198.51.100.99", viewer.email, PASSWORD)
    assert response.status_code == HTTPStatus.FOUND


def test_a_rate_limit_lock_left_by_a_dead_request_frees_within_two_seconds(viewer, monkeypatch):
    """allauth guards its counters with a lock in the cache. A request that dies holding it
    (the database went away before the lock could be deleted) blocks the client's resets
    until the lock expires: 2 s in the portal, not allauth's 10 s."""
    database_cache = caches["default"]

    def database_gone(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(database_cache, "delete", database_gone)
    dying = Client(raise_request_exception=False)
    response = dying.post(reverse("account_reset_password"), {"email": viewer.email})
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    died_at = time.monotonic()
    monkeypatch.undo()

    response = Client().post(reverse("account_reset_password"), {"email": viewer.email})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    time.sleep(max(0.0, died_at + 2.1 - time.monotonic()))
    response = Client().post(reverse("account_reset_password"), {"email": viewer.email})
    assert response.status_code == HTTPStatus.FOUND
    assert time.monotonic() - died_at < 10  # well before allauth's own lifetime would end


def test_the_portal_refuses_to_start_when_allauth_moved_the_lock_lifetime(monkeypatch):
    """The lifetime is an internal constant of allauth: a version without it (or with another
    type) stops the start with the version named, instead of silently keeping the 10 s."""
    from allauth.core.internal import ratelimit

    installed = version("django-allauth")
    accounts = apps.get_app_config("accounts")
    monkeypatch.delattr(ratelimit, "CACHE_LOCK_TIMEOUT")
    with pytest.raises(ImproperlyConfigured, match=f"django-allauth {re.escape(installed)} "):
        accounts.ready()
    monkeypatch.setattr(ratelimit, "CACHE_LOCK_TIMEOUT", "10", raising=False)
    with pytest.raises(ImproperlyConfigured, match=f"django-allauth {re.escape(installed)} "):
        accounts.ready()
    monkeypatch.setattr(ratelimit, "CACHE_LOCK_TIMEOUT", 10, raising=False)
    accounts.ready()  # the constant as allauth has it: the start goes on
