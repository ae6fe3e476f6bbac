"""A contact's details (R14, R15, R19): set, checked and recorded in the audit log the same
way whoever edits them (an Admin adding or editing a person, staff in admin).

The fields are ``User.CONTACT_FIELDS``. The names are required; a retired function stays on
the people who have it, but nobody gets it anew; phone numbers are parsed (Dutch ones may be
typed without +31) and stored as E.164.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from accounts.models import User
from audit.services import audit_record

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

    from accounts.models import Customer, Organisation
    from users.models import JobFunction

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
