"""The one write path for access (R13-R20): the portal, Django admin and commands call these.

Invariants kept here (and, where a database can, in the database too):
- one membership per (person, organisation, kind), Mijn support for one organisation only, a
  person's access only within their own customer (constraints and triggers on Membership);
- an e-mail address belongs to one customer (unique index on the lower-cased address);
- never fewer than one Admin per organisation (R17). Counting the Admins and then writing is a
  check-then-act race: two Admins demoting or removing each other at the same moment would
  both see two Admins. So every write that can take an Admin away first locks the
  organisation's Admin memberships (``select_for_update``, always in primary-key order so two
  writers cannot deadlock) and counts under that lock; the second writer waits, then sees the
  first one's change and is refused.

Locks are always taken in one order: the organisations' Admin memberships, then the person,
then the person's memberships, and last the Admin who sends a welcome mail (``welcome_send``).
Two writers taking them in opposite orders would deadlock.

Mails are limited wherever they are sent (issue 15): a welcome mail only through
``welcome_send`` (one per person per ``WELCOME_MAIL_INTERVAL``, at most
``settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR`` per Admin), the CSM's removal mail one per person
and organisation per ``CSM_MAIL_INTERVAL``. Both are read from stored data under row locks, so
they hold across processes and against parallel requests.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from accounts.models import Membership, User
from accounts.services import (
    user_deactivate,
    user_is_activated,
    user_reactivate,
    user_send_welcome,
)
from audit.models import AuditEvent
from audit.services import audit_record
from outbox.services import email_enqueue_template
from users.models import UserRemoval
from users.selectors import EmailOutcome, email_check

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

    from accounts.models import Organisation
    from users.models import JobFunction

# At most one welcome mail per person in this time, whoever asks (issue 15).
WELCOME_MAIL_INTERVAL = timedelta(minutes=10)
# The period of settings.WELCOME_MAILS_PER_ADMIN_PER_HOUR.
WELCOME_SENDER_WINDOW = timedelta(hours=1)
# At most one removal mail to the CSM per person and organisation in this time.
CSM_MAIL_INTERVAL = timedelta(minutes=10)
CSM_DEFAULT_LANGUAGE = "nl"

# The contact's details that the add and edit forms set (R14/R15).
CONTACT_FIELDS = User.CONTACT_FIELDS


def _json_value(value):
    """A JSON-safe value for the audit log."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "as_e164"):  # a phone number
        return value.as_e164 if value.is_valid() else str(value)
    if hasattr(value, "name_nl"):  # a function: both names, the sentence picks the language
        return {"nl": value.name_nl, "en": value.name_en}
    return str(value)


def _snapshot(obj, fields: Iterable[str]) -> dict:
    return {field: _json_value(getattr(obj, field) or None) for field in fields}


def _validate_job_function(job_function: JobFunction | None, current_id: int | None) -> None:
    # A retired function stays on the people who have it, but nobody gets it anew.
    if job_function is not None and not job_function.active and job_function.pk != current_id:
        raise ValidationError({"job_function": gettext("This function can no longer be chosen.")})


def _clean_role(kind: str, role: str | None) -> str | None:
    if kind == Membership.Kind.SUPPORT:
        return None  # Mijn support access has no role
    if role not in Membership.Role.values:
        raise ValidationError({"role": gettext("Choose a role.")})
    return role


def _set_contact_details(
    user: User,
    *,
    first_name: str,
    last_name: str,
    job_function: JobFunction | None,
    job_title: str,
    phone: str,
    mobile: str,
) -> None:
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


def _lock_admins(organisation_ids: Iterable[int]) -> list[Membership]:
    """Locks the Admin memberships of these organisations until the transaction ends.

    Always in primary-key order, whoever calls, so two transactions lock in the same order and
    never deadlock. On PostgreSQL a waiting transaction re-reads a row changed by the one it
    waited for (READ COMMITTED), so a demoted or deleted Admin is no longer counted.
    """
    # Only Admins who can log in count: one blocked by staff cannot look after the
    # organisation, and the portal's lists do not show them.
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


