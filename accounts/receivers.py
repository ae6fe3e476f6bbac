"""Session tracking and session ending around logins and password changes.

allauth.usersessions records sessions from allauth's own login signal only; connecting
Django's ``user_logged_in`` as well records every login (admin, activation link, tests) so
``accounts.services.user_sessions_end`` can find and end them all. Connected in
``accounts/apps.py``; imported only from ``AppConfig.ready``, when the models are loaded.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied

from accounts.services import user_sessions_end


def _client_ip(request) -> str:
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return "0.0.0.0"  # noqa: S104 - an unknown address, stored for display only


def track_session(sender, request, user, **kwargs) -> None:
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
    session = getattr(request, "session", None)
    keep = session.session_key if session is not None and user.pk == request.user.pk else None
    user_sessions_end(user=user, keep_session_key=keep)
