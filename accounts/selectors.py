"""Reads of accounts data. Every organisation-scoped read takes the organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet

from accounts.models import Membership

if TYPE_CHECKING:
    from accounts.models import Organisation, User


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


@dataclass(frozen=True)
class PeopleCount:
    """How many people hold *Mijn organisatie* access to an organisation, by role."""

    admins: int
    viewers: int

    @property
    def total(self) -> int:
        return self.admins + self.viewers


def organisation_people_count(*, organisation: Organisation) -> PeopleCount:
    """The Admins and Viewers of ``organisation`` (one query over the membership index): the
    people *Gebruikers* lists, so an account blocked by staff is not counted."""
    counts = Membership.objects.filter(
        organisation=organisation, kind=Membership.Kind.ORGANISATION, user__is_active=True
    ).aggregate(
        admins=Count("pk", filter=Q(role=Membership.Role.ADMIN)),
        viewers=Count("pk", filter=Q(role=Membership.Role.VIEWER)),
    )
    return PeopleCount(admins=counts["admins"], viewers=counts["viewers"])