def _last_admin_error(organisations: list[Organisation], *, person: User) -> str:
    names = ", ".join(sorted(o.name for o in organisations))
    return gettext(
        "%(person)s is the last Admin of %(organisations)s. An organisation always keeps at "
        "least one Admin: make someone else Admin first."
    ) % {"person": person.get_full_name() or person.email, "organisations": names}


def _access_label(membership: Membership) -> str:
    label = str(membership.get_kind_display())
    if membership.role:
        label = f"{label} ({membership.get_role_display()})"
    return label


def _access_after(membership: Membership) -> dict:
    return {
        "email": membership.user.email,
        "kind": membership.kind,
        "role": membership.role,
        "security_contact": membership.security_contact,
    }


# --- add -----------------------------------------------------------------------------------


def _lost_race_refused(service):
    """Runs ``service`` in a savepoint: an insert that loses a race against another Admin's
    (the database's unique indexes let one win) becomes a ValidationError on the e-mail,
    never an IntegrityError for the caller."""

    @wraps(service)
    def wrapped(**kwargs):
        try:
            with transaction.atomic():
                return service(**kwargs)
        except IntegrityError as error:
            raise ValidationError(
                {
                    "email": gettext(
                        "Someone else changed this person's access at the same moment. "
                        "Check the list and try again."
                    )
                }
            ) from error

    return wrapped


@dataclass(frozen=True)
class AccessAdded:
    """What ``membership_add`` did: the access, and what became of the welcome mail."""

    membership: Membership
    welcome: WelcomeResult


@_lost_race_refused
def membership_add(
    *,
    by: User,
    organisation: Organisation,
    email: str,
    kind: str,
    first_name: str,
    last_name: str,
    job_function: JobFunction | None,
    role: str | None = None,
    job_title: str = "",
    phone: str = "",
    mobile: str = "",
    security_contact: bool = False,
    request: HttpRequest | None = None,
) -> AccessAdded:
    """Gives a person access to the organisation (R14): a new contact, a known one (details
    updated) or a deactivated one (reactivated). Every step-1 rule is applied again here:
    what the wizard carried between its steps is never trusted.

    Someone who never activated gets the welcome mail through ``welcome_send``; when its
    limits refuse the mail, the access is granted all the same (the Admin asked for access;
    the mail can follow with *Welkomstmail opnieuw sturen*) and the result says why and from
    when, for the Admin's message.

    Two Admins adding the same address at once: the database's unique indexes let one win;
    the other's insert fails inside the savepoint of ``_lost_race_refused``.
    """
    if kind not in Membership.Kind.values:
        raise ValidationError({NON_FIELD_ERRORS: gettext("Unknown kind of access.")})
    role = _clean_role(kind, role)
    check = email_check(organisation=organisation, email=email, kind=kind)
    if not check.email:
        raise ValidationError({"email": gettext("Fill in the e-mail address.")})
    if not check.allowed:
        raise ValidationError({"email": check.message})

    if check.outcome == EmailOutcome.NEW:
        # Colleagues mostly share a language: the welcome mail goes out in the Admin's, and
        # the person chooses their own in the profile.
        language = getattr(by, "language", "") or settings.LANGUAGE_CODE
        user = User(email=check.email, customer=organisation.customer, language=language)
        user.set_unusable_password()
        current_function_id = None
    else:
        # Lock the contact: a concurrent edit or removal of the same person waits.
        user = User.objects.select_for_update().get(pk=check.user.pk)
        if user.inactive_reason == User.InactiveReason.BLOCKED:
            # Blocked by staff since the check (or a replayed wizard state): only staff
            # lift a block, so this is the answer step 1 gives now.
            raise ValidationError({"email": gettext("This e-mail address is not available.")})
        current_function_id = user.job_function_id
    before = {} if check.outcome == EmailOutcome.NEW else _snapshot(user, CONTACT_FIELDS)
    _validate_job_function(job_function, current_function_id)
    _set_contact_details(
        user,
        first_name=first_name,
        last_name=last_name,
        job_function=job_function,
        job_title=job_title,
        phone=phone,
        mobile=mobile,
    )
    user.full_clean(exclude=["password"])
    user.save()

    if not user.is_active:  # deactivated through a removal (R16): the Admin brings them back
        user_reactivate(user=user, by=by)
        audit_record(
            action=AuditEvent.Action.CONTACT_REACTIVATED,
            actor=by,
            organisation=organisation,
            target=user,
            before={"is_active": False},
            after={"is_active": True},
            request=request,
        )
    elif check.outcome == EmailOutcome.KNOWN:
        after = _snapshot(user, CONTACT_FIELDS)
        changed = [field for field in CONTACT_FIELDS if before.get(field) != after.get(field)]
        if changed:
            audit_record(
                action=AuditEvent.Action.CONTACT_CHANGED,
                actor=by,
                organisation=organisation,
                target=user,
                before={field: before[field] for field in changed},
                after={field: after[field] for field in changed},
                request=request,
            )

    membership = Membership(
        user=user,
        organisation=organisation,
        kind=kind,
        role=role,
        security_contact=bool(security_contact),
    )
    membership.full_clean()
    membership.save()
    audit_record(
        action=AuditEvent.Action.ACCESS_GRANTED,
        actor=by,
        organisation=organisation,
        target=membership,
        after=_access_after(membership),
        request=request,
    )
    welcome = welcome_send(by=by, user=user, organisation=organisation, request=request)
    return AccessAdded(membership=membership, welcome=welcome)


