"""How the portal reaches PostgreSQL through psycopg's pool when the database goes away and
comes back (the settings in portal/settings.py DATABASES, the README's "Database timeouts").

psycopg_pool waits between attempts with a backoff that starts at 1 s and doubles: both between
reconnection attempts and, inside ``getconn``, after every connection that fails its check. After
a database restart a request could so run into several dead connections and sleep 1 + 2 + 4 s,
or find no connection because a reconnection was scheduled 8 s later. The portal starts that
backoff at 50 ms (``tune_pool_backoff``, called when the app loads) and, when a connection fails
its check, checks the pool's other idle connections at once (``pool_check_connection``), so the
error window closes within a fraction of a second of the database's return.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)

POOL_INITIAL_BACKOFF = 0.05


def tune_pool_backoff() -> None:
    try:
        from psycopg_pool.base import AttemptWithBackoff
    except ImportError:  # pragma: no cover - SQLite-only installations
        return
    AttemptWithBackoff.INITIAL_DELAY = POOL_INITIAL_BACKOFF


def _base_check():
    from psycopg_pool import ConnectionPool

    return ConnectionPool.check_connection


def pool_check_connection(conn) -> None:
    """ConnectionPool.check_connection; on failure the pool's idle connections are checked
    too (and the broken ones replaced) before the pool hands out the next one."""
    try:
        _base_check()(conn)
    except Exception:
        pool = getattr(conn, "_pool", None)
        if pool is not None:
            logger.warning("A pooled database connection was broken; checking the others.")
            try:
                pool.check()
            except Exception:  # the pool goes on with its own recovery
                logger.exception("Checking the pool failed")
        raise
