"""Failed logins: guessing stays bounded, but nobody can lock someone else out (issue 11).

The policy (README "Failed logins", SECURITY.md):

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
  the owner logs in as usual from a browser they used before, during any attack.
- Unknown and known addresses are counted alike (no account enumeration); a successful login
  does not count; the second factor has allauth's own limit per account (5 codes in 5 minutes),
  which only someone who has the password can reach.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import get_random_string, salted_hmac

from accounts.emails import canonical_email_or_none

DEVICE_COOKIE = "portal_device"
DEVICE_SALT = "accounts.lockout.device"
DEVICE_MAX_AGE = timedelta(days=365)
# A browser remembers at most this many accounts (the newest).
DEVICE_MAX_ACCOUNTS = 10
ACCOUNT_CEILING_ACTION = "login_failed_account"


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
