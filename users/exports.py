"""The user list as CSV: built here, answered by the view."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from accounts.services import user_is_activated

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from accounts.models import Membership

# A cell starting with one of these is a formula to a spreadsheet program; names and titles
# are typed by customers, so such a cell gets a leading apostrophe (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line, so the CSV can be streamed."""

    def write(self, value: str) -> str:
        return value


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _phone(number) -> str:
    # A validated number cannot hold a formula; written in international format, with spaces.
    return number.as_international if number else ""


def user_list_csv_rows(lists: Iterable[Iterable[Membership]]) -> Iterator[str]:
    """The lines of the CSV (``;``-separated, starting with a BOM so spreadsheets read UTF-8)
    of the given membership lists, one row per access, with the list pages' columns and the
    contact details."""
    writer = csv.writer(_Echo(), delimiter=";")
    yes, no = _("Yes"), _("No")
    yield "\ufeff"
    yield writer.writerow(
        [
            _("Access"),
            _("Last name"),
            _("First name"),
            _("E-mail"),
            _("Role"),
            _("Function"),
            _("Business card title"),
            _("Phone number"),
            _("Mobile phone number"),
            _("Security/privacy"),
            _("Activated"),
        ]
    )
    for memberships in lists:
        for membership in memberships:
            person = membership.user
            yield writer.writerow(
                [
                    membership.get_kind_display(),
                    _text(person.last_name),
                    _text(person.first_name),
                    _text(person.email),
                    membership.get_role_display() if membership.role else "",
                    person.job_function.name if person.job_function else "",
                    _text(person.job_title),
                    _phone(person.phone),
                    _phone(person.mobile),
                    yes if membership.security_contact else no,
                    yes if user_is_activated(person) else no,
                ]
            )
