"""/healthz (readiness, with the database) and /livez (liveness, without): answered before
sessions and users are read, within 2 s, 503 while the database is away (issue 11)."""

from __future__ import annotations

import time
from http import HTTPStatus

import pytest
from django.db import OperationalError, connection, connections
from django.urls import reverse

from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the connection pool is PostgreSQL's"
)


def _break_the_database(monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("the database is away")

    monkeypatch.setattr("portal.views.database_pool", lambda: None)
    # Every query of Django fails: a session or user lookup would answer 500.
    monkeypatch.setattr(type(connections["default"]), "cursor", broken)


def test_health_check_with_a_session_cookie_reads_no_session_or_user(
    viewer, django_assert_max_num_queries
):
    client = logged_in(viewer)
    # SELECT 1 only (on PostgreSQL it goes through the pool, outside Django's count).
    with django_assert_max_num_queries(1):
        response = client.get(reverse("portal:healthz"))
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "Cookie" not in response.get("Vary", "")


def test_health_check_with_a_session_cookie_answers_503_while_the_database_is_away(
    viewer, monkeypatch
):
    client = logged_in(viewer)
    _break_the_database(monkeypatch)
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_liveness_needs_no_database(viewer, monkeypatch, django_assert_num_queries):
    client = logged_in(viewer)
    _break_the_database(monkeypatch)
    with django_assert_num_queries(0):
        response = client.get(reverse("portal:livez"))
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_checks_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("portal:livez")).status_code == HTTPStatus.OK
    assert client.get(reverse("portal:healthz")).status_code == HTTPStatus.OK


@postgresql_only
def test_health_check_answers_503_within_2_seconds_when_postgresql_is_unreachable(
    client, monkeypatch, settings
):
    from psycopg_pool import ConnectionPool

    params = {**connection.get_connection_params(), "port": 1, "autocommit": True}
    params.pop("pool", None)
    options = {**settings.DATABASES["default"]["OPTIONS"]["pool"]}
    pool = ConnectionPool(kwargs=params, open=False, **options)
    monkeypatch.setattr("portal.views.database_pool", lambda: pool)
    try:
        started = time.monotonic()
        response = client.get(reverse("portal:healthz"))
        elapsed = time.monotonic() - started
    finally:
        pool.close(timeout=0)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert elapsed < 2.0