# --- update --------------------------------------------------------------------------------


def _locked_membership(membership: Membership) -> Membership:
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organisation", "user__job_function")
        .filter(pk=membership.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: gettext("This access no longer exists. Someone removed it.")}
        )
    return locked


@transaction.atomic
def membership_update(
    *,
    by: User,
    membership: Membership,
    first_name: str,
    last_name: str,
    job_function: JobFunction | None,
    role: str | None = None,
    job_title: str = "",
    phone: str = "",
    mobile: str = "",
    security_contact: bool = False,
    request: HttpRequest | None = None,
) -> Membership:
    """Edits the person's details and this access's role and security flag (R15).

    Demoting the last Admin is refused (R17). The role is read by the middleware on every
    request, so a change is live on the person's next request.
    """
    # Lock first, read after: the role that counts is the one in the database now.
    admins = (
        _lock_admins([membership.organisation_id])
        if membership.kind == Membership.Kind.ORGANISATION
        else []
    )
    user = User.objects.select_for_update().get(pk=membership.user_id)
    current = _locked_membership(membership)
    role = _clean_role(current.kind, role)
    others = [m for m in admins if m.pk != current.pk]
    if current.is_admin and role != Membership.Role.ADMIN and not others:
        raise ValidationError({"role": _last_admin_error([current.organisation], person=user)})

    before = _snapshot(user, CONTACT_FIELDS) | {
        "role": current.role,
        "security_contact": current.security_contact,
    }
    _validate_job_function(job_function, user.job_function_id)
    _set_contact_details(
        user,
        first_name=first_name,
        last_name=last_name,
        job_function=job_function,
        job_title=job_title,
        phone=phone,
        mobile=mobile,
    )
    user.full_clean(exclude=["password"])
    current.user = user
    current.role = role
    current.security_contact = bool(security_contact)
    current.full_clean()
    after = _snapshot(user, CONTACT_FIELDS) | {
        "role": current.role,
        "security_contact": current.security_contact,
    }
    changed = [field for field in after if before[field] != after[field]]
    # The person's details and this access are two things in the log (and its filter).
    for action, fields, target in (
        (AuditEvent.Action.CONTACT_CHANGED, CONTACT_FIELDS, user),
        (AuditEvent.Action.ACCESS_CHANGED, ["role", "security_contact"], current),
    ):
        these = [field for field in changed if field in fields]
        if not these:
            continue
        target.save(update_fields=fields)
        audit_record(
            action=action,
            actor=by,
            organisation=current.organisation,
            target=target,
            before={field: before[field] for field in these},
            after={field: after[field] for field in these},
            request=request,
        )
    return current


# --- remove --------------------------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Give the reason for removing this access.")})
    return reason


def csm_language(email: str) -> str:
    """The CSM's language: that of the account with their address (CSMs are usually staff),
    otherwise Dutch."""
    language = User.objects.by_email(email).values_list("language", flat=True).first()
    return language or CSM_DEFAULT_LANGUAGE


