"""How the portal reaches PostgreSQL through psycopg's pool when the database goes away and
comes back (the settings in portal/settings.py DATABASES, docs/operations.md "Database
timeouts").

psycopg_pool waits between attempts with a backoff that starts at 1 s and doubles: both between
reconnection attempts and, inside ``getconn``, after every connection that fails its check. After
a database restart a request could so run into several dead connections and sleep 1 + 2 + 4 s,
or find no connection because a reconnection was scheduled 8 s later. The portal starts that
backoff at 50 ms (``tune_pool_backoff``, called when the app loads) and, when a connection fails
its check, checks the pool's other idle connections at once (``pool_check_connection``), so the
error window closes within a fraction of a second of the database's return.

psycopg_pool has no setting for its backoff (its constructor takes ``reconnect_timeout``, not
the delay), so ``tune_pool_backoff`` sets the class constant
``psycopg_pool.base.AttemptWithBackoff.INITIAL_DELAY``, after checking that it is still there;
otherwise the portal does not start, naming the installed version. The pool a broken
connection came from is found through Django's ``DatabaseWrapper.pool`` (the pool Django made
from ``OPTIONS["pool"]``), checked at start-up too, rather than psycopg's private
``connection._pool``.
"""

from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

POOL_INITIAL_BACKOFF = 0.05


def _installed(distribution: str) -> str:
    try:
        return f"{distribution} {version(distribution)}"
    except PackageNotFoundError:
        return f"{distribution} (not installed)"


def tune_pool_backoff() -> None:
    """Starts psycopg_pool's backoff at ``POOL_INITIAL_BACKOFF``; stops the start when the
    installed psycopg_pool or Django lacks what the portal's pool recovery relies on."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    if not isinstance(getattr(DatabaseWrapper, "pool", None), property):
        raise ImproperlyConfigured(
            f"{_installed('Django')} has no DatabaseWrapper.pool property in "
            "django.db.backends.postgresql.base. core/db.py pool_check_connection finds the "
            "pool of a broken connection through it: find how this version exposes the "
            "connection pool and adapt core/db.py."
        )
    try:
        from psycopg_pool import base
    except ImportError:
        base = None
    current = getattr(getattr(base, "AttemptWithBackoff", None), "INITIAL_DELAY", None)
    if not isinstance(current, float):
        raise ImproperlyConfigured(
            f"{_installed('psycopg-pool')} has no float "
            "psycopg_pool.base.AttemptWithBackoff.INITIAL_DELAY (found "
            f"{current!r}). core/db.py starts the pool's reconnection backoff at "
            f"{POOL_INITIAL_BACKOFF} s through it: find how this version sets that backoff (a "
            "pool argument, or a new name) and adapt core/db.py; "
            "tests/portal/test_database_recovery.py observes the spacing."
        )
    base.AttemptWithBackoff.INITIAL_DELAY = POOL_INITIAL_BACKOFF


def pool_check_connection(conn, alias: str = DEFAULT_DB_ALIAS) -> None:
    """ConnectionPool.check_connection; on failure the idle connections of the database's
    pool (``alias``) are checked too (and the broken ones replaced) before the pool hands out
    the next one."""
    from psycopg_pool import ConnectionPool

    try:
        ConnectionPool.check_connection(conn)
    except Exception:
        pool = getattr(connections[alias], "pool", None)
        if pool is not None:
            logger.warning("A pooled database connection was broken; checking the others.")
            try:
                pool.check()
            except Exception:  # the pool goes on with its own recovery
                logger.exception("Checking the pool failed")
        raise
