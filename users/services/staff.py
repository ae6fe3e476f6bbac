"""What only staff do, in Django admin: block and unblock a contact's login, and their edits of
a contact's details in the activity log (R25: staff edits are in the log too).

Only staff lift a staff block: the contact's ``inactive_reason`` says *blocked by staff*, so
``email_check`` answers "not available" and ``membership_add`` refuses, whatever access is
left. Blocking a contact deactivated through a removal turns that into a block.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from accounts.models import User
from accounts.services import user_deactivate, user_reactivate
from audit.models import AuditEvent
from audit.services import audit_record
from users.services.contacts import CONTACT_FIELDS, changes_record, contact_snapshot

if TYPE_CHECKING:
    from django.http import HttpRequest

# The contact's fields staff edit on the user page that the audit log records.
STAFF_CONTACT_FIELDS = ["email", "language", *CONTACT_FIELDS]


@transaction.atomic
def contact_block(*, by: User, user: User, request: HttpRequest | None = None) -> User:
    """Staff stop a person's login at once (a compromised account, say) and end every open
    session, keeping their access rows. Only staff lift it again (``contact_unblock``)."""
    before = User.objects.select_for_update().get(pk=user.pk)
    user.is_active, user.inactive_reason = before.is_active, before.inactive_reason
    user_deactivate(user=user, by=by, reason=User.InactiveReason.BLOCKED)
    if before.is_active:
        changes = ({"is_active": True}, {"is_active": False})
    elif before.inactive_reason != user.inactive_reason:
        changes = (
            {"inactive_reason": before.inactive_reason},
            {"inactive_reason": user.inactive_reason},
        )
    else:
        return user
    audit_record(
        action=AuditEvent.Action.CONTACT_DEACTIVATED,
        actor=by,
        customer=user.customer,
        target=user,
        before=changes[0],
        after=changes[1],
        request=request,
    )
    return user


@transaction.atomic
def contact_unblock(*, by: User, user: User, request: HttpRequest | None = None) -> User:
    """Staff let a blocked (or deactivated) person log in again: the only way to lift a
    staff block. Access that ended stays ended; an Admin can give it again."""
    current = User.objects.select_for_update().get(pk=user.pk)
    was_active = current.is_active
    user.is_active, user.inactive_reason = current.is_active, current.inactive_reason
    user_reactivate(user=user, by=by, lift_block=True)
    if not was_active:
        audit_record(
            action=AuditEvent.Action.CONTACT_REACTIVATED,
            actor=by,
            customer=user.customer,
            target=user,
            before={"is_active": False},
            after={"is_active": True},
            request=request,
        )
    return user


def contact_changes_record(
    *, by: User, previous: User, user: User, request: HttpRequest | None = None
) -> None:
    """Records what staff changed of a contact's details in admin: ``previous`` is the
    contact as stored before the save. Call it in the saving transaction."""
    changes_record(
        action=AuditEvent.Action.CONTACT_CHANGED,
        by=by,
        customer=user.customer,
        target=user,
        before=contact_snapshot(previous, STAFF_CONTACT_FIELDS),
        after=contact_snapshot(user, STAFF_CONTACT_FIELDS),
        request=request,
    )
