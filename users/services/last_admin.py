"""Never fewer than one Admin per organisation (R17).

Counting the Admins and then writing is a check-then-act race: two Admins demoting or
removing each other at the same moment would both see two Admins. So every write that can
take an Admin away first locks the organisation's Admin memberships (``lock_admins``, always
in primary-key order so two writers cannot deadlock) and counts under that lock
(``refuse_orphaning``); the second writer waits, then sees the first one's change and is
refused. These are the first locks a service takes (the order is in ``users.services``).

Only Admins who can log in count: one blocked by staff cannot look after the organisation,
and the portal's lists do not show them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext

from accounts.models import Membership

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import Organisation, User


def lock_admins(organisation_ids: Iterable[int]) -> list[Membership]:
    """Locks the Admin memberships of these organisations until the transaction ends.

    Always in primary-key order, whoever calls, so two transactions lock in the same order and
    never deadlock. On PostgreSQL a waiting transaction re-reads a row changed by the one it
    waited for (READ COMMITTED), so a demoted or deleted Admin is no longer counted.
    """
    return list(
        Membership.objects.select_for_update(of=("self",))
        .filter(
            organisation_id__in=list(organisation_ids),
            kind=Membership.Kind.ORGANISATION,
            role=Membership.Role.ADMIN,
            user__is_active=True,
        )
        .order_by("pk")
    )


def refuse_orphaning(
    *,
    person: User,
    ending: Iterable[Membership],
    admins: list[Membership],
    field: str = NON_FIELD_ERRORS,
) -> None:
    """Refuses (a ValidationError on ``field``) when ending ``person``'s access or Admin role
    in ``ending`` would leave one of those organisations without an Admin. ``admins`` are the
    Admin memberships ``lock_admins`` locked for those organisations."""
    orphaned = [
        access.organisation
        for access in ending
        if access.is_admin
        and not any(
            admin.organisation_id == access.organisation_id and admin.user_id != person.pk
            for admin in admins
        )
    ]
    if orphaned:
        raise ValidationError({field: _last_admin_error(orphaned, person=person)})


def _last_admin_error(organisations: list[Organisation], *, person: User) -> str:
    names = ", ".join(sorted(o.name for o in organisations))
    return gettext(
        "%(person)s is the last Admin of %(organisations)s. An organisation always keeps at "
        "least one Admin: make someone else Admin first."
    ) % {"person": person.get_full_name() or person.email, "organisations": names}
