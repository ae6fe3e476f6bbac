"""The welcome mail (R2) and its limits (issue 15): every welcome mail goes through
``welcome_send`` (adding, adding again, *Welkomstmail opnieuw sturen*, admin's action, the
access inline and the *Memberships* page), so none of them can skip the limits.

At most one per person per ``WELCOME_MAIL_INTERVAL``, and for a portal Admin at most
``settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR`` per ``WELCOME_SENDER_WINDOW``. Both are read from
stored data under row locks (the person's, then the sending Admin's: the last locks in the
order of ``users.services``), so they hold across processes and for parallel requests.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from accounts.models import User
from accounts.services import user_is_activated, user_send_welcome
from audit.models import AuditEvent
from audit.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import Membership, Organisation

# At most one welcome mail per person in this time, whoever asks (issue 15).
WELCOME_MAIL_INTERVAL = timedelta(minutes=10)
# The period of settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR.
WELCOME_SENDER_WINDOW = timedelta(hours=1)


class WelcomeLimit(enum.StrEnum):
    """Which limit refused a welcome mail."""

    ADDRESS = "address"  # the person had one less than WELCOME_MAIL_INTERVAL ago
    SENDER = "sender"  # the Admin sent the most allowed in the last WELCOME_SENDER_WINDOW


@dataclass(frozen=True)
class WelcomeResult:
    """What became of a welcome mail: sent, not needed (activated or inactive), or refused
    by a limit until ``retry_at``."""

    sent: bool
    email: str
    limit: WelcomeLimit | None = None
    retry_at: datetime | None = None
    bound: int = 0

    @property
    def message(self) -> str:
        """The refusal for the person who asked, in the active language ("" when none)."""
        if self.limit is None or self.retry_at is None:
            return ""
        # Rounded up to the minute: "from 10:11" must not be a few seconds too early.
        moment = timezone.localtime(self.retry_at)
        if moment.second or moment.microsecond:
            moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        values = {"email": self.email, "time": formats.time_format(moment, "H:i")}
        if self.limit == WelcomeLimit.ADDRESS:
            return gettext(
                "No welcome e-mail was sent to %(email)s: one was sent less than %(minutes)d "
                "minutes ago. It can be sent again from %(time)s."
            ) % (values | {"minutes": math.ceil(WELCOME_MAIL_INTERVAL.total_seconds() / 60)})
        return gettext(
            "No welcome e-mail was sent to %(email)s: you have sent %(count)d welcome e-mails "
            "in the past hour, the most allowed. It can be sent again from %(time)s."
        ) % (values | {"count": self.bound})


def _bounded_sender(by: User | None) -> bool:
    """Portal Admins are bound per hour; staff are not (they onboard whole customers in admin,
    log in with two factors, and every mail they send is in the audit log). The per-person
    limit holds for everyone."""
    return by is not None and getattr(by, "is_authenticated", False) and not by.is_staff


def welcome_refusal(
    *, user: User, by: User | None, now: datetime
) -> tuple[WelcomeLimit, datetime] | None:
    """Which limit refuses a welcome mail to ``user`` asked by ``by`` at ``now``, and from
    when it can be sent; None when it may go out. Read from stored data (the person's
    ``welcome_sent_at``, the sender's ``contact.welcome_sent`` audit events), so every
    process sees the same; ``welcome_send`` calls it under the locks that make it exact."""
    if user.welcome_sent_at is not None and now - user.welcome_sent_at < WELCOME_MAIL_INTERVAL:
        return WelcomeLimit.ADDRESS, user.welcome_sent_at + WELCOME_MAIL_INTERVAL
    if _bounded_sender(by):
        bound = settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR
        sent = list(
            AuditEvent.objects.filter(
                actor=by,
                action=AuditEvent.Action.WELCOME_SENT,
                created_at__gt=now - WELCOME_SENDER_WINDOW,
            )
            .order_by("created_at")
            .values_list("created_at", flat=True)
        )
        if len(sent) >= bound:
            # Another may go out once enough of them are an hour old.
            oldest = sent[len(sent) - bound] if bound > 0 else now
            return WelcomeLimit.SENDER, oldest + WELCOME_SENDER_WINDOW
    return None


@transaction.atomic
def welcome_send(
    *,
    by: User | None,
    user: User,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> WelcomeResult:
    """The one way a welcome mail (R2) is sent: adding, re-adding, resending and admin all
    come here, so none of them can skip the limits (issue 15).

    Only for an active person who never activated. At most one per person per
    ``WELCOME_MAIL_INTERVAL`` (``welcome_sent_at``, read under the person's row lock, so two
    parallel requests cannot both send), and for a portal Admin at most
    ``settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR`` in an hour (their ``contact.welcome_sent``
    events, counted under a lock on the Admin's row). A refusal is no error: it is recorded
    (``contact.welcome_refused``, in the organisation's *Activiteit* and for staff) and
    returned with the moment the mail can be sent.
    """
    person = User.objects.select_for_update().get(pk=user.pk)
    if not person.is_active or user_is_activated(person):
        return WelcomeResult(sent=False, email=person.email)
    if _bounded_sender(by):
        # The Admin's row, locked last (see the module's lock order), queues two requests of
        # one Admin so the second counts the first one's mail. FOR NO KEY UPDATE: it does not
        # wait for the key-share locks this transaction's own audit events hold on that row.
        User.objects.select_for_update(no_key=True).filter(pk=by.pk).first()
    refusal = welcome_refusal(user=person, by=by, now=timezone.now())
    if refusal is not None:
        limit, retry_at = refusal
        audit_record(
            action=AuditEvent.Action.WELCOME_REFUSED,
            actor=by,
            organisation=organisation,
            customer=person.customer,
            target=person,
            after={"limit": str(limit), "retry_at": retry_at.isoformat()},
            request=request,
        )
        return WelcomeResult(
            sent=False,
            email=person.email,
            limit=limit,
            retry_at=retry_at,
            bound=settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR,
        )
    user_send_welcome(user=person)
    user.welcome_sent_at = person.welcome_sent_at
    audit_record(
        action=AuditEvent.Action.WELCOME_SENT,
        actor=by,
        organisation=organisation,
        customer=person.customer,
        target=person,
        request=request,
    )
    return WelcomeResult(sent=True, email=person.email)


@transaction.atomic
def welcome_resend(
    *, by: User, membership: Membership, request: HttpRequest | None = None
) -> WelcomeResult:
    """*Welkomstmail opnieuw sturen* (beyond the guide): the welcome mail again to a person
    who never activated, within the limits of ``welcome_send``."""
    return welcome_send(
        by=by, user=membership.user, organisation=membership.organisation, request=request
    )
