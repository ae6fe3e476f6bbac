"""Reads of accounts data. Every organisation-scoped read takes the organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F, QuerySet

from accounts.models import Membership

if TYPE_CHECKING:
    from accounts.models import User


def _organisation_memberships(**person) -> QuerySet[Membership]:
    """*Mijn organisatie* memberships in organisations of the person's own customer, first by
    organisation name: the one rule both readers below apply."""
    return (
        Membership.objects.filter(
            kind=Membership.Kind.ORGANISATION,
            organisation__customer_id=F("user__customer_id"),
            **person,
        )
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )


def organisation_membership_list(*, user: User) -> list[Membership]:
    """The user's *Mijn organisatie* memberships, first by organisation name (one query)."""
    return list(_organisation_memberships(user=user))


def organisation_membership_rows(*, user_id: int) -> list[Membership]:
    """The same memberships as ``organisation_membership_list`` for a user known by id, with
    the user joined in (``accounts.backends``: the user and the memberships of a request in
    one query)."""
    return list(_organisation_memberships(user_id=user_id).select_related("user"))


def user_has_support_access(*, user: User) -> bool:
    return Membership.objects.filter(user=user, kind=Membership.Kind.SUPPORT).exists()


# How many Admins a mail to a deactivated contact names (accounts.adapter): enough to find one.
RESTORING_ADMINS_NAMED = 5


def customer_admin_names(*, customer_id: int | None) -> list[str]:
    """The active Admins of a customer's organisations, each with the organisations they are
    Admin of ("Ruud Coon (Rode Lente, Rode Lente Services)"), by last name: who can give a
    deactivated contact of that customer access again. At most ``RESTORING_ADMINS_NAMED``;
    none for no customer. One query, whatever the customer (the caller's work must not tell
    known addresses from unknown ones)."""
    rows = (
        Membership.objects.filter(
            kind=Membership.Kind.ORGANISATION,
            role=Membership.Role.ADMIN,
            organisation__customer_id=customer_id,
            user__is_active=True,
        )
        .order_by("user__last_name", "user__first_name", "user_id", "organisation__name")
        .values_list(
            "user_id", "user__first_name", "user__last_name", "user__email", "organisation__name"
        )
    )
    people: dict[int, tuple[str, list[str]]] = {}
    # Bounded: an Admin of many organisations fills at most this many rows.
    for user_id, first_name, last_name, email, organisation in rows[: RESTORING_ADMINS_NAMED * 20]:
        if user_id not in people and len(people) == RESTORING_ADMINS_NAMED:
            break
        name = f"{first_name} {last_name}".strip() or email
        people.setdefault(user_id, (name, []))[1].append(organisation)
    return [f"{name} ({', '.join(organisations)})" for name, organisations in people.values()]
