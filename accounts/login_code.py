"""A way in from a new browser while an address is under a guessing attack (issue 15, item 2).

Guessers rotating IP addresses reach the account-wide ceiling (``accounts/lockout.py``): from
then on, for up to an hour, the address is refused to every browser that is not a known
device, the owner's new browser included. The login page then offers a **one-time code by
e-mail**: the owner reads the mailbox, the guesser does not.

- Offered only while the ceiling of the address is reached; otherwise the password is the way.
- One code per address at a time, kept as a keyed digest (never the code) in the shared cache
  for ``LOGIN_CODE_TIMEOUT`` (15 minutes). Asking again while it lives sends nothing: so
  whoever asks, and however often, the mailbox gets at most one code per 15 minutes, and a
  guesser asking for codes can neither flood it nor replace the code the owner received.
  The code is not tied to the browser that asked: the owner who asks in a new browser after
  a guesser did uses the code from that one mail.
- It works once (taking it deletes it, so of two browsers entering it at the same moment one
  wins) and only for minutes; a successful login by code is then an ordinary allauth login:
  its stages run, so a second factor is still asked where one is set, and the browser becomes
  a known device.
- Guessing it is bounded per client: ``RATE_LIMIT_LOGIN_CODE_REQUEST`` (10 requests an hour
  per IP address), ``RATE_LIMIT_LOGIN_CODE_CONFIRM`` (20 entries an hour per IP address) and 5
  wrong entries per request (then the browser must ask again). There is deliberately no
  account-wide limit on entries, which a guesser could exhaust to shut the owner out again;
  the code has 10 characters of a 20-letter alphabet (about 10^13 codes), so even 1,000
  addresses at 20 guesses an hour each find it with a probability of about 2 * 10^-9 an hour.
- Unknown and inactive addresses get the same answer, and the same work: a mail saying that
  there is no account (at most one per 15 minutes too), as the password reset does.
- Sent codes, codes used and wrong codes for an existing account are audited (signals of
  ``accounts.signals``, recorded by ``audit``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from allauth.core.internal import ratelimit
from allauth.core.internal.cryptokit import generate_user_code
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import get_language

from accounts.lockout import account_ceiling_retry_at, account_digest
from accounts.models import User
from accounts.signals import login_code_rejected, login_code_sent, login_code_used
from outbox.services import email_enqueue_template

if TYPE_CHECKING:
    from datetime import datetime

    from django.http import HttpRequest

CODE_SALT = "accounts.login_code"
CODE_LENGTH = 10
REQUEST_ACTION = "login_code_request"
CONFIRM_ACTION = "login_code_confirm"
# Wrong codes one request may enter before the browser has to ask again.
MAX_WRONG_PER_REQUEST = 5


@dataclass(frozen=True)
class PendingCode:
    """What a browser that asked for a code keeps in its session."""

    email: str
    wrong: int = 0

    SESSION_KEY = "portal_login_code"

    @classmethod
    def of(cls, request: HttpRequest) -> PendingCode | None:
        value = request.session.get(cls.SESSION_KEY)
        if not isinstance(value, dict) or not isinstance(value.get("email"), str):
            return None
        return cls(email=value["email"], wrong=int(value.get("wrong", 0)))

    def keep(self, request: HttpRequest) -> None:
        request.session[self.SESSION_KEY] = {"email": self.email, "wrong": self.wrong}

    @classmethod
    def forget(cls, request: HttpRequest) -> None:
        request.session.pop(cls.SESSION_KEY, None)


def login_code_lifetime() -> timedelta:
    return timedelta(seconds=settings.LOGIN_CODE_TIMEOUT)


def login_code_offered(request: HttpRequest, email: str) -> bool:
    """A code is offered while the address's account-wide ceiling refuses new browsers."""
    return account_ceiling_retry_at(request, email) is not None


def login_code_rate_limits() -> dict[str, str]:
    return {
        REQUEST_ACTION: settings.RATE_LIMIT_LOGIN_CODE_REQUEST,
        CONFIRM_ACTION: settings.RATE_LIMIT_LOGIN_CODE_CONFIRM,
    }


def login_code_consume(request: HttpRequest, action: str) -> bool:
    """Counts one request or entry of this client; False when its limit is reached."""
    return bool(
        ratelimit.consume(request, app="portal", action=action, config=login_code_rate_limits())
    )


def _cache_key(email: str) -> str:
    return f"portal:login_code:{account_digest(email)}"


def _digest(email: str, code: str) -> str:
    normalised = "".join(character for character in code.upper() if character.isalnum())
    return salted_hmac(CODE_SALT, f"{email}\n{normalised}", algorithm="sha256").hexdigest()


def login_code_send(*, request: HttpRequest, email: str) -> datetime | None:
    """Mails a new code to ``email`` (canonical) unless one is still valid.

    Returns until when the new code is valid, or None when none was made: a code is live.
    A known, active person gets the code in their language; any other address the mail
    that there is no account, in the language of the page."""
    # allauth's generator and alphabet (20 consonants: no words, no 0/O or 1/I to confuse).
    new_code = generate_user_code(length=CODE_LENGTH, dashed=True)
    expires_at = timezone.now() + login_code_lifetime()
    if not cache.add(
        _cache_key(email),
        _digest(email, new_code),
        timeout=settings.LOGIN_CODE_TIMEOUT,
    ):
        return None
    user = User.objects.by_email(email).filter(is_active=True).first()
    with transaction.atomic():
        if user is None:
            email_enqueue_template(
                kind="login_code_unknown",
                to=email,
                language=get_language(),
                template_prefix="accounts/email/login_code_unknown",
                context={"email": email, "portal_url": settings.PORTAL_URL},
            )
        else:
            email_enqueue_template(
                kind="login_code",
                to=user.email,
                language=user.language,
                template_prefix="accounts/email/login_code",
                context={
                    "user": user,
                    "code": new_code,
                    "valid_minutes": settings.LOGIN_CODE_TIMEOUT // 60,
                    "portal_url": settings.PORTAL_URL,
                },
                contains_secret=True,
            )
            login_code_sent.send(sender=User, request=request, user=user)
    return expires_at


def login_code_redeem(*, request: HttpRequest, email: str, code: str) -> User | None:
    """The active person whose live code this is, and the code is gone; None otherwise."""
    user = User.objects.by_email(email).filter(is_active=True).first()
    stored = cache.get(_cache_key(email))
    matches = isinstance(stored, str) and constant_time_compare(stored, _digest(email, code))
    # delete() tells whether this request took it: of two at the same moment, one wins.
    if user is not None and matches and cache.delete(_cache_key(email)):
        login_code_used.send(sender=User, request=request, user=user)
        return user
    if user is not None:
        login_code_rejected.send(sender=User, request=request, user=user)
    return None
