"""A contact's details (R14, R15, R19): set, checked and recorded in the audit log the same
way whoever edits them (an Admin adding or editing a person, staff in admin).

The fields are ``User.CONTACT_FIELDS``. The names are required; a retired function stays on
the people who have it, but nobody gets it anew; phone numbers are parsed (Dutch ones may be
typed without +31) and stored as E.164.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from accounts.emails import canonical_email
from accounts.models import Membership, User
from accounts.services import user_email_change
from audit.models import AuditEvent
from audit.services import audit_record
from users.services.notices import email_change_notices_send
from users.services.welcome import WelcomeResult, welcome_send

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

    from accounts.models import Customer, Organisation
    from users.models import JobFunction

# The contact's details that the add and edit forms set (R14/R15).
CONTACT_FIELDS = User.CONTACT_FIELDS
# At most one change of a person's login address in this time (each one mails two addresses).
EMAIL_CHANGE_INTERVAL = timedelta(minutes=10)


def _json_value(value):
    """A JSON-safe value for the audit log."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "as_e164"):  # a phone number
        return value.as_e164 if value.is_valid() else str(value)
    if hasattr(value, "name_nl"):  # a function: both names, the sentence picks the language
        return {"nl": value.name_nl, "en": value.name_en}
    return str(value)


def contact_snapshot(user: User, fields: Iterable[str] = CONTACT_FIELDS) -> dict:
    """The contact's ``fields`` as the audit log keeps them (JSON-safe, empty as None)."""
    return {field: _json_value(getattr(user, field) or None) for field in fields}


def contact_details_set(
    user: User,
    *,
    first_name: str,
    last_name: str,
    job_function: JobFunction | None,
    job_title: str,
    phone: str,
    mobile: str,
) -> None:
    """Sets the contact's details on ``user`` and checks them (``full_clean``); the caller
    saves. Refused with a ValidationError on the field at fault."""
    # A retired function stays on the people who have it, but nobody gets it anew.
    retired = job_function is not None and not job_function.active
    if retired and job_function.pk != user.job_function_id:
        raise ValidationError({"job_function": gettext("This function can no longer be chosen.")})
    user.first_name = (first_name or "").strip()
    user.last_name = (last_name or "").strip()
    user.job_function = job_function
    user.job_title = (job_title or "").strip()
    # PhoneNumberField parses the text (Dutch numbers without +31 too); full_clean validates.
    user.phone = (str(phone) if phone else "").strip()
    user.mobile = (str(mobile) if mobile else "").strip()
    errors = {}
    if not user.first_name:
        errors["first_name"] = gettext("Fill in the first name.")
    if not user.last_name:
        errors["last_name"] = gettext("Fill in the last name.")
    if errors:
        raise ValidationError(errors)
    user.full_clean(exclude=["password"])


