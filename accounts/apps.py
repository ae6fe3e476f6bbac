from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        # allauth's rate limiter guards its counters with a cache lock that lives 10 s; a
        # request that dies holding it (a database restart mid-request) then blocks that
        # address's resets and logins with 429 for 10 s. It is held for milliseconds, so 2 s
        # is ample (found by `make drill`; an internal constant of allauth 65.22).
        from allauth.core.internal import ratelimit

        ratelimit.CACHE_LOCK_TIMEOUT = 2
        from allauth.account.signals import password_changed, password_reset, password_set
        from django.contrib.auth.signals import user_logged_in

        from accounts import signals

        user_logged_in.connect(signals.track_session, dispatch_uid="accounts.track_session")
        for signal in (password_changed, password_set, password_reset):
            signal.connect(signals.end_other_sessions, dispatch_uid=f"accounts.end_{id(signal)}")
