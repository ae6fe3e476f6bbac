"""Reads of user management (R13-R20). Every organisation-scoped read takes the organisation."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from accounts.emails import canonical_email
from accounts.models import Membership, User
from accounts.selectors import user_status_annotation, user_status_q
from users.models import JobFunction

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from django.db.models import QuerySet

    from accounts.models import Organisation


class EmailOutcome(enum.StrEnum):
    """What step 1 of the add wizard (R14) makes of an e-mail address."""

    NEW = "new"  # nobody has it: a new contact of this customer
    KNOWN = "known"  # an active contact of this customer: step 2 is prefilled
    REACTIVATE = "reactivate"  # deactivated through a removal (R16): reactivated on add
    # known at another customer (or vendor staff), or blocked by staff: say nothing more
    UNAVAILABLE = "unavailable"
    HAS_ACCESS = "has_access"  # already holds this kind of access to this organisation
    SUPPORT_ELSEWHERE = "support_elsewhere"  # holds Mijn support access for another organisation


ALLOWED_OUTCOMES = frozenset({EmailOutcome.NEW, EmailOutcome.KNOWN, EmailOutcome.REACTIVATE})


@dataclass(frozen=True)
class EmailCheck:
    outcome: EmailOutcome
    user: User | None
    email: str
    message: str = ""

    @property
    def allowed(self) -> bool:
        return self.outcome in ALLOWED_OUTCOMES


def _unavailable(email: str) -> EmailCheck:
    """The one answer for another customer's (or staff's) address and a blocked contact."""
    return EmailCheck(
        EmailOutcome.UNAVAILABLE, None, email, gettext("This e-mail address is not available.")
    )


def email_check(*, organisation: Organisation, email: str, kind: str) -> EmailCheck:
    """Applies the rules of step 1 (R14) to an e-mail address, in its canonical form
    (accounts/emails.py: ValidationError for text that has none).

    An address known at another customer answers only "not available": telling more would let
    one customer's Admin find out who works for another customer.
    """
    if kind not in Membership.Kind.values:
        raise ValueError(f"Unknown kind of access {kind!r}")
    normalised = canonical_email(email)
    user = User.objects.filter(email=normalised).select_related("job_function").first()
    if user is None:
        return EmailCheck(EmailOutcome.NEW, None, normalised)
    if user.customer_id is None or user.customer_id != organisation.customer_id:
        return _unavailable(normalised)
    accesses = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("pk")
    )
    if not user.is_active and (user.inactive_reason != User.InactiveReason.DEACTIVATED or accesses):
        # Blocked by staff (e.g. a compromised account), whatever access is left: only staff
        # lift that. Asked before "already has access", so nothing about such a person shows;
        # the answer is the one for another customer's address. (An inactive contact who
        # still has access was blocked: a deactivation through a removal ends every access.)
        return _unavailable(normalised)
    if any(m.organisation_id == organisation.pk and m.kind == kind for m in accesses):
        if kind == Membership.Kind.SUPPORT:
            message = gettext("This person already has Mijn support access to %(organisation)s.")
        else:
            message = gettext(
                "This person already has Mijn organisatie access to %(organisation)s."
            )
        return EmailCheck(
            EmailOutcome.HAS_ACCESS,
            user,
            normalised,
            message % {"organisation": organisation.name},
        )
    if kind == Membership.Kind.SUPPORT:
        elsewhere = next((m for m in accesses if m.kind == Membership.Kind.SUPPORT), None)
        if elsewhere is not None:
            return EmailCheck(
                EmailOutcome.SUPPORT_ELSEWHERE,
                user,
                normalised,
                gettext(
                    "This person already has Mijn support access to %(organisation)s. "
                    "Mijn support access exists for one organisation only."
                )
                % {"organisation": elsewhere.organisation.name},
            )
    if not user.is_active:
        # Deactivated through a removal (R16), no access left: an Admin may bring them back.
        return EmailCheck(EmailOutcome.REACTIVATE, user, normalised)
    return EmailCheck(EmailOutcome.KNOWN, user, normalised)


# The orders of the *Gebruikers* lists: plain columns (and the lower-cased names, as a person
# reads them), each ending in a unique column, so a page never shows a person twice or skips
# one when names are equal; descending reverses every key. Sorting is the database's.
_BY_NAME = (Lower("user__last_name"), Lower("user__first_name"), F("user__email"), F("pk"))
USER_SORTS = {
    "name": _BY_NAME,
    "email": (F("user__email"), F("pk")),
    "role": (F("role"), *_BY_NAME),
}
DEFAULT_USER_SORT = "name"
SECURITY_CONTACT_CHOICES = ("yes", "no")


def user_sort_keys() -> list[str]:
    """Every value of ``sort`` a list accepts: each order ascending and descending."""
    return [key for name in USER_SORTS for key in (name, f"-{name}")]


def _order_by(sort: str) -> list:
    descending = sort.startswith("-")
    keys = USER_SORTS.get(sort.removeprefix("-"), USER_SORTS[DEFAULT_USER_SORT])
    return [key.desc() if descending else key.asc() for key in keys]


@dataclass(frozen=True)
class UserFilters:
    """What a *Gebruikers* list shows (R13 and issue 17): a search, the role, the status and
    the security/privacy flag, and the order. Unknown values are dropped by the form."""

    query: str = ""
    role: str = ""
    status: str = ""
    security_contact: str = ""  # "yes", "no" or "" for both
    sort: str = DEFAULT_USER_SORT

    @property
    def filtered(self) -> bool:
        return bool(self.query or self.role or self.status or self.security_contact)


def organisation_user_list(
    *,
    organisation: Organisation,
    kind: str,
    query: str = "",
    filters: UserFilters | None = None,
    now: datetime | None = None,
) -> QuerySet[Membership]:
    """The active people holding ``kind`` access to the organisation (R13), each with the
    ``user_status`` of their account (``accounts.selectors.UserStatus``).

    ``query`` (or ``filters.query``) matches first name, last name, full name or e-mail,
    case-insensitively; ``filters`` narrow by role, status and security/privacy flag and
    choose the order (by last name unless it says otherwise).
    """
    filters = filters or UserFilters(query=query)
    now = now or timezone.now()
    memberships = (
        Membership.objects.filter(organisation=organisation, kind=kind, user__is_active=True)
        .select_related("user", "user__job_function")
        .annotate(user_status=user_status_annotation(now=now, prefix="user__"))
    )
    query = " ".join(filters.query.split())
    if query:
        memberships = memberships.annotate(
            user_full_name=Concat("user__first_name", Value(" "), "user__last_name")
        ).filter(
            Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
            | Q(user_full_name__icontains=query)
            | Q(user__email__icontains=query)
        )
    if filters.role and kind == Membership.Kind.ORGANISATION:
        memberships = memberships.filter(role=filters.role)
    if filters.status:
        memberships = memberships.filter(user_status_q(filters.status, now=now, prefix="user__"))
    if filters.security_contact in SECURITY_CONTACT_CHOICES:
        memberships = memberships.filter(security_contact=filters.security_contact == "yes")
    # By last name as a person reads it: "de Boer" between "Coon" and "Dekker", whatever the case.
    return memberships.order_by(*_order_by(filters.sort))


def membership_get(*, organisation: Organisation, pk: int, kind: str | None = None) -> Membership:
    """One access of an active person in the organisation; anything else is a 404, the same
    whether it belongs to another organisation or does not exist."""
    filters = {"organisation": organisation, "pk": pk, "user__is_active": True}
    if kind is not None:
        filters["kind"] = kind
    return get_object_or_404(
        Membership.objects.select_related("user", "user__job_function", "organisation"),
        **filters,
    )


def job_function_choices() -> QuerySet[JobFunction]:
    """The functions a person can be given now (R18)."""
    return JobFunction.objects.filter(active=True).order_by("order", "name_nl")


def security_contact_list(
    *, organisations: Iterable[Organisation] | QuerySet[Organisation]
) -> QuerySet[Membership]:
    """The active security/privacy contacts (R20) of these organisations, for staff."""
    return (
        Membership.objects.filter(
            organisation__in=organisations, security_contact=True, user__is_active=True
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name", "user__email")
    )


def sole_admin_organisations(*, user: User) -> list[Organisation]:
    """The organisations where ``user`` is the only Admin with a working (active) login."""
    from accounts.models import Organisation

    return list(
        Organisation.objects.filter(
            memberships__user=user,
            memberships__kind=Membership.Kind.ORGANISATION,
            memberships__role=Membership.Role.ADMIN,
        )
        .exclude(
            pk__in=Membership.objects.filter(
                kind=Membership.Kind.ORGANISATION,
                role=Membership.Role.ADMIN,
                user__is_active=True,
            )
            .exclude(user=user)
            .values("organisation_id")
        )
        .order_by("name")
    )