def _csm_notify(
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


def _removal_record(
    *, by: User, person: User, membership: Membership, reason: str, deactivated: bool
) -> UserRemoval:
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
    admins = (
        _lock_admins([membership.organisation_id])
        if membership.kind == Membership.Kind.ORGANISATION
        else []
    )
    User.objects.select_for_update().filter(pk=membership.user_id).first()
    current = _locked_membership(membership)
    if current.is_admin and not [m for m in admins if m.pk != current.pk]:
        raise ValidationError(
            {NON_FIELD_ERRORS: _last_admin_error([current.organisation], person=current.user)}
        )
    person = current.user
    removal = _removal_record(
        by=by, person=person, membership=current, reason=reason, deactivated=False
    )
    audit_record(
        action=AuditEvent.Action.ACCESS_REMOVED,
        actor=by,
        organisation=current.organisation,
        target=current,
        before=_access_after(current),
        after={"reason": reason},
        request=request,
    )
    current.delete()
    _csm_notify(
        removal=removal,
        by=by,
        person=person,
        access=current,
        ended=[current],
    )
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
    admin_organisation_ids = set(
        Membership.objects.filter(
            user=user, kind=Membership.Kind.ORGANISATION, role=Membership.Role.ADMIN
        ).values_list("organisation_id", flat=True)
    )
    admins = _lock_admins(admin_organisation_ids)
    person = User.objects.select_for_update().get(pk=user.pk)
    accesses = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(user=person)
        .select_related("organisation", "organisation__customer")
        .order_by("organisation__name", "kind")
    )
    orphaned = [
        m.organisation
        for m in accesses
        if m.is_admin
        and not [
            a for a in admins if a.organisation_id == m.organisation_id and a.user_id != person.pk
        ]
    ]
    if orphaned:
        raise ValidationError({NON_FIELD_ERRORS: _last_admin_error(orphaned, person=person)})

    here = [m for m in accesses if m.organisation_id == organisation.pk]
    if membership is not None:
        here = [m for m in here if m.pk == membership.pk] or here
    if not here:
        raise ValidationError(
            {NON_FIELD_ERRORS: gettext("This person has no access to this organisation.")}
        )
    recorded = sorted(here, key=lambda m: m.kind != Membership.Kind.ORGANISATION)[0]
    removal = _removal_record(
        by=by, person=person, membership=recorded, reason=reason, deactivated=True
    )
    for access in accesses:
        # Each organisation's own log shows that the person lost access there.
        audit_record(
            action=AuditEvent.Action.ACCESS_REMOVED,
            actor=by,
            organisation=access.organisation,
            target=access,
            before=_access_after(access),
            after={"reason": reason, "deactivated": True},
            request=request,
        )
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
    _csm_notify(
        removal=removal,
        by=by,
        person=person,
        access=recorded,
        ended=accesses,
    )
    return removal


# --- welcome -------------------------------------------------------------------------------


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


# --- staff ---------------------------------------------------------------------------------

# The contact's fields staff edit on the user page that the audit log records.
STAFF_CONTACT_FIELDS = ["email", "language", *CONTACT_FIELDS]


@transaction.atomic
def contact_block(*, by: User, user: User, request: HttpRequest | None = None) -> User:
    """Staff stop a person's login at once (a compromised account, say) and end every open
    session, keeping their access rows. Only staff lift it again (``contact_unblock``): the
    contact's ``inactive_reason`` says *blocked by staff*, so ``email_check`` answers "not
    available" and ``membership_add`` refuses, whatever access is left. Blocking a contact
    deactivated through a removal turns that into a block."""
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
    """Records what staff changed of a contact's details in admin (R25: staff edits are in
    the log too): ``previous`` is the contact as stored before the save. Call it in the
    saving transaction."""
    before = _snapshot(previous, STAFF_CONTACT_FIELDS)
    after = _snapshot(user, STAFF_CONTACT_FIELDS)
    changed = [field for field in STAFF_CONTACT_FIELDS if before[field] != after[field]]
    if changed:
        audit_record(
            action=AuditEvent.Action.CONTACT_CHANGED,
            actor=by,
            customer=user.customer,
            target=user,
            before={field: before[field] for field in changed},
            after={field: after[field] for field in changed},
            request=request,
        )
