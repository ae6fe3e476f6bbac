"""After a database restart the pool's connections are all dead. The portal's pool settings
(portal/settings.py DATABASES, portal/db.py) must hand the next request a working connection
at once, not after psycopg_pool's default backoff of 1 + 2 + 4 s (issue 11: errors went on for
10 s after PostgreSQL was back)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pool"),
]


def _settings_pool(**overrides):
    from psycopg_pool import ConnectionPool

    params = {**connection.get_connection_params(), "autocommit": True}
    params.pop("pool", None)
    options = {**settings.DATABASES["default"]["OPTIONS"]["pool"], **overrides}
    return ConnectionPool(kwargs=params, open=True, **options)


def _terminate_backends(pids):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [pids])


def test_the_timeouts_are_deliberate():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["connect_timeout"] == 2
    assert "-c statement_timeout=20000" in options["options"]
    pool = options["pool"]
    assert (pool["timeout"], pool["reconnect_timeout"]) == (1.0, 2.0)
    assert (pool["max_lifetime"], pool["max_idle"]) == (1800.0, 300.0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "20s"


def test_a_pool_full_of_dead_connections_gives_a_working_one_at_once():
    pool = _settings_pool(min_size=6, max_size=6)
    try:
        pool.wait(timeout=5)
        pids = []
        conns = [pool.getconn() for _ in range(6)]
        for conn in conns:
            pids.append(conn.info.backend_pid)
        for conn in conns:
            pool.putconn(conn)
        _terminate_backends(pids)
        time.sleep(0.2)

        started = time.monotonic()
        with pool.connection() as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            assert conn.info.backend_pid not in pids
        assert time.monotonic() - started < 0.5
    finally:
        pool.close()
