"""The rows of the *Gebruikers* tables, written in Python rather than in a template loop.

Rendered by the template, each row cost a dozen variable lookups, three ``{% url %}``, three
``{% blocktranslate %}`` and two inline icons of many nodes. Here everything that is the same
on every row is looked up once per page (the translations, the shape of the edit, delete and
resend URLs, the icons) and each row is one ``format_row`` (format_html without its per-value
overhead, see portal.html). The HTML is what the template wrote: same cells, classes,
``data-testid``, accessible names and escaping (tests/users/test_rows.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from accounts.models import Membership
from accounts.services import user_is_activated
from portal.html import escape_value, format_row, url_maker

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

# Bootstrap Icons (MIT) "pencil" and "trash", inline so they need no font; hidden from
# assistive technology, the button's name is the visually hidden text beside them.
EDIT_ICON = mark_safe(  # noqa: S308 - a constant
    '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16" '
    'fill="currentColor"><path d="M12.146.146a.5.5 0 0 1 .708 0l3 3a.5.5 0 0 1 0 .708l-10 '
    "10a.5.5 0 0 1-.168.11l-5 2a.5.5 0 0 1-.65-.65l2-5a.5.5 0 0 1 .11-.168zM11.207 2.5 13.5 "
    "4.793 14.793 3.5 12.5 1.207zm1.586 3L10.5 3.207 4 9.707V10h.5a.5.5 0 0 1 .5.5v.5h.5a.5.5 "
    "0 0 1 .5.5v.5h.293zm-9.761 5.175-.106.106-1.528 3.821 3.821-1.528.106-.106A.5.5 0 0 1 5 "
    '12.5V12h-.5a.5.5 0 0 1-.5-.5V11h-.5a.5.5 0 0 1-.468-.325"/></svg>'
)
DELETE_ICON = mark_safe(  # noqa: S308 - a constant
    '<svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16" '
    'fill="currentColor"><path d="M5.5 5.5A.5.5 0 0 1 6 6v6a.5.5 0 0 1-1 0V6a.5.5 0 0 1 '
    ".5-.5m2.5 0a.5.5 0 0 1 .5.5v6a.5.5 0 0 1-1 0V6a.5.5 0 0 1 .5-.5m3 .5a.5.5 0 0 0-1 0v6a.5.5 "
    '0 0 0 1 0z"/><path d="M14.5 3a1 1 0 0 1-1 1H13v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V4h-.5a1 1 '
    "0 0 1-1-1V2a1 1 0 0 1 1-1H6a1 1 0 0 1 1-1h2a1 1 0 0 1 1 1h3.5a1 1 0 0 1 1 1zM4.118 4 4 "
    '4.059V13a1 1 0 0 0 1 1h6a1 1 0 0 0 1-1V4.059L11.882 4zM2.5 3h11V2h-11z"/></svg>'
)

ROW = (
    '<tr data-testid="user-row"><td>{last_name}</td><td>{first_name}</td>'
    '<td class="text-break">{email}</td>{role}<td>{function}</td><td>{security}</td>'
    "{actions}</tr>\n"
)
ACTIONS = (
    '<td class="text-nowrap">'
    '<a class="btn btn-sm btn-outline-primary" href="{edit_url}">{edit_icon}'
    '<span class="visually-hidden">{edit_name}</span></a> '
    '<a class="btn btn-sm btn-outline-danger" href="{delete_url}">{delete_icon}'
    '<span class="visually-hidden">{delete_name}</span></a>{resend}</td>'
)
RESEND = (
    ' <form method="post" action="{url}" class="d-inline">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
    '<button type="submit" class="btn btn-sm btn-link">{label}'
    '<span class="visually-hidden"> {name}</span></button></form>'
)

# Stands for the primary key in a reversed URL, which is then cut around it.
_PK_EXAMPLE = 987654321


def url_with_pk(name: str) -> Callable[[int], str]:
    """``reverse(name, kwargs={"pk": pk})`` for many pks at the price of one reverse."""
    return url_maker(name, "pk", _PK_EXAMPLE)


def _with_name(msgid: str) -> Callable[[str], SafeString]:
    """A translated text with ``%(name)s``, as ``{% blocktranslate with name=… %}`` writes it:
    looked up once, the name escaped on every use. (The translation is escaped too, where
    blocktranslate trusts it; none of these holds markup, so the page reads the same.)"""
    text = escape(gettext(msgid))
    return lambda name: SafeString(text % {"name": escape_value(name)})


def user_rows(
    memberships: Iterable[Membership],
    *,
    is_support: bool,
    can_manage: bool,
    csrf_token: Callable[[], str],
) -> SafeString:
    """The ``<tr>`` elements of a *Gebruikers* table, one per membership (its ``user`` and
    ``user.job_function`` selected with it).

    The *Mijn support* table has no *Role* column; the *Actions* column (edit, delete, and
    for a person who never activated: send the welcome e-mail again) is only for those who
    may manage users. ``csrf_token`` is called once, and only if a resend form is written.
    """
    yes, no = gettext("Yes"), gettext("No")
    roles = {value: format_html("<td>{}</td>", label) for value, label in Membership.Role.choices}
    token: str | None = None
    if can_manage:
        edit_url = url_with_pk("users:edit")
        delete_url = url_with_pk("users:delete")
        resend_url = url_with_pk("users:resend_welcome")
        edit_name = _with_name("Edit %(name)s")
        delete_name = _with_name("Delete %(name)s")
        resend_to = _with_name("to %(name)s")
        resend_label = gettext("Resend welcome e-mail")

    rows = []
    for membership in memberships:
        person = membership.user
        role = ""
        if not is_support:
            role = roles.get(membership.role) or format_html(
                "<td>{}</td>", membership.get_role_display()
            )
        actions = ""
        if can_manage:
            pk = membership.pk
            name = person.get_full_name()
            resend = ""
            if not user_is_activated(person):
                if token is None:
                    token = csrf_token()
                resend = format_row(
                    RESEND,
                    url=resend_url(pk),
                    csrf_token=token,
                    label=resend_label,
                    name=resend_to(name),
                )
            actions = format_row(
                ACTIONS,
                edit_url=edit_url(pk),
                edit_icon=EDIT_ICON,
                edit_name=edit_name(name),
                delete_url=delete_url(pk),
                delete_icon=DELETE_ICON,
                delete_name=delete_name(name),
                resend=resend,
            )
        function = person.job_function
        rows.append(
            format_row(
                ROW,
                last_name=person.last_name,
                first_name=person.first_name,
                email=person.email,
                role=role,
                function=function.name if function is not None else "",
                security=yes if membership.security_contact else no,
                actions=actions,
            )
        )
    return SafeString("".join(rows))
