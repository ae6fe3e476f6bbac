"""allauth is customised here only (and by template overrides), never by forking its views."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import ngettext

from accounts.emails import canonical_email
from accounts.language import activate_user_language, remember_language
from accounts.lockout import (
    ACCOUNT_CEILING_ERROR,
    account_ceiling_consume,
    account_ceiling_retry_at,
    client_key,
    login_key,
    login_retry_at,
    remember_device,
)
from accounts.models import User
from accounts.selectors import customer_admin_names
from accounts.tokens import link_lifetime_hours
from outbox.rendering import email_render
from outbox.services import email_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        """Every address allauth looks up (reset, login code) in its canonical form."""
        return canonical_email(email)

    def is_open_for_signup(self, request) -> bool:
        # Access is given by an organisation's Admin or by staff; there is no public sign-up.
        return False

    def _get_login_attempts_cache_key(self, request, **credentials: Any) -> str:
        """Failures are counted per account *and client* (accounts/lockout.py): a guesser
        elsewhere cannot lock the owner out."""
        login = _login_of(credentials)
        return f"{super()._get_login_attempts_cache_key(request, email=login)}|" + client_key(
            request, login
        )

    def pre_authenticate(self, request, **credentials: Any) -> None:
        """A locked-out user is told when to try again, not only "later" (R4); above the
        account-wide ceiling only known devices get through (accounts/lockout.py)."""
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
            wording = _retry_wording(retry_at)
            raise forms.ValidationError(
                ngettext(
                    "Too many failed login attempts. Try again after %(time)s "
                    "(in about %(minutes)s minute).",
                    "Too many failed login attempts. Try again after %(time)s "
                    "(in about %(minutes)s minutes).",
                    wording["minutes"],
                )
                % wording,
                code="too_many_login_attempts",
            ) from error
        login = _login_of(credentials)
        self._account_ceiling_usage = account_ceiling_consume(request, login)
        if not self._account_ceiling_usage:
            # This attempt did not happen: it must not count against this client either.
            self._rollback_login_failed_rl_usage()
            retry_at = account_ceiling_retry_at(request, login) or timezone.now() + timedelta(
                hours=1
            )
            # The login page then offers a one-time code by e-mail (accounts/login_code.py):
            # the owner's way in from a new browser, which the guesser does not have.
            wording = _retry_wording(retry_at)
            raise forms.ValidationError(
                ngettext(
                    "Too many failed login attempts for this account from other devices. "
                    "Log in on a device you used before, or try again after %(time)s "
                    "(in about %(minutes)s minute).",
                    "Too many failed login attempts for this account from other devices. "
                    "Log in on a device you used before, or try again after %(time)s "
                    "(in about %(minutes)s minutes).",
                    wording["minutes"],
                )
                % wording,
                code=ACCOUNT_CEILING_ERROR,
            )

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_ceiling_usage", None)
        if usage:
            usage.rollback()

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mails (password reset, unknown account) go through the queue, rendered in
        the recipient's language (R22). Known and unknown addresses take the same path: the
        same two lookups, one render, one queued row, and no mail server inside the request.

        allauth resets only active accounts, and mails any other address that it has no
        account. For a deactivated contact that is false: they get a mail saying that the
        account is deactivated and who can give the access back (``inactive_account_context``).
        The page shown is allauth's, the same for every address, and so is the rate limit."""
        user = (
            User.objects.by_email(email)
            .select_related("customer")
            .only("language", "is_active", "inactive_reason", "customer", "customer__csm_email")
            .first()
        )
        language = user.language if user is not None else translation.get_language()
        # Asked whoever the address is, so an inactive account costs no extra query.
        restorers = customer_admin_names(customer_id=user.customer_id if user else None)
        if template_prefix == UNKNOWN_ACCOUNT_MAIL and user is not None and not user.is_active:
            template_prefix = INACTIVE_ACCOUNT_MAIL
            context = {**context, **inactive_account_context(user, admin_names=restorers)}
        # Rendered by the portal's mail rendering, not allauth's render_mail, so the subject
        # and text are plain text like every other mail (outbox.rendering).
        with translation.override(language):
            rendered = email_render(
                template_prefix=template_prefix,
                context=context_with_defaults(context, email=email),
            )
        email_enqueue(
            kind=template_prefix.rsplit("/", 1)[-1],
            to=email,
            subject=self.format_email_subject(rendered.subject),
            body_text=rendered.body_text.strip(),
            body_html=rendered.body_html.strip(),
            # allauth's mails carry password-reset links; treat all of them as secret.
            contains_secret=True,
        )

    def post_login(self, request, user, **kwargs):
        """The language kept in the profile is applied at login and remembered in the cookie,
        so the login page after logging out speaks it too (R22)."""
        # Before allauth adds its "logged in" message, so that speaks the user's language too.
        activate_user_language(request, user)
        response = super().post_login(request, user, **kwargs)
        # A complete login (second factor included): this browser is a known device now.
        remember_device(request, response, user.email)
        return remember_language(response, user.language)


UNKNOWN_ACCOUNT_MAIL = "account/email/unknown_account"
INACTIVE_ACCOUNT_MAIL = "accounts/email/account_inactive"


def inactive_account_context(user: User, *, admin_names: list[str]) -> dict:
    """What the mail to an inactive contact says about who can give the access back: after a
    deactivation through a removal an Admin of their organisation (``admin_names``), after a
    staff block only staff, reached through the customer's Customer Success Manager."""
    blocked = user.inactive_reason == User.InactiveReason.BLOCKED
    return {
        "blocked": blocked,
        "admin_names": [] if blocked else admin_names,
        "csm_email": user.customer.csm_email if user.customer is not None else "",
    }


def _login_of(credentials: dict) -> str:
    return login_key(str(credentials.get("email", credentials.get("username", ""))))


def _retry_wording(retry_at: datetime) -> dict:
    local = timezone.localtime(retry_at)
    minutes = max(1, round((retry_at - timezone.now()).total_seconds() / 60))
    return {"time": formats.time_format(local, "H:i"), "minutes": minutes}


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
