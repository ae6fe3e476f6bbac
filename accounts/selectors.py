"""Reads of accounts data. Every organisation-scoped read takes the organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F

from accounts.models import Membership

if TYPE_CHECKING:
    from accounts.models import User


def organisation_membership_list(*, user: User) -> list[Membership]:
    """The user's *Mijn organisatie* memberships, first by organisation name (one query)."""
    return list(
        Membership.objects.filter(
            user=user,
            kind=Membership.Kind.ORGANISATION,
            organisation__customer_id=user.customer_id,
        )
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )


def organisation_membership_rows(*, user_id: int) -> list[Membership]:
    """The same memberships as ``organisation_membership_list`` for a user known by id, with
    the user joined in (``accounts.backends``: the user and the memberships of a request in
    one query)."""
    return list(
        Membership.objects.filter(
            user_id=user_id,
            kind=Membership.Kind.ORGANISATION,
            organisation__customer_id=F("user__customer_id"),
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "organisation_id")
    )


def user_has_support_access(*, user: User) -> bool:
    return Membership.objects.filter(user=user, kind=Membership.Kind.SUPPORT).exists()
