"""Writes of accounts data: one function per mutation, each in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def user_language_update(*, user: User, language: str) -> User:
    """Keeps the user's language choice in their profile; it is applied at every login."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unsupported language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
