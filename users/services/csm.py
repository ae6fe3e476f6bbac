"""The mail to the customer's CSM about a removal (R16), and its limit (issue 15)."""

from __future__ import annotations

from datetime import timedelta

from accounts.models import Membership, User
from outbox.services import email_enqueue_template
from users.models import UserRemoval

# At most one removal mail to the CSM per person and organisation in this time.
CSM_MAIL_INTERVAL = timedelta(minutes=10)
CSM_DEFAULT_LANGUAGE = "nl"


def csm_language(email: str) -> str:
    """The CSM's language: that of the account with their address (CSMs are usually staff),
    otherwise Dutch."""
    language = User.objects.by_email(email).values_list("language", flat=True).first()
    return language or CSM_DEFAULT_LANGUAGE


def csm_notify(
    *, removal: UserRemoval, by: User, person: User, access: Membership, ended: list[Membership]
) -> None:
    """Tells the customer's CSM who removed whom, where, which access, why, and whether the
    person was deactivated altogether (R16). Rendered now, in the CSM's language; the row
    shares the removal's transaction and is sent after commit.

    At most one mail per person and organisation per ``CSM_MAIL_INTERVAL``: adding and removing
    someone in a loop must not flood the CSM's mailbox. A removal soon after a mailed one is
    recorded (removal record, audit events) as always, with ``csm_notified`` off, and the mail
    says so. The callers hold the person's row lock, so two removals at once read each other.
    """
    organisation = access.organisation
    customer = organisation.customer
    if not customer.csm_email:
        return
    mailed_recently = (
        UserRemoval.objects.filter(
            user=person,
            organisation=organisation,
            csm_notified=True,
            removed_at__gt=removal.removed_at - CSM_MAIL_INTERVAL,
        )
        .exclude(pk=removal.pk)
        .exists()
    )
    if mailed_recently:
        return
    language = csm_language(customer.csm_email)
    email_enqueue_template(
        kind="access_removed",
        to=customer.csm_email,
        language=language,
        template_prefix="users/email/access_removed",
        contains_secret=False,
        context={
            "removal": removal,
            "language": language,
            "by_name": by.get_full_name() if by is not None else "",
            "by_email": by.email if by is not None else "",
            "person_name": person.get_full_name(),
            "person_email": person.email,
            "customer": customer,
            "organisation": organisation,
            "access": access,
            "reason": removal.reason,
            "deactivated": removal.deactivated,
            "ended": ended,
            "quiet_minutes": int(CSM_MAIL_INTERVAL.total_seconds() // 60),
        },
    )
    removal.csm_notified = True
    removal.save(update_fields=["csm_notified"])
