"""Writes of accounts data: one function per mutation, each in one transaction."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.language import language_is_supported
from accounts.models import Membership, User
from accounts.signals import activation_password_set
from accounts.tokens import activation_token_generator, activation_uid, link_lifetime_hours
from outbox.services import email_enqueue_template

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def user_language_update(*, user: User, language: str) -> User:
    """Keeps the user's language choice in their profile; it is applied at every login."""
    if not language_is_supported(language):
        raise ValueError(f"Unsupported language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def user_profile_update(*, user: User, first_name: str, last_name: str, language: str) -> User:
    """The user's own name and language (the profile page)."""
    if not language_is_supported(language):
        raise ValueError(f"Unsupported language {language!r}")
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "language"])
    return user


@transaction.atomic
def user_email_change(*, user: User, email: str) -> str:
    """Gives ``user`` a new login address (already canonical and checked by the caller, the
    users service ``contact_email_change``, which applies the rules) and returns the old one.

    From now on the login, a password reset and the login code know the person by the new
    address only: allauth also looks people up in its own address table, so any row there
    (it may keep one per address) is removed. Links already sent stop working, because the
    activation and reset tokens are made over the address: an invitation of someone who
    never activated is sent again, to the new address, by the caller. A person who never
    activated gets a fresh per-person welcome interval, since none went to this address.
    """
    old = user.email
    user.email = email
    fields = ["email"]
    if not user_is_activated(user):
        user.welcome_sent_at = None
        fields.append("welcome_sent_at")
    user.full_clean(exclude=["password"])
    user.save(update_fields=fields)
    EmailAddress.objects.filter(user=user).delete()
    return old


def user_is_activated(user: User) -> bool:
    """Activated: the person has chosen a password or has logged in at least once."""
    return user.has_usable_password() or user.last_login is not None


def activation_url(user: User) -> str:
    path = reverse(
        "accounts:activate",
        kwargs={"uid": activation_uid(user), "token": activation_token_generator.make_token(user)},
    )
    return f"{settings.PORTAL_URL}{path}"


@transaction.atomic
def user_send_welcome(*, user: User) -> bool:
    """Queues the welcome mail (R2) in the user's language with a 24-hour activation link.

    Only for an active person who has never activated; returns whether a mail was queued; the
    mail leaves after commit. This only renders and queues: the limits (one per person per 10
    minutes, a bound per Admin per hour) and the audit events are in
    ``users.services.welcome_send``, the one caller in the app code, which adding, resending
    and admin go through (tests/users/test_welcome_limits.py holds that).
    """
    if not user.is_active or user_is_activated(user):
        return False
    accesses = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("kind", "organisation__name")
    )
    email_enqueue_template(
        kind="welcome",
        to=user.email,
        language=user.language,
        template_prefix="accounts/email/welcome",
        contains_secret=True,
        context={
            "user": user,
            "accesses": accesses,
            "activation_url": activation_url(user),
            "valid_hours": link_lifetime_hours(settings.ACCOUNT_ACTIVATION_TIMEOUT),
            "portal_url": settings.PORTAL_URL,
        },
    )
    user.welcome_sent_at = timezone.now()
    user.save(update_fields=["welcome_sent_at"])
    return True


@transaction.atomic
def user_activate(*, user: User, password: str, request: HttpRequest | None = None) -> User:
    """The person chose their first password through the welcome link (recorded by the
    audit log through ``accounts.signals.activation_password_set``, in this transaction)."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    activation_password_set.send(sender=User, request=request, user=user)
    return user


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """Ends the user's open sessions at once (deletes them from the session store).

    Every login is tracked in allauth.usersessions' ``UserSession`` (accounts.signals connects
    Django's ``user_logged_in``, so admin logins, activation logins and test logins count too).
    Sessions older than the tracking are still refused for an inactive user, because Django's
    ModelBackend returns no user for an inactive account on every request.
    """
    from allauth.usersessions.models import UserSession

    ended = 0
    for session in UserSession.objects.filter(user=user):
        if keep_session_key and session.session_key == keep_session_key:
            continue
        session.end()
        ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user: User, by: User | None, reason: str) -> User:
    """Login stops and every open session of the person ends at once (R4, R16).

    ``reason`` (``User.InactiveReason``) says who may give the login back: an Admin, after a
    deactivation through a removal, or only staff, after their block. A block is never
    weakened: deactivating a blocked person through a removal keeps the block.
    One function for the portal, the admin and user removal. Access rows are not touched
    here: removing access is the removal service's decision.
    """
    if reason not in user.InactiveReason.values:
        raise ValueError(f"Unknown reason {reason!r}")
    if user.inactive_reason == user.InactiveReason.BLOCKED:
        reason = user.InactiveReason.BLOCKED
    if user.is_active or user.inactive_reason != reason:
        user.is_active = False
        user.inactive_reason = reason
        user.save(update_fields=["is_active", "inactive_reason"])
    # Sessions live in the database, so ending them shares this transaction: a rolled-back
    # deactivation logs nobody out.
    ended = user_sessions_end(user=user)
    logger.info(
        "User %s deactivated (%s) by %s; %s sessions ended",
        user.pk,
        reason,
        getattr(by, "pk", None),
        ended,
    )
    return user


@transaction.atomic
def user_reactivate(*, user: User, by: User | None, lift_block: bool = False) -> User:
    """The person can log in again. A staff block is lifted only with ``lift_block`` (staff's
    *Reactivate*); a portal Admin's reactivation of a blocked person is refused."""
    if user.inactive_reason == user.InactiveReason.BLOCKED and not lift_block:
        raise PermissionDenied("Only staff lift a staff block.")
    if not user.is_active:
        user.is_active = True
        user.inactive_reason = None
        user.save(update_fields=["is_active", "inactive_reason"])
    logger.info("User %s reactivated by %s", user.pk, getattr(by, "pk", None))
    return user
