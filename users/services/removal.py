"""Ending access (R16): one access, or with *deactivate altogether* every access and the login.

A removal needs a reason; staff keep a ``UserRemoval`` record of each, every organisation's
log shows the access that ended there, and the customer's CSM gets a mail (``csm``). Removing
the last Admin is refused (``last_admin``). Locks follow the order in ``users.services``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import Membership, User
from accounts.services import user_deactivate
from audit.models import AuditEvent
from audit.services import audit_record
from users.models import UserRemoval
from users.services import last_admin
from users.services.access import access_snapshot, lock_access
from users.services.csm import csm_notify

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import Organisation


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Give the reason for removing this access.")})
    return reason


@transaction.atomic
def membership_remove(
    *,
    by: User,
    membership: Membership,
    reason: str,
    deactivate: bool = False,
    request: HttpRequest | None = None,
) -> UserRemoval:
    """Ends one access (R16), or with ``deactivate`` the person's every access and login.

    Refused when it would leave an organisation without an Admin (R17). Staff keep a
    ``UserRemoval`` record; the customer's CSM is told by a queued e-mail.
    """
    reason = _clean_reason(reason)
    if deactivate:
        return _contact_deactivate(
            by=by,
            user=membership.user,
            reason=reason,
            organisation=membership.organisation,
            membership=membership,
            request=request,
        )
    admins, current = lock_access(membership)
    person = current.user
    last_admin.refuse_orphaning(person=person, ending=[current], admins=admins)
    removal = _removal_record(
        by=by, person=person, membership=current, reason=reason, deactivated=False
    )
    _access_removed_record(by=by, access=current, after={"reason": reason}, request=request)
    current.delete()
    csm_notify(removal=removal, by=by, person=person, access=current, ended=[current])
    return removal


@transaction.atomic
def contact_deactivate(
    *,
    by: User,
    user: User,
    reason: str,
    organisation: Organisation,
    request: HttpRequest | None = None,
) -> UserRemoval:
    """The person no longer works for the customer (R16 with the box): every access of every
    organisation and both kinds ends, login stops and every open session ends.

    ``organisation`` is where the removal was asked for; the record and the CSM mail name it.
    Refused when the person is the last Admin of any organisation (R17).
    """
    return _contact_deactivate(
        by=by,
        user=user,
        reason=_clean_reason(reason),
        organisation=organisation,
        membership=None,
        request=request,
    )


def _contact_deactivate(
    *,
    by: User,
    user: User,
    reason: str,
    organisation: Organisation,
    membership: Membership | None,
    request: HttpRequest | None,
) -> UserRemoval:
    # The locks in their order: the Admins of every organisation where the person is Admin,
    # the person, then every access of theirs.
    admins = last_admin.lock_admins(
        Membership.objects.filter(
            user=user, kind=Membership.Kind.ORGANISATION, role=Membership.Role.ADMIN
        ).values_list("organisation_id", flat=True)
    )
    person = User.objects.select_for_update().get(pk=user.pk)
    accesses = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(user=person)
        .select_related("organisation", "organisation__customer")
        .order_by("organisation__name", "kind")
    )
    last_admin.refuse_orphaning(person=person, ending=accesses, admins=admins)
    recorded = _access_recorded(accesses, organisation=organisation, membership=membership)
    removal = _removal_record(
        by=by, person=person, membership=recorded, reason=reason, deactivated=True
    )
    for access in accesses:
        # Each organisation's own log shows that the person lost access there.
        after = {"reason": reason, "deactivated": True}
        _access_removed_record(by=by, access=access, after=after, request=request)
    audit_record(
        action=AuditEvent.Action.CONTACT_DEACTIVATED,
        actor=by,
        organisation=recorded.organisation,
        target=person,
        before={"is_active": person.is_active, "accesses": len(accesses)},
        after={"is_active": False, "reason": reason},
        request=request,
    )
    Membership.objects.filter(pk__in=[m.pk for m in accesses]).delete()
    # A person blocked by staff stays blocked (user_deactivate never weakens a block).
    user_deactivate(user=person, by=by, reason=User.InactiveReason.DEACTIVATED)
    csm_notify(removal=removal, by=by, person=person, access=recorded, ended=accesses)
    return removal


def _access_recorded(
    accesses: list[Membership], *, organisation: Organisation, membership: Membership | None
) -> Membership:
    """The access a deactivation's removal record names: the one it was asked for, else the
    person's access where it was asked (Mijn organisatie before Mijn support)."""
    here = [m for m in accesses if m.organisation_id == organisation.pk]
    if membership is not None:
        here = [m for m in here if m.pk == membership.pk] or here
    if not here:
        raise ValidationError(
            {NON_FIELD_ERRORS: gettext("This person has no access to this organisation.")}
        )
    return sorted(here, key=lambda m: m.kind != Membership.Kind.ORGANISATION)[0]


def _access_removed_record(
    *, by: User, access: Membership, after: dict, request: HttpRequest | None
) -> None:
    audit_record(
        action=AuditEvent.Action.ACCESS_REMOVED,
        actor=by,
        organisation=access.organisation,
        target=access,
        before=access_snapshot(access),
        after=after,
        request=request,
    )


def _removal_record(
    *, by: User, person: User, membership: Membership, reason: str, deactivated: bool
) -> UserRemoval:
    """The record staff keep of a removal (*Admin → Users → Removals*)."""
    removal = UserRemoval(
        removed_by=by if getattr(by, "is_authenticated", False) else None,
        removed_by_email=by.email if by is not None else "",
        user=person,
        user_email=person.email,
        user_name=person.get_full_name(),
        customer_id=membership.organisation.customer_id,
        organisation=membership.organisation,
        kind=membership.kind,
        role=membership.role,
        reason=reason,
        deactivated=deactivated,
    )
    removal.full_clean()
    removal.save()
    return removal
