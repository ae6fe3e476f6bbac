"""Files built from user data: the view or admin action answers the request, this builds."""

from __future__ import annotations

from typing import TYPE_CHECKING

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext

from portal.csv_export import csv_response, csv_text_cell

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import StreamingHttpResponse

    from accounts.models import Membership


def phone_display(number) -> str:
    """A phone number as a Dutch reader dials it: ``020 123 4567`` for a Dutch number,
    ``00 32 2 123 45 67`` for a foreign one. Never starting with ``+``, which a spreadsheet
    would take for a formula."""
    if not number:
        return ""
    if not isinstance(number, phonenumbers.PhoneNumber):  # phonenumber_field's is a subclass
        return str(number)
    return phonenumbers.format_out_of_country_calling_number(number, "NL")


def security_contacts_csv(*, memberships: QuerySet[Membership], name: str) -> StreamingHttpResponse:
    """The security/privacy contacts (R20): name, e-mail, phones and organisation."""
    header = [
        gettext("Name"),
        gettext("E-mail"),
        gettext("Phone number"),
        gettext("Mobile phone number"),
        gettext("Organisation"),
    ]
    rows = (
        [
            csv_text_cell(membership.user.get_full_name()),
            csv_text_cell(membership.user.email),
            phone_display(membership.user.phone),
            phone_display(membership.user.mobile),
            csv_text_cell(membership.organisation.name),
        ]
        for membership in memberships.iterator(chunk_size=500)
    )
    stamp = timezone.localdate().isoformat()
    return csv_response(filename=f"{name}-{stamp}.csv", header=header, rows=rows)
