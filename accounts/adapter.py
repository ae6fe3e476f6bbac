"""allauth is customised here only (and by template overrides), never by forking its views."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from accounts.language import activate_user_language, remember_language
from accounts.models import User
from accounts.tokens import link_lifetime_hours
from outbox.services import email_enqueue


def login_retry_at(request, *, key: str) -> datetime | None:
    """When the failed-login limit that blocks this login frees up again (None if unknown).

    allauth keeps, per rate, the hit timestamps newest first; a full bucket frees when its
    oldest hit falls out of the window. This reads allauth's counters, never changes them.
    """
    from allauth.core.internal import ratelimit
    from django.core.cache import cache

    now = time.time()
    free_at = None
    for rate in ratelimit.get_rates(app="allauth.account", action="login_failed"):
        cache_key = ratelimit.get_cache_key(
            request, app="allauth.account", action="login_failed", rate=rate, key=key
        )
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:
            candidate = min(history) + rate.duration
            free_at = candidate if free_at is None else max(free_at, candidate)
    if free_at is None:
        return None
    return datetime.fromtimestamp(free_at, tz=UTC)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Access is given by an organisation's Admin or by staff; there is no public sign-up.
        return False

    def pre_authenticate(self, request, **credentials: Any) -> None:
        """A locked-out user is told when to try again, not only "later" (R4)."""
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError as error:
            if getattr(error, "code", None) != "too_many_login_attempts":
                raise
            retry_at = login_retry_at(
                request, key=self._get_login_attempts_cache_key(request, **credentials)
            )
            if retry_at is None:
                raise
            local = timezone.localtime(retry_at)
            minutes = max(1, round((retry_at - timezone.now()).total_seconds() / 60))
            raise forms.ValidationError(
                gettext(
                    "Too many failed login attempts. Try again after %(time)s "
                    "(in about %(minutes)s minutes)."
                )
                % {"time": formats.time_format(local, "H:i"), "minutes": minutes},
                code="too_many_login_attempts",
            ) from error

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails (password reset, unknown account) go through the queue, rendered in
        the recipient's language (R22). Known and unknown addresses take the same path: one
        lookup, one render, one queued row, and no mail server inside the request."""
        user = User.objects.filter(email__iexact=email).only("language").first()
        language = user.language if user is not None else translation.get_language()
        with translation.override(language):
            message = self.render_mail(
                template_prefix, email, context_with_defaults(context, email=email)
            )
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        if message.content_subtype == "html":
            html, text = message.body, ""
        else:
            text = message.body
        email_enqueue(
            kind=template_prefix.rsplit("/", 1)[-1],
            to=email,
            subject=message.subject,
            body_text=text or html,
            body_html=html,
            # allauth's mails carry password-reset links; treat all of them as secret.
            contains_secret=True,
        )

    def post_login(self, request, user, **kwargs):
        """The language kept in the profile is applied at login and remembered in the cookie,
        so the login page after logging out speaks it too (R22)."""
        # Before allauth adds its "logged in" message, so that speaks the user's language too.
        activate_user_language(request, user)
        response = super().post_login(request, user, **kwargs)
        return remember_language(response, user.language)


def context_with_defaults(context: dict, *, email: str) -> dict:
    from allauth.core import context as allauth_context
    from django.contrib.sites.shortcuts import get_current_site

    request = allauth_context.request
    return {
        "request": request,
        "email": email,
        "current_site": get_current_site(request),
        "portal_url": settings.PORTAL_URL,
        "valid_hours": link_lifetime_hours(settings.PASSWORD_RESET_TIMEOUT),
        **context,
    }
