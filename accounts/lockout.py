"""Failed logins: guessing stays bounded, but nobody can lock someone else out (issue 11).

The policy (SECURITY.md "Login throttling without targeted lockout"):

- Failures are counted per **account and client** (``RATE_LIMIT_LOGIN_FAILED``, default
  ``10/m/ip,5/5m/key``; the key is the address typed plus the client): 5 wrong passwords for
  an address from one client block that client for that address for 5 minutes, and any client
  at most 10 attempts a minute. Another client, the real owner's, is not affected.
- The client is the browser when it carries this portal's *known device* cookie for the
  address (set after a complete login, second factor included, signed, one year), else the IP
  address (behind a proxy: ``ALLAUTH_TRUSTED_PROXY_COUNT``).
- A much higher **account-wide ceiling** (``RATE_LIMIT_LOGIN_FAILED_ACCOUNT``, default
  ``100/h/key``) bounds an attacker who rotates IP addresses: above it, logins for that address
  are refused from unknown clients until the hour has passed. Known devices are exempt, so
  the owner logs in as usual from a browser they used before, during any attack; from a new
  browser the login page then offers a one-time code by e-mail (``accounts/login_code.py``).
- Every key is derived from the canonical address (``accounts/emails.py``), so all spellings
  of one address share one budget.
- Unknown and known addresses are counted alike (no account enumeration); a successful login
  does not count; the second factor has allauth's own limit per account (5 codes in 5 minutes),
  which only someone who has the password can reach.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import get_random_string, salted_hmac

from accounts.emails import canonical_email_or_none

DEVICE_COOKIE = "portal_device"
DEVICE_SALT = "accounts.lockout.device"
DEVICE_MAX_AGE = timedelta(days=365)
# A browser remembers at most this many accounts (the newest).
DEVICE_MAX_ACCOUNTS = 10
ACCOUNT_CEILING_ACTION = "login_failed_account"
# The error code of a login refused by the ceiling: the login page then offers a login code.
ACCOUNT_CEILING_ERROR = "account_ceiling"


def login_key(login: str) -> str:
    """The address that budgets and known-device marks are kept for: its canonical form
    (accounts/emails.py), so every spelling of one address shares them. The login form lets
    only canonical addresses through; other text is only trimmed and lower-cased."""
    return canonical_email_or_none(login) or str(login).strip().lower()


def account_digest(login: str) -> str:
    """A keyed digest of the address, so the cookie does not show which addresses it holds."""
    return salted_hmac(DEVICE_SALT, login_key(login), algorithm="sha256").hexdigest()[:32]


def _device(request) -> dict:
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
        device = json.loads(value)
    except (KeyError, signing.BadSignature, ValueError, TypeError):
        return {}
    if not isinstance(device, dict) or not isinstance(device.get("accounts"), list):
        return {}
    return device


def is_known_device(request, login: str) -> bool:
    return account_digest(login) in _device(request).get("accounts", [])


def client_key(request, login: str) -> str:
    """Who is trying: this browser when it is a known device for the address, else its IP."""
    from allauth.core.internal.ratelimit import get_ip

    device = _device(request)
    if account_digest(login) in device.get("accounts", []) and device.get("id"):
        return f"device:{device['id']}"
    ip_hash = hashlib.sha256(str(get_ip(request)).encode()).hexdigest()[:32]
    return f"ip:{ip_hash}"


def remember_device(request, response, login: str) -> None:
    """After a complete login: this browser is a known device for the address."""
    device = _device(request)
    digest = account_digest(login)
    accounts = [a for a in device.get("accounts", []) if a != digest] + [digest]
    payload = {
        "id": device.get("id") or get_random_string(24),
        "accounts": accounts[-DEVICE_MAX_ACCOUNTS:],
    }
    response.set_signed_cookie(
        DEVICE_COOKIE,
        json.dumps(payload, separators=(",", ":")),
        salt=DEVICE_SALT,
        max_age=int(DEVICE_MAX_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def account_ceiling_config() -> dict[str, str]:
    return {ACCOUNT_CEILING_ACTION: settings.LOGIN_FAILED_ACCOUNT_CEILING}


def account_ceiling_key(login: str) -> str:
    return f"account:{login_key(login)}"


def account_ceiling_consume(request, login: str):
    """Counts an attempt against the account-wide ceiling; None when the ceiling is reached.
    Known devices neither count nor are refused."""
    from allauth.core.internal import ratelimit

    if is_known_device(request, login):
        return ratelimit.RateLimitUsage(usage=[])
    return ratelimit.consume(
        request,
        app="portal",
        action=ACCOUNT_CEILING_ACTION,
        config=account_ceiling_config(),
        key=account_ceiling_key(login),
    )


def account_ceiling_retry_at(request, login: str) -> datetime | None:
    """When the account-wide ceiling of the address frees up again; None while it is not
    reached. Reads the counter, never counts."""
    return login_retry_at(
        request,
        key=account_ceiling_key(login),
        app="portal",
        action=ACCOUNT_CEILING_ACTION,
        config=account_ceiling_config(),
    )


def login_retry_at(
    request,
    *,
    key: str,
    app: str = "allauth.account",
    action: str = "login_failed",
    config: dict[str, str] | None = None,
) -> datetime | None:
    """When the failed-login limit that blocks this login frees up again (None if unknown).

    allauth keeps, per rate, the hit timestamps newest first; a full bucket frees when its
    oldest hit falls out of the window. This reads allauth's counters, never changes them.
    """
    from allauth.core.internal import ratelimit

    now = time.time()
    free_at = None
    for rate in ratelimit.get_rates(app=app, action=action, config=config):
        cache_key = ratelimit.get_cache_key(request, app=app, action=action, rate=rate, key=key)
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:
            candidate = min(history) + rate.duration
            free_at = candidate if free_at is None else max(free_at, candidate)
    if free_at is None:
        return None
    return datetime.fromtimestamp(free_at, tz=UTC)
