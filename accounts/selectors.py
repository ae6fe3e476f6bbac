"""Reads of accounts data. Every organisation-scoped read takes the organisation."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User

if TYPE_CHECKING:
    from datetime import datetime

    from accounts.models import Organisation


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


_MEMBERSHIPS = Membership._meta.db_table
_USERS = User._meta.db_table
# The overview reads the count in its one statement (portal/overview.py): the named subquery,
# its parameters and its columns; ``organisation_people_count`` runs it alone. The membership
# index (organisation, kind), each user by primary key.
PEOPLE_COUNT_CTE = f"""
people AS (
  SELECT COUNT(*) FILTER (WHERE m.role = %(admin)s) AS admins,
         COUNT(*) FILTER (WHERE m.role = %(viewer)s) AS viewers
    FROM {_MEMBERSHIPS} m JOIN {_USERS} u ON u.id = m.user_id
   WHERE m.organisation_id = %(organisation)s AND m.kind = %(organisation_kind)s
     AND u.is_active = %(active)s
)"""  # noqa: S608 - table names from the models; every value is a parameter
PEOPLE_COUNT_COLUMNS = "people.admins, people.viewers"
PEOPLE_COUNT_WIDTH = 2


def people_count_params(*, organisation: Organisation) -> dict:
    return {
        "organisation": organisation.pk,
        "admin": Membership.Role.ADMIN.value,
        "viewer": Membership.Role.VIEWER.value,
        "organisation_kind": Membership.Kind.ORGANISATION.value,
        "active": True,
    }


def people_count_from_row(values) -> PeopleCount:
    admins, viewers = values
    return PeopleCount(admins=int(admins or 0), viewers=int(viewers or 0))


def organisation_people_count(*, organisation: Organisation) -> PeopleCount:
    """The Admins and Viewers of ``organisation``: the people *Gebruikers* lists, so an
    account blocked by staff is not counted (one statement)."""
    with connection.cursor() as cursor:
        cursor.execute(_PEOPLE_COUNT_SQL, people_count_params(organisation=organisation))
        return people_count_from_row(cursor.fetchone())


_PEOPLE_COUNT_SQL = f"WITH {PEOPLE_COUNT_CTE} SELECT {PEOPLE_COUNT_COLUMNS} FROM people"  # noqa: S608
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


# --- a person's status (issue 17: *Gebruikers* as people expect) ----------------------------


class UserStatus(enum.StrEnum):
    """Where a person stands with their account, as the *Gebruikers* list and admin show it.

    An Admin sees the first four (the portal lists active contacts only); staff see all six.
    """

    ACTIVE = "active"  # activated: chose a password or logged in (``user_is_activated``)
    PENDING = "pending"  # welcome link sent, not used, still valid
    EXPIRED = "expired"  # welcome link sent, not used, older than ACCOUNT_ACTIVATION_TIMEOUT
    NOT_SENT = "not_sent"  # never activated and no welcome link sent (refused by its limits)
    DEACTIVATED = "deactivated"  # removed through *deactivate altogether* (R16): staff only
    BLOCKED = "blocked"  # blocked by staff: staff only

    @property
    def label(self) -> str:
        return str(USER_STATUS_LABELS[self])


USER_STATUS_LABELS = {
    UserStatus.ACTIVE: _("Active"),
    UserStatus.PENDING: _("Invitation pending"),
    UserStatus.EXPIRED: _("Invitation expired"),
    UserStatus.NOT_SENT: _("Invitation not sent"),
    UserStatus.DEACTIVATED: _("Removed (deactivated)"),
    UserStatus.BLOCKED: _("Blocked by staff"),
}
# What an Admin filters on in the portal, where only active contacts are listed.
PORTAL_USER_STATUSES = (
    UserStatus.ACTIVE,
    UserStatus.PENDING,
    UserStatus.EXPIRED,
    UserStatus.NOT_SENT,
)


def user_status_q(status: str, *, now: datetime, prefix: str = "") -> Q:
    """The condition on a user (``prefix`` ``"user__"`` from a membership) for ``status``:
    the one definition the list's filter, its column and admin use. The six conditions
    exclude each other and together cover every user.

    Activated is ``accounts.services.user_is_activated`` in SQL: a usable password (Django
    marks an unusable one with a leading ``!``) or a login. A welcome link is valid for
    ``ACCOUNT_ACTIVATION_TIMEOUT`` seconds from ``welcome_sent_at`` (the token's own moment,
    see ``user_send_welcome``); it is no longer checked once the person activated.
    """

    def field(name: str) -> str:
        return f"{prefix}{name}"

    activated = ~Q(**{field("password__startswith"): UNUSABLE_PASSWORD_PREFIX}) | Q(
        **{field("last_login__isnull"): False}
    )
    waiting = Q(**{field("is_active"): True}) & ~activated
    cutoff = now - timedelta(seconds=settings.ACCOUNT_ACTIVATION_TIMEOUT)
    conditions = {
        UserStatus.BLOCKED: Q(
            **{field("is_active"): False, field("inactive_reason"): User.InactiveReason.BLOCKED}
        ),
        UserStatus.DEACTIVATED: Q(**{field("is_active"): False})
        & ~Q(**{field("inactive_reason"): User.InactiveReason.BLOCKED}),
        UserStatus.ACTIVE: Q(**{field("is_active"): True}) & activated,
        UserStatus.NOT_SENT: waiting & Q(**{field("welcome_sent_at__isnull"): True}),
        UserStatus.PENDING: waiting & Q(**{field("welcome_sent_at__gt"): cutoff}),
        UserStatus.EXPIRED: waiting & Q(**{field("welcome_sent_at__lte"): cutoff}),
    }
    return conditions[UserStatus(status)]


def user_status_annotation(*, now: datetime, prefix: str = "") -> Case:
    """The status as a column (``.annotate(status=…)``), from the conditions of
    ``user_status_q``."""
    return Case(
        *(
            When(user_status_q(status, now=now, prefix=prefix), then=Value(status.value))
            for status in UserStatus
        ),
        default=Value(""),
        output_field=CharField(),
    )
