"""Giving access (R14) and changing it (R15).

Every rule of the add wizard's first step is applied again in ``membership_add``: what the
wizard carried between its steps is never trusted. Demoting the last Admin is refused
(``last_admin``). Locks follow the order in ``users.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from accounts.models import Membership, User
from accounts.services import user_reactivate
from audit.models import AuditEvent
from audit.services import audit_record
from users.selectors import EmailCheck, EmailOutcome, email_check
from users.services import last_admin
from users.services.contacts import (
    CONTACT_FIELDS,
    changes_record,
    contact_details_set,
    contact_snapshot,
)
from users.services.welcome import WelcomeResult, welcome_send

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import Organisation
    from users.models import JobFunction

ACCESS_FIELDS = ("role", "security_contact")  # what an Admin changes of an access (R15)


def _clean_role(kind: str, role: str | None) -> str | None:
    if kind == Membership.Kind.SUPPORT:
        return None  # Mijn support access has no role
    if role not in Membership.Role.values:
        raise ValidationError({"role": gettext("Choose a role.")})
    return role


def access_snapshot(membership: Membership) -> dict:
    """An access as the audit log keeps it when it is given or ends."""
    return {
        "email": membership.user.email,
        "kind": membership.kind,
        "role": membership.role,
        "security_contact": membership.security_contact,
    }


def _locked_membership(membership: Membership) -> Membership:
    """The access as stored now, locked; refused when someone removed it meanwhile."""
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


def lock_access(membership: Membership) -> tuple[list[Membership], Membership]:
    """Locks what changing or ending one access reads, in the order of ``users.services``:
    the organisation's Admins (for Mijn organisatie access), the person, then the access as
    stored now (refused when someone removed it meanwhile). Returns the Admins and the access;
    lock first, read after: the role that counts is the one in the database now."""
    admins = (
        last_admin.lock_admins([membership.organisation_id])
        if membership.kind == Membership.Kind.ORGANISATION
        else []
    )
    User.objects.select_for_update().filter(pk=membership.user_id).first()
    return admins, _locked_membership(membership)


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
    updated) or a deactivated one (reactivated).

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
    check = _email_allowed(organisation=organisation, email=email, kind=kind)
    user = _contact_for_access(check, by=by, organisation=organisation)
    before = {} if check.outcome == EmailOutcome.NEW else contact_snapshot(user)
    contact_details_set(
        user,
        first_name=first_name,
        last_name=last_name,
        job_function=job_function,
        job_title=job_title,
        phone=phone,
        mobile=mobile,
    )
    user.save()
    if not user.is_active or check.outcome == EmailOutcome.KNOWN:
        _known_contact_log(
            by=by, user=user, before=before, organisation=organisation, request=request
        )
    membership = _membership_create(
        by=by,
        user=user,
        organisation=organisation,
        kind=kind,
        role=role,
        security_contact=security_contact,
        request=request,
    )
    welcome = welcome_send(by=by, user=user, organisation=organisation, request=request)
    return AccessAdded(membership=membership, welcome=welcome)


def _email_allowed(*, organisation: Organisation, email: str, kind: str) -> EmailCheck:
    """Step 1's answer (R14) again, as it is now: what the wizard carried is never trusted."""
    check = email_check(organisation=organisation, email=email, kind=kind)
    if not check.email:
        raise ValidationError({"email": gettext("Fill in the e-mail address.")})
    if not check.allowed:
        raise ValidationError({"email": check.message})
    return check


def _contact_for_access(check: EmailCheck, *, by: User, organisation: Organisation) -> User:
    """The contact ``email_check`` found, locked, or a new one (not saved yet)."""
    if check.outcome == EmailOutcome.NEW:
        # Colleagues mostly share a language: the welcome mail goes out in the Admin's, and
        # the person chooses their own in the profile.
        language = getattr(by, "language", "") or settings.LANGUAGE_CODE
        user = User(email=check.email, customer=organisation.customer, language=language)
        user.set_unusable_password()
        return user
    # Lock the contact: a concurrent edit or removal of the same person waits.
    user = User.objects.select_for_update().get(pk=check.user.pk)
    if user.inactive_reason == User.InactiveReason.BLOCKED:
        # Blocked by staff since the check (or a replayed wizard state): only staff lift a
        # block, so this is the answer step 1 gives now.
        raise ValidationError({"email": gettext("This e-mail address is not available.")})
    return user


def _known_contact_log(
    *,
    by: User,
    user: User,
    before: dict,
    organisation: Organisation,
    request: HttpRequest | None,
) -> None:
    """A contact the customer already had, given access: one deactivated through a removal
    (R16) is brought back (the Admin asked for it); for an active one, the details that
    changed are logged."""
    if not user.is_active:
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
    else:
        changes_record(
            action=AuditEvent.Action.CONTACT_CHANGED,
            by=by,
            organisation=organisation,
            target=user,
            before=before,
            after=contact_snapshot(user),
            request=request,
        )


def _membership_create(
    *,
    by: User,
    user: User,
    organisation: Organisation,
    kind: str,
    role: str | None,
    security_contact: bool,
    request: HttpRequest | None,
) -> Membership:
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
        after=access_snapshot(membership),
        request=request,
    )
    return membership


# --- update --------------------------------------------------------------------------------


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
    admins, current = lock_access(membership)
    user = current.user
    role = _clean_role(current.kind, role)
    if role != Membership.Role.ADMIN:
        last_admin.refuse_orphaning(person=user, ending=[current], admins=admins, field="role")

    contact_before, access_before = contact_snapshot(user), _access_of(current)
    contact_details_set(
        user,
        first_name=first_name,
        last_name=last_name,
        job_function=job_function,
        job_title=job_title,
        phone=phone,
        mobile=mobile,
    )
    current.role = role
    current.security_contact = bool(security_contact)
    current.full_clean()
    # The person's details and this access are two things in the log (and its filter).
    logged = {"by": by, "organisation": current.organisation, "request": request}
    if changes_record(
        action=AuditEvent.Action.CONTACT_CHANGED,
        target=user,
        before=contact_before,
        after=contact_snapshot(user),
        **logged,
    ):
        user.save(update_fields=CONTACT_FIELDS)
    if changes_record(
        action=AuditEvent.Action.ACCESS_CHANGED,
        target=current,
        before=access_before,
        after=_access_of(current),
        **logged,
    ):
        current.save(update_fields=ACCESS_FIELDS)
    return current


def _access_of(membership: Membership) -> dict:
    """What an Admin changes of an access, as the audit log keeps it."""
    return {field: getattr(membership, field) for field in ACCESS_FIELDS}
