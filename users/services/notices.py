"""The notices a person gets about their own access (issue 17): new access given to someone
who already has an account, and a changed login address.

A new person gets the welcome mail (``welcome``) instead, which names their access. Notices
are in the person's language, queued in the caller's transaction and sent after commit
(``outbox``). They are limited like every mail (issue 15): a notice of new access at most
once per person per ``ACCESS_NOTICE_INTERVAL`` (read from the ``contact.access_notice_sent``
events under the person's row lock, which the callers hold), and an address change at most
once per person per ``EMAIL_CHANGE_INTERVAL`` (``contacts.contact_email_change``), so adding
and removing someone in a loop, or changing their address back and forth, cannot flood a
mailbox.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from accounts.models import Membership
from accounts.services import user_is_activated
from audit.models import AuditEvent
from audit.services import audit_record
from outbox.services import email_enqueue_template

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

# At most one notice of new access per person in this time.
ACCESS_NOTICE_INTERVAL = timedelta(minutes=10)


def _noticed_recently(person: User, now) -> bool:
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCESS_NOTICE_SENT,
        customer_id=person.customer_id,
        target_type="user",
        target_id=str(person.pk),
        created_at__gt=now - ACCESS_NOTICE_INTERVAL,
    ).exists()


def access_notice_send(
    *,
    by: User | None,
    membership: Membership,
    reactivated: bool,
    request: HttpRequest | None = None,
) -> bool:
    """Tells a person who already has an account (activated) that ``by`` gave them this
    access; ``reactivated``: their account, deactivated through a removal, works again.
    Returns whether a notice was queued: not when one went to them less than
    ``ACCESS_NOTICE_INTERVAL`` ago (the access stands either way; the earlier notice told
    them to look). Call it inside the transaction that gives the access, holding the
    person's row lock."""
    person = membership.user
    now = timezone.now()
    if _noticed_recently(person, now):
        return False
    email_enqueue_template(
        kind="access_notice",
        to=person.email,
        language=person.language,
        template_prefix="users/email/access_notice",
        context={
            "person": person,
            "by_name": _name(by),
            "organisation": membership.organisation,
            "access": membership,
            "is_support": membership.kind == Membership.Kind.SUPPORT,
            "reactivated": reactivated,
            "portal_url": settings.PORTAL_URL,
        },
    )
    audit_record(
        action=AuditEvent.Action.ACCESS_NOTICE_SENT,
        actor=by,
        organisation=membership.organisation,
        customer=person.customer,
        target=person,
        after={"kind": membership.kind, "reactivated": reactivated},
        request=request,
    )
    return True


def email_change_notices_send(*, by: User | None, person: User, old_email: str) -> None:
    """Tells the old and the new address of a person who has activated that their login
    address changed (R15), in their language. Someone who never activated gets the welcome
    mail at the new address instead (the caller sends it), and the old address, which never
    proved to be theirs (a typo, say), is told only that its invitation no longer works,
    without the new address."""
    activated = user_is_activated(person)
    context = {
        "person": person,
        "by_name": _name(by),
        "old_email": old_email,
        "new_email": person.email,
        "activated": activated,
        "portal_url": settings.PORTAL_URL,
    }
    email_enqueue_template(
        kind="email_changed_old_address",
        to=old_email,
        language=person.language,
        template_prefix="users/email/email_changed",
        context=context | {"to_old": True},
    )
    if activated:
        email_enqueue_template(
            kind="email_changed_new_address",
            to=person.email,
            language=person.language,
            template_prefix="users/email/email_changed",
            context=context | {"to_old": False},
        )


def _name(by: User | None) -> str:
    if by is None:
        return ""
    return by.get_full_name() or by.email
