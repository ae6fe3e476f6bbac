from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Activity log")

    def ready(self) -> None:
        from allauth.account.signals import (
            password_changed,
            password_reset,
            password_set,
            user_logged_in,
        )
        from allauth.mfa.signals import authenticator_added, authenticator_removed
        from django.contrib.auth.signals import user_login_failed

        from accounts.signals import (
            activation_logged_in,
            activation_password_set,
            login_code_rejected,
            login_code_sent,
            login_code_used,
        )
        from audit import signals
        from audit.sentences import ACCOUNT_EVENTS, ACCOUNT_VALUES, audit_events_describe

        audit_events_describe(ACCOUNT_EVENTS, values=ACCOUNT_VALUES)

        connections = [
            (user_logged_in, signals.record_login),
            (user_login_failed, signals.record_login_failed),
            (password_changed, signals.record_password_changed),
            (password_set, signals.record_password_set),
            (password_reset, signals.record_password_reset),
            (authenticator_added, signals.record_mfa_enabled),
            (authenticator_removed, signals.record_mfa_disabled),
            (activation_password_set, signals.record_password_set),
            (activation_logged_in, signals.record_login),
            (login_code_sent, signals.record_login_code_sent),
            (login_code_used, signals.record_login_code_used),
            (login_code_rejected, signals.record_login_code_rejected),
        ]
        for signal, receiver in connections:
            signal.connect(receiver, dispatch_uid=f"audit.{receiver.__name__}")
