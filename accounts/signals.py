"""Session tracking and session ending around logins and password changes.

allauth.usersessions records sessions from allauth's own login signal only; connecting
Django's ``user_logged_in`` as well records every login (admin, activation link, tests) so
``accounts.services.user_sessions_end`` can find and end them all.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal


def _client_ip(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return "0.0.0.0"  # noqa: S104 - an unknown address, stored for display only


def track_session(sender, request, user, **kwargs) -> None:
    from allauth.usersessions.models import UserSession

    session = getattr(request, "session", None)
    if request is None or session is None:
        return
    if not session.session_key:
        session.save()
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    max_length = UserSession._meta.get_field("user_agent").max_length
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "ip": _client_ip(request), "user_agent": user_agent[:max_length]},
    )


def end_other_sessions(sender, request, user, **kwargs) -> None:
    """A changed or reset password ends the user's other sessions at once."""
    from accounts.services import user_sessions_end

    session = getattr(request, "session", None)
    keep = session.session_key if session is not None and user.pk == request.user.pk else None
    user_sessions_end(user=user, keep_session_key=keep)


# The one-time login code (accounts/login_code.py), recorded by audit: sent to a person's
# address, used to log in, or entered wrongly for a person's address. ``request`` and ``user``.
login_code_sent = Signal()
login_code_used = Signal()
login_code_rejected = Signal()

# The welcome link's activation (accounts.services.user_activate, accounts.views): the person
# chose their first password, then was logged in by Django's login(), which allauth's login
# signal does not see. Recorded by audit, like the login code's. ``request`` and ``user``.
activation_password_set = Signal()
activation_logged_in = Signal()
