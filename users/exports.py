"""Files built from user data: the view or admin action answers the request, this builds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext

from accounts.selectors import UserStatus
from accounts.services import user_is_activated
from core.csv_export import csv_response

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date, datetime

    from django.db.models import QuerySet
    from django.http import StreamingHttpResponse

    from accounts.models import Membership, Organisation


def phone_for_csv(number) -> str:
    """A phone number as a Dutch reader dials it: ``020 123 4567`` for a Dutch number,
    ``00 32 2 123 45 67`` for a foreign one. Never starting with ``+``, so the formula guard
    leaves it as it is instead of putting an apostrophe before it."""
    if not number:
        return ""
    if not isinstance(number, phonenumbers.PhoneNumber):  # phonenumber_field's is a subclass
        return str(number)
    return phonenumbers.format_out_of_country_calling_number(number, "NL")


def _local_date(moment: datetime | None) -> date | None:
    """A moment as the date it was in the portal's time zone (None stays None)."""
    return timezone.localdate(moment) if moment is not None else None


def security_contacts_csv(*, memberships: QuerySet[Membership], name: str) -> StreamingHttpResponse:
    """The security/privacy contacts (R20): name, e-mail, phones and organisation. Every cell
    is text, guarded by the writer (``core.csv_export``)."""
    header = [
        gettext("Name"),
        gettext("E-mail"),
        gettext("Phone number"),
        gettext("Mobile phone number"),
        gettext("Organisation"),
    ]
    rows = (
        [
            membership.user.get_full_name(),
            membership.user.email,
            phone_for_csv(membership.user.phone),
            phone_for_csv(membership.user.mobile),
            membership.organisation.name,
        ]
        for membership in memberships.iterator(chunk_size=500)
    )
    return csv_response(name=[name, timezone.localdate()], header=header, rows=rows)


def user_list_csv(
    *, lists: Iterable[Iterable[Membership]], organisation: Organisation
) -> StreamingHttpResponse:
    """The Gebruikers lists of an organisation (one row per access): the list pages' columns
    and the contact details, for a Viewer's or an Admin's spreadsheet (R21). Every cell is
    text, guarded by the writer (``core.csv_export``): the function's name too, which staff
    type. The status is that of the lists (``user_status`` of ``organisation_user_list``),
    the last login a date (empty for never)."""
    yes, no = gettext("Yes"), gettext("No")
    statuses = {status.value: status.label for status in UserStatus}
    header = [
        gettext("Access"),
        gettext("Last name"),
        gettext("First name"),
        gettext("E-mail"),
        gettext("Role"),
        gettext("Function"),
        gettext("Business card title"),
        gettext("Phone number"),
        gettext("Mobile phone number"),
        gettext("Security/privacy"),
        gettext("Activated"),
        gettext("Status"),
        gettext("Last login"),
    ]
    rows = (
        [
            membership.get_kind_display(),
            membership.user.last_name,
            membership.user.first_name,
            membership.user.email,
            membership.get_role_display() if membership.role else "",
            membership.user.job_function.name if membership.user.job_function else "",
            membership.user.job_title,
            phone_for_csv(membership.user.phone),
            phone_for_csv(membership.user.mobile),
            yes if membership.security_contact else no,
            yes if user_is_activated(membership.user) else no,
            statuses.get(getattr(membership, "user_status", ""), ""),
            _local_date(membership.user.last_login),
        ]
        for memberships in lists
        for membership in memberships
    )
    name = [gettext("users"), organisation.debtor_number, timezone.localdate()]
    return csv_response(name=name, header=header, rows=rows)