def changes_record(
    *,
    action: str,
    by: User | None,
    target: Any,
    before: dict,
    after: dict,
    organisation: Organisation | None = None,
    customer: Customer | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Records ``action`` on ``target`` with the fields whose value differs between the
    snapshots ``before`` and ``after`` (only those); nothing when none does. Returns the
    fields that changed."""
    changed = [field for field in after if before.get(field) != after[field]]
    if changed:
        audit_record(
            action=action,
            actor=by,
            organisation=organisation,
            customer=customer,
            target=target,
            before={field: before.get(field) for field in changed},
            after={field: after[field] for field in changed},
            request=request,
        )
    return changed


# --- the login address (R15, issue 17) --------------------------------------------------------


def _email_refusal(person: User, email: str) -> str:
    """Step 1's rules (R14) for a new address of ``person``: "" when it may be theirs.

    Someone else's address is refused: at another customer (or vendor staff) with the one
    answer that tells nothing, here with the plain fact (step 1 would have found them too)."""
    other = User.objects.filter(email=email).exclude(pk=person.pk).only("customer_id").first()
    if other is None:
        return ""
    if other.customer_id is not None and other.customer_id == person.customer_id:
        return gettext("Another contact of your organisation already has this e-mail address.")
    return gettext("This e-mail address is not available.")


def _beyond_the_admin(person: User, by: User) -> bool:
    """Whether ``person`` has access to an organisation where ``by`` is not Admin.

    The login address opens every access the person has: an Admin who could change it, and
    then ask for a password reset, would get into organisations (and Mijn support) that
    they do not manage. So an Admin changes it only for people wholly within their reach;
    staff change any address."""
    managed = Membership.objects.filter(
        user=by, kind=Membership.Kind.ORGANISATION, role=Membership.Role.ADMIN
    ).values("organisation_id")
    return Membership.objects.filter(user=person).exclude(organisation_id__in=managed).exists()


def _changed_recently(person: User, now) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.CONTACT_EMAIL_CHANGED,
            customer_id=person.customer_id,
            target_type="user",
            target_id=str(person.pk),
            created_at__gt=now - EMAIL_CHANGE_INTERVAL,
        )
        .order_by("-created_at")
        .first()
    )


def contact_email_check(*, by: User, person: User, email: str) -> str:
    """The new login address of ``person`` as stored (canonical), or a ValidationError on
    the ``email`` field: an address without a canonical form, someone else's (step 1's
    rules), a person beyond the Admin's organisations, or a change less than
    ``EMAIL_CHANGE_INTERVAL`` after the last one. Unchanged: the address as it is."""
    try:
        canonical = canonical_email(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    if canonical == person.email:
        return canonical
    if refusal := _email_refusal(person, canonical):
        raise ValidationError({"email": refusal})
    if not by.is_staff and _beyond_the_admin(person, by):
        raise ValidationError(
            {
                "email": gettext(
                    "%(name)s also has access to an organisation you are not an Admin of, so "
                    "you cannot change the e-mail address. Ask us to change it."
                )
                % {"name": person.get_full_name() or person.email}
            }
        )
    now = timezone.now()
    if (last := _changed_recently(person, now)) is not None:
        retry_at = timezone.localtime(last.created_at + EMAIL_CHANGE_INTERVAL)
        if retry_at.second or retry_at.microsecond:  # "from 10:11" never a moment too early
            retry_at = retry_at.replace(second=0, microsecond=0) + timedelta(minutes=1)
        raise ValidationError(
            {
                "email": gettext(
                    "The e-mail address of this person was changed less than %(minutes)d "
                    "minutes ago. It can be changed again from %(time)s."
                )
                % {
                    "minutes": math.ceil(EMAIL_CHANGE_INTERVAL.total_seconds() / 60),
                    "time": formats.time_format(retry_at, "H:i"),
                }
            }
        )
    return canonical


@dataclass(frozen=True)
class EmailChange:
    """A changed login address, and the welcome mail to it of someone who never activated
    (``welcome.sent`` False and no ``limit`` for someone who did: they get the notice)."""

    old: str
    new: str
    welcome: WelcomeResult


def contact_email_set(
    *,
    by: User,
    person: User,
    email: str,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> EmailChange | None:
    """Changes ``person``'s login address (R15) after ``contact_email_check``; returns what
    changed (and what became of a welcome mail), or None when the address is the same. Call
    it in the transaction of the edit, holding the person's row lock (the services' lock
    order).

    Logged as ``contact.email_changed`` (before and after). The person logs in with the new
    address only (``accounts.services.user_email_change``); both addresses are told
    (``notices``), and someone who never activated gets the welcome mail at the new address
    (the old link stopped working with the change), within the limits of ``welcome_send``.
    """
    canonical = contact_email_check(by=by, person=person, email=email)
    if canonical == person.email:
        return None
    try:
        with transaction.atomic():  # a savepoint: another writer may take the address first
            old = user_email_change(user=person, email=canonical)
    except IntegrityError as error:
        raise ValidationError({"email": _email_refusal(person, canonical)}) from error
    audit_record(
        action=AuditEvent.Action.CONTACT_EMAIL_CHANGED,
        actor=by,
        organisation=organisation,
        customer=person.customer,
        target=person,
        before={"email": old},
        after={"email": canonical},
        request=request,
    )
    email_change_notices_send(by=by, person=person, old_email=old)
    welcome = welcome_send(by=by, user=person, organisation=organisation, request=request)
    return EmailChange(old=old, new=canonical, welcome=welcome)
