"""After a database restart the pool's connections are all dead. The portal's pool settings
(portal/settings.py DATABASES, core/db.py) must hand the next request a working connection
at once, not after psycopg_pool's default backoff of 1 + 2 + 4 s (issue 11: errors went on for
10 s after PostgreSQL was back). Each timeout is observed, not read back from the settings:
docs/operations.md "Database timeouts" says why each has its value."""

from __future__ import annotations

import re
import socket
import time
from importlib.metadata import version

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's pool")


def _connection_params() -> dict:
    params = {**connection.get_connection_params(), "autocommit": True}
    params.pop("pool", None)
    return params


def _closed_port() -> int:
    """A port of 127.0.0.1 nobody listens on: connecting is refused at once, as while
    PostgreSQL is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pool_to_nowhere(kwargs=None, **overrides):
    """A pool with the portal's settings whose database is away (connections are refused)."""
    from psycopg_pool import ConnectionPool

    options = {**settings.DATABASES["default"]["OPTIONS"]["pool"], **overrides}
    kwargs = kwargs or {**_connection_params(), "port": _closed_port()}
    return ConnectionPool(kwargs=kwargs, open=False, **options)


def _terminate_backends(pids):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [pids])


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_every_connection_carries_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "20s"


@postgresql_only
def test_a_silent_server_fails_a_connection_attempt_after_2_seconds():
    """A host that accepts the TCP connection and never answers (a hung server, a black hole
    behind a firewall) costs a connection attempt 2 s, not libpq's unbounded wait."""
    import psycopg

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        started = time.monotonic()
        with pytest.raises(psycopg.OperationalError, match="timeout expired"):
            psycopg.connect(**{**_connection_params(), "port": silent.getsockname()[1]})
        elapsed = time.monotonic() - started
    assert 1.9 <= elapsed < 2.5


@postgresql_only
def test_while_the_database_is_away_a_request_waits_1_second_for_a_connection():
    from psycopg_pool import PoolTimeout

    pool = _pool_to_nowhere()
    pool.open(wait=False)
    try:
        started = time.monotonic()
        with pytest.raises(PoolTimeout):
            pool.getconn()
        elapsed = time.monotonic() - started
    finally:
        pool.close(timeout=0)
    assert 0.95 <= elapsed < 1.5


@postgresql_only
def test_the_pool_tries_again_after_50_ms_doubling_and_gives_up_after_2_seconds():
    """While the database is away the pool's background reconnection tries again after 50,
    100, 200, 400, 800 ms (psycopg_pool's own backoff would wait 1, 2, 4, 8 s, so the first
    connection after a short outage came seconds late), and gives up after 2 s instead of
    psycopg_pool's 300 s; the next request starts a fresh attempt."""
    attempts: list[float] = []
    gave_up: list[float] = []
    refused = {**_connection_params(), "port": _closed_port()}

    def kwargs():
        attempts.append(time.monotonic())
        return refused

    pool = _pool_to_nowhere(
        kwargs=kwargs, min_size=1, reconnect_failed=lambda pool: gave_up.append(time.monotonic())
    )
    pool.open(wait=False)
    try:
        deadline = time.monotonic() + 5
        while not gave_up and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        pool.close(timeout=0)
    assert gave_up, "the pool did not give up within 5 s"
    gaps = [later - earlier for earlier, later in zip(attempts, attempts[1:], strict=False)]
    # Each wait is psycopg_pool's jitter (±10 %) around 50 ms × 2^n, plus the failed attempt and
    # the scheduler's delay (up to 0.1 s on a busy machine: still far from the 1 s it would be
    # without the portal's tuning); the last one is cut short at the 2 s.
    for step, gap in enumerate(gaps[:5]):
        expected = 0.05 * 2**step
        assert expected * 0.85 <= gap <= expected * 1.15 + 0.1, (step, gaps)
    assert 1.95 <= gave_up[0] - attempts[0] < 2.5, (gave_up[0] - attempts[0], gaps)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_pool_full_of_dead_connections_gives_a_working_one_at_once():
    """The portal's own pool (the one requests use): every pooled connection killed, the
    next one handed out works, within 0.5 s."""
    connection.ensure_connection()  # the test's own connection, which kills the others
    pool = connection.pool
    conns = [pool.getconn() for _ in range(6)]
    pids = [conn.info.backend_pid for conn in conns]
    for conn in conns:
        pool.putconn(conn)
    _terminate_backends(pids)
    time.sleep(0.2)

    started = time.monotonic()
    with pool.connection() as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.info.backend_pid not in pids
    assert time.monotonic() - started < 0.5


def test_the_portal_refuses_to_start_when_psycopg_pool_moved_its_backoff(monkeypatch):
    """psycopg_pool has no setting for its backoff: the portal sets a class constant, and a
    version without it (or with another type) stops the start with the version named instead
    of silently going back to 1 s."""
    from psycopg_pool import base

    from core.db import tune_pool_backoff

    installed = re.escape(f"psycopg-pool {version('psycopg-pool')} ")
    monkeypatch.setattr(base.AttemptWithBackoff, "INITIAL_DELAY", 1.0)  # restored afterwards
    monkeypatch.delattr(base.AttemptWithBackoff, "INITIAL_DELAY")
    with pytest.raises(ImproperlyConfigured, match=installed):
        tune_pool_backoff()
    monkeypatch.setattr(base.AttemptWithBackoff, "INITIAL_DELAY", "1.0", raising=False)
    with pytest.raises(ImproperlyConfigured, match=installed):
        tune_pool_backoff()
    monkeypatch.delattr(base, "AttemptWithBackoff")
    with pytest.raises(ImproperlyConfigured, match=installed):
        tune_pool_backoff()


def test_the_portal_refuses_to_start_when_django_has_no_pool_property(monkeypatch):
    """A broken connection makes the portal check the pool's other idle connections; it finds
    the pool through Django's ``DatabaseWrapper.pool``, checked at start-up too."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    from core.db import tune_pool_backoff

    monkeypatch.delattr(DatabaseWrapper, "pool")
    with pytest.raises(ImproperlyConfigured, match=re.escape(f"Django {version('django')} ")):
        tune_pool_backoff()
