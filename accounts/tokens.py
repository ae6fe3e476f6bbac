"""The welcome/activation link (R2): its own token generator and a signed user id.

Built on Django's password-reset token (a hash over the user's id, password hash, last login
and e-mail), so it works once: choosing a password changes the hash. It has its own salt, so
a reset token is no activation token and vice versa, and its own lifetime
(``ACCOUNT_ACTIVATION_TIMEOUT``), independent of ``PASSWORD_RESET_TIMEOUT``.

The user id in the link is signed rather than merely encoded: only a link we sent names a
user, so the "link expired" page may prefill that user's address without letting anyone
harvest addresses by trying ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

from accounts.models import User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

UID_SALT = "accounts.activation.uid"


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.ActivationTokenGenerator"

    def check_token(self, user: AbstractBaseUser | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.ACCOUNT_ACTIVATION_TIMEOUT


activation_token_generator = ActivationTokenGenerator()


def activation_uid(user: User) -> str:
    return signing.Signer(salt=UID_SALT).sign(str(user.pk))


def user_from_activation_uid(uid: str) -> User | None:
    """The user a genuine link names, or None for a tampered or unknown id."""
    try:
        pk = int(signing.Signer(salt=UID_SALT).unsign(uid))
    except (signing.BadSignature, ValueError):
        return None
    return User.objects.filter(pk=pk).first()


def link_lifetime_hours(seconds: int) -> int:
    """A link lifetime (PASSWORD_RESET_TIMEOUT, ACCOUNT_ACTIVATION_TIMEOUT) in whole hours, as
    pages and mails state it; at least 1."""
    return max(1, seconds // 3600)
