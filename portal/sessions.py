"""The session engine: Django's database sessions, refusing any key Django cannot have made.

``SESSION_ENGINE = "portal.sessions"``. The session key comes from a cookie, which a client
may fill with anything: a NUL character (``sessionid="abcdefgh\\000ijklmnop"``, which
PostgreSQL refuses in any text, so every page answered 500), other control characters, or
kilobytes of text. Django only checks that a key is at least 8 characters long before it looks
the key up. Here a key must consist of the characters Django generates (lowercase letters and
digits) and fit the session table's column; anything else is treated as no key at all, so the
request is anonymous, nothing is looked up, and ``SessionMiddleware`` clears the cookie.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session

KEY_MIN_LENGTH = 8  # Django's own lower bound
KEY_MAX_LENGTH = Session._meta.get_field("session_key").max_length
_KEY_CHARS = frozenset(VALID_KEY_CHARS)


def session_key_is_valid(key: object) -> bool:
    """Whether ``key`` could be a key Django generated: 8 to 40 lowercase letters or digits."""
    return (
        isinstance(key, str)
        and KEY_MIN_LENGTH <= len(key) <= KEY_MAX_LENGTH
        and _KEY_CHARS.issuperset(key)
    )


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return session_key_is_valid(key)
