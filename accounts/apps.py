from importlib.metadata import version

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# allauth's rate limiter guards its counters with a cache lock that lives 10 s; a request that
# dies holding it (a database restart mid-request) then blocks that client's or address's
# resets and logins with 429 for 10 s. It is held for milliseconds, so 2 s is ample (found by
# `make drill`). allauth has no setting for it: the lifetime is the module constant
# ``CACHE_LOCK_TIMEOUT`` of ``allauth.core.internal.ratelimit``, read at every lock.
RATE_LIMIT_LOCK_LIFETIME = 2


def rate_limit_lock_shorten() -> None:
    """Shortens allauth's rate-limit lock to ``RATE_LIMIT_LOCK_LIFETIME`` seconds, or stops the
    start when the installed allauth no longer has the constant it sets (a silent no-op would
    bring the 10 s back)."""
    from allauth.core.internal import ratelimit

    current = getattr(ratelimit, "CACHE_LOCK_TIMEOUT", None)
    if isinstance(current, bool) or not isinstance(current, int | float):
        raise ImproperlyConfigured(
            f"django-allauth {version('django-allauth')} has no numeric "
            "allauth.core.internal.ratelimit.CACHE_LOCK_TIMEOUT (found "
            f"{current!r}). accounts/apps.py shortens that rate-limit lock's lifetime to "
            f"{RATE_LIMIT_LOCK_LIFETIME} s: find how this version sets it (a setting, or a new "
            "name) and adapt accounts/apps.py; tests/accounts/test_rate_limits.py "
            "observes the lifetime."
        )
    ratelimit.CACHE_LOCK_TIMEOUT = RATE_LIMIT_LOCK_LIFETIME


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        rate_limit_lock_shorten()
        from allauth.account.signals import password_changed, password_reset, password_set
        from django.contrib.auth.signals import user_logged_in

        from accounts import receivers

        user_logged_in.connect(receivers.track_session, dispatch_uid="accounts.track_session")
        for signal in (password_changed, password_set, password_reset):
            signal.connect(receivers.end_other_sessions, dispatch_uid=f"accounts.end_{id(signal)}")
