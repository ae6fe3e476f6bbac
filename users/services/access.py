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

from accounts.language import language_is_supported
from accounts.models import Membership, User
from accounts.services import user_is_activated, user_reactivate
from audit.models import AuditEvent
from audit.services import audit_record
from users.selectors import EmailCheck, EmailOutcome, email_check
from users.services import last_admin
from users.services.contacts import (
    CONTACT_FIELDS,
    EmailChange,
    changes_record,
    contact_details_set,
    contact_email_set,
    contact_snapshot,
)
from users.services.notices import access_notice_send
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
    """What ``membership_add`` did: the access, what became of the welcome mail, and whether
    a person who already had an account got a notice of the new access."""

    membership: Membership
    welcome: WelcomeResult
    notice: bool = False


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
    language: str | None = None,
    notify: bool = True,
    request: HttpRequest | None = None,
) -> AccessAdded:
    """Gives a person access (R14): a new contact, a known one (details updated) or a
    deactivated one (reactivated). A new contact speaks ``language`` (R22), by default the
    Admin's; a known one keeps theirs. Someone who never activated gets the welcome mail
    (``welcome_send``); when its limits refuse it, the access is granted all the same (the
    mail can follow with *Welkomstmail opnieuw sturen*) and the result says why and from
    when. Someone who has activated gets a notice of the new access instead
    (``notices.access_notice_send``), unless ``notify`` is off (the demo mails nobody).
    Two Admins adding the same address at once: the database's unique indexes let one win;
    the other's insert fails inside the savepoint of ``_lost_race_refused``.
    """
    if kind not in Membership.Kind.values:
        raise ValidationError({NON_FIELD_ERRORS: gettext("Unknown kind of access.")})
    role = _clean_role(kind, role)
    check = _email_allowed(organisation=organisation, email=email, kind=kind)
    user = _contact_for_access(check, by=by, organisation=organisation, language=language)
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
    return _person_told(by=by, membership=membership, check=check, notify=notify, request=request)


def _person_told(
    *,
    by: User,
    membership: Membership,
    check: EmailCheck,
    notify: bool,
    request: HttpRequest | None,
) -> AccessAdded:
    """The welcome mail for someone who never activated (within its limits), else a notice of
    the new access (a reactivated contact's says the account works again)."""
    user = membership.user
    welcome = welcome_send(by=by, user=user, organisation=membership.organisation, request=request)
    notice = (
        notify
        and user_is_activated(user)
        and access_notice_send(
            by=by,
            membership=membership,
            reactivated=check.outcome == EmailOutcome.REACTIVATE,
            request=request,
        )
    )
    return AccessAdded(membership=membership, welcome=welcome, notice=notice)


def _email_allowed(*, organisation: Organisation, email: str, kind: str) -> EmailCheck:
    """Step 1's answer (R14) again, as it is now: what the wizard carried is never trusted."""
    check = email_check(organisation=organisation, email=email, kind=kind)
    if not check.email:
        raise ValidationError({"email": gettext("Fill in the e-mail address.")})
    if not check.allowed:
        raise ValidationError({"email": check.message})
    return check


def _new_contact_language(by: User, language: str | None) -> str:
    """The language of a new contact (R22): the one the Admin chose in step 2, else the
    Admin's own (colleagues mostly share one); the person changes it in their profile."""
    language = language or getattr(by, "language", "") or settings.LANGUAGE_CODE
    if not language_is_supported(language):
        raise ValidationError({"language": gettext("Choose a language.")})
    return language


def _contact_for_access(
    check: EmailCheck, *, by: User, organisation: Organisation, language: str | None = None
) -> User:
    """The contact ``email_check`` found, locked, or a new one (not saved yet) speaking
    ``language``."""
    if check.outcome == EmailOutcome.NEW:
        language = _new_contact_language(by, language)
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
    email: str | None = None,
    language: str | None = None,
    request: HttpRequest | None = None,
) -> AccessUpdated:
    """Edits the person's details and this access's role and security flag (R15), and with
    ``email`` their login address, under step 1's rules (``contacts.contact_email_set``).

    ``language`` (R22) can be changed only while the person never activated (the language of
    their invitation); after that it is theirs, in their profile. Demoting the last Admin is
    refused (R17). The role is read by the middleware on every request, so a change is live
    on the person's next request.
    """
    admins, current = lock_access(membership)
    user = current.user
    role = _clean_role(current.kind, role)
    if role != Membership.Role.ADMIN:
        last_admin.refuse_orphaning(person=user, ending=[current], admins=admins, field="role")

    fields = (*CONTACT_FIELDS, "language")
    contact_before, access_before = contact_snapshot(user, fields), _access_of(current)
    _invitation_language_set(user, language)
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
    _changes_save(
        by=by,
        access=current,
        fields=fields,
        before=(contact_before, access_before),
        request=request,
    )
    changed = None
    if email is not None:
        changed = contact_email_set(
            by=by, person=user, email=email, organisation=current.organisation, request=request
        )
    return AccessUpdated(membership=current, email_change=changed)


def _changes_save(
    *,
    by: User,
    access: Membership,
    fields: tuple[str, ...],
    before: tuple[dict, dict],
    request: HttpRequest | None,
) -> None:
    """Saves and logs what changed of the person (``fields``) and of this access: two things
    in the log (and its filter), each only when something changed."""
    contact_before, access_before = before
    logged = {"by": by, "organisation": access.organisation, "request": request}
    if changes_record(
        action=AuditEvent.Action.CONTACT_CHANGED,
        target=access.user,
        before=contact_before,
        after=contact_snapshot(access.user, fields),
        **logged,
    ):
        access.user.save(update_fields=fields)
    if changes_record(
        action=AuditEvent.Action.ACCESS_CHANGED,
        target=access,
        before=access_before,
        after=_access_of(access),
        **logged,
    ):
        access.save(update_fields=ACCESS_FIELDS)


@dataclass(frozen=True)
class AccessUpdated:
    """What ``membership_update`` did: the access as stored, and the change of the login
    address with its welcome mail (None when the address stayed)."""

    membership: Membership
    email_change: EmailChange | None = None


def _invitation_language_set(user: User, language: str | None) -> None:
    """The language of someone who never activated (their invitation's); refused for a
    person who did, whose language is their own choice (the profile)."""
    if language is None or language == user.language:
        return
    if user_is_activated(user):
        raise ValidationError(
            {
                "language": gettext(
                    "This person has activated their account and chooses their own language."
                )
            }
        )
    if not language_is_supported(language):
        raise ValidationError({"language": gettext("Choose a language.")})
    user.language = language


def _access_of(membership: Membership) -> dict:
    """What an Admin changes of an access, as the audit log keeps it."""
    return {field: getattr(membership, field) for field in ACCESS_FIELDS}
