"""The rows of the *Gebruikers* tables: the values each row shows, worked out once per page.

The markup is ``templates/users/user_list.html``, which loops over these rows (the pencil and
bin icons are inline SVG there). What is the same on every row is looked up once per page:
the translations and the shape of the edit, delete and resend URLs (``url_maker``); a row is
then a dozen plain attributes for the template, where it used to cost a dozen variable
lookups, three ``{% url %}`` and three ``{% blocktranslate %}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from accounts.models import Membership
from accounts.selectors import UserStatus
from accounts.services import user_is_activated
from core.formatters import TemplateRow, date_formatter, url_maker

# Stands for the primary key in a reversed URL, which is then cut around it.
_PK_EXAMPLE = 987654321


def url_with_pk(name: str) -> Callable[[int], str]:
    """``reverse(name, kwargs={"pk": pk})`` for many pks at the price of one reverse."""
    return url_maker(name, "pk", _PK_EXAMPLE)


@dataclass(frozen=True, slots=True)
class UserRow(TemplateRow):
    """One person's access as the row shows it, in the active language."""

    last_name: str
    first_name: str
    email: str
    role: str  # "" in the *Mijn support* table, which has no *Role* column
    function: str
    security_contact: str  # *Ja* or *Nee*
    # The account's status (``accounts.selectors.UserStatus``: its label and the Bootstrap
    # class of its badge; "" when the membership was read without it) and the last login as
    # a date (*Nooit* for never), with the moment for machines ("" for never).
    status: str = ""
    status_badge: str = ""
    last_login: str = ""
    last_login_iso: str = ""
    # The actions, only for those who may manage users ("" otherwise), each with the words a
    # screen reader says after the icon or button ("Bewerk Anne van Amersfoort").
    edit_url: str = ""
    edit_name: str = ""
    delete_url: str = ""
    delete_name: str = ""
    # *Welkomstmail opnieuw sturen*, only for someone who never activated.
    resend_url: str = ""
    resend_name: str = ""


# The badge of each status: green for who can log in, blue while an invitation waits, yellow
# when it needs the Admin (expired, or never sent), as *Facturen*'s badges.
STATUS_BADGES = {
    UserStatus.ACTIVE: "text-bg-success",
    UserStatus.PENDING: "text-bg-info",
    UserStatus.EXPIRED: "text-bg-warning",
    UserStatus.NOT_SENT: "text-bg-warning",
    UserStatus.DEACTIVATED: "text-bg-secondary",
    UserStatus.BLOCKED: "text-bg-danger",
}


def user_rows(
    memberships: Iterable[Membership], *, is_support: bool, can_manage: bool
) -> list[UserRow]:
    """The rows of a *Gebruikers* table, one per membership (its ``user`` and
    ``user.job_function`` selected with it, and the ``user_status`` annotation of
    ``organisation_user_list``). The actions are filled in only when ``can_manage`` (the
    template shows the *Actions* column then)."""
    yes, no = gettext("Yes"), gettext("No")
    never = gettext("Never")
    roles = dict(Membership.Role.choices)
    statuses = {status.value: (status.label, STATUS_BADGES[status]) for status in UserStatus}
    short_date = date_formatter()
    if can_manage:
        edit_url = url_with_pk("users:edit")
        delete_url = url_with_pk("users:delete")
        resend_url = url_with_pk("users:resend_welcome")
        edit_name = gettext("Edit %(name)s")
        delete_name = gettext("Delete %(name)s")
        resend_name = gettext("to %(name)s")
    rows = []
    for membership in memberships:
        person = membership.user
        function = person.job_function
        actions = {}
        if can_manage:
            pk = membership.pk
            name = {"name": person.get_full_name()}
            actions = {
                "edit_url": edit_url(pk),
                "edit_name": edit_name % name,
                "delete_url": delete_url(pk),
                "delete_name": delete_name % name,
            }
            if not user_is_activated(person):
                actions |= {"resend_url": resend_url(pk), "resend_name": resend_name % name}
        status, badge = statuses.get(getattr(membership, "user_status", ""), ("", ""))
        last_login = person.last_login
        rows.append(
            UserRow(
                last_name=person.last_name,
                first_name=person.first_name,
                email=person.email,
                role="" if is_support else str(roles.get(membership.role, membership.role)),
                function=function.name if function is not None else "",
                security_contact=yes if membership.security_contact else no,
                status=status,
                status_badge=badge,
                last_login=short_date(last_login) if last_login is not None else never,
                last_login_iso=last_login.isoformat() if last_login is not None else "",
                **actions,
            )
        )
    return rows
