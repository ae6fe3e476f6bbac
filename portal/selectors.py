"""Reads the portal's own pages need from the apps below it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from users.models import UserRemoval

if TYPE_CHECKING:
    from accounts.models import User


def access_removed(*, user: User, kind: str | None = None) -> bool:
    """Whether an access of ``user`` (of ``kind``, or of either kind) was removed (R16): every
    removal, in the portal or in admin, leaves a ``UserRemoval`` record naming the person.
    Someone without access who has none never had any: "not yet", not "removed"."""
    removals = UserRemoval.objects.filter(user=user)
    if kind is not None:
        removals = removals.filter(kind=kind)
    return removals.exists()
