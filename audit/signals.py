"""Security events recorded in the audit log (R25): logins, failed logins of known accounts,
password changes and two-factor login turned on or off.

They are about a person, not an organisation: the organisation stays empty and the customer
is the person's, so staff find them in admin and *Activiteit* (an organisation's log) does
not show them. Connected in ``audit.apps.AuditConfig.ready``.
"""

from __future__ import annotations

from audit.models import AuditEvent
from audit.services import audit_own_account, audit_record


def record_login(sender, request, user, **kwargs) -> None:
    """allauth's ``user_logged_in``: every interactive login (form, admin, after a password
    reset or the second step), not Django's programmatic ``login()`` calls."""
    audit_own_account(action=AuditEvent.Action.LOGIN_SUCCEEDED, user=user, request=request)


def record_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Django's ``user_login_failed``: recorded only when the address belongs to an account,
    so the log is not filled by guesses and names only real people's accounts. Who tried is
    unknown: the event has no actor, the account is its target."""
    from accounts.models import User

    login = credentials.get("email") or credentials.get("username") or ""
    user = User.objects.by_email(login).first()
    if user is None:
        return
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED, customer=user.customer, target=user, request=request
    )


def _login_code_recorder(action: str, *, by_the_person: bool):
    """The login code's events (accounts/login_code.py): security events about the person.
    Who asked for a code or typed a wrong one is unknown; who used one is the person."""

    def record(sender, request, user, **kwargs) -> None:
        if by_the_person:
            audit_own_account(action=action, user=user, request=request)
        else:
            audit_record(action=action, customer=user.customer, target=user, request=request)

    record.__name__ = f"record_{action.replace('.', '_')}"
    return record


record_login_code_sent = _login_code_recorder(
    AuditEvent.Action.LOGIN_CODE_SENT, by_the_person=False
)
record_login_code_used = _login_code_recorder(AuditEvent.Action.LOGIN_CODE_USED, by_the_person=True)
record_login_code_rejected = _login_code_recorder(
    AuditEvent.Action.LOGIN_CODE_FAILED, by_the_person=False
)


def _password_recorder(via: str):
    def record(sender, request, user, **kwargs) -> None:
        audit_own_account(
            action=AuditEvent.Action.PASSWORD_CHANGED,
            user=user,
            after={"via": via},
            request=request,
        )

    record.__name__ = f"record_password_{via}"
    return record


record_password_changed = _password_recorder("change")
record_password_set = _password_recorder("set")
record_password_reset = _password_recorder("reset")


def _is_second_factor(authenticator) -> bool:
    # Recovery codes come and go with the authenticator app (allauth adds and removes them
    # along with it); only the app itself turns two-factor login on or off.
    from allauth.mfa.models import Authenticator

    return authenticator.type != Authenticator.Type.RECOVERY_CODES


def record_mfa_enabled(sender, request, user, authenticator, **kwargs) -> None:
    if _is_second_factor(authenticator):
        audit_own_account(action=AuditEvent.Action.MFA_ENABLED, user=user, request=request)


def record_mfa_disabled(sender, request, user, authenticator, **kwargs) -> None:
    if _is_second_factor(authenticator):
        audit_own_account(action=AuditEvent.Action.MFA_DISABLED, user=user, request=request)
