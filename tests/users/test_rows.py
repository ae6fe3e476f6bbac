"""The rows of the *Gebruikers* tables (users/rows.py): the values each row shows, the actions
an Admin gets and a Viewer does not, both languages; and how the page writes them (escaped,
in templates/users/user_list.html). The whole page's markup is held by
tests/test_golden_html.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Membership, User
from tests.accounts.factories import MembershipFactory
from tests.conftest import logged_in
from tests.html_rows import table_rows
from users.models import JobFunction
from users.rows import UserRow, url_with_pk, user_rows

HOSTILE_FIRST = '<script>alert("x")</script> & Co'
HOSTILE_LAST = "O'Brien & <Zonen>"
LIST = reverse("users:list")


def membership(
    pk: int,
    first: str = "Anne",
    last: str = "van Amersfoort",
    *,
    email: str = "anne@rodelente.example",
    role: str | None = Membership.Role.VIEWER,
    kind: str = Membership.Kind.ORGANISATION,
    security_contact: bool = False,
    function: JobFunction | None = None,
    activated: bool = True,
) -> Membership:
    """An unsaved membership with its person, as the list's query selects them."""
    person = User(
        first_name=first,
        last_name=last,
        email=email,
        job_function=function,
        password=make_password("x") if activated else make_password(None),
    )
    return Membership(pk=pk, user=person, kind=kind, role=role, security_contact=security_contact)


def rows(memberships, *, language="nl", is_support=False, can_manage=True) -> list[UserRow]:
    with translation.override(language):
        return user_rows(memberships, is_support=is_support, can_manage=can_manage)


def test_a_row_shows_name_email_role_function_and_security_contact():
    controller = JobFunction(name_nl="Controller NL", name_en="Controller EN")
    shown = rows(
        [
            membership(3, "Ruud", "Coon", email="ruud@x.example", role=Membership.Role.ADMIN),
            membership(4, security_contact=True, function=controller),
        ],
        can_manage=False,
    )
    assert shown == [
        UserRow("Coon", "Ruud", "ruud@x.example", "Admin", "", "Nee", last_login="Nooit"),
        UserRow(
            "van Amersfoort",
            "Anne",
            "anne@rodelente.example",
            "Viewer",
            "Controller NL",
            "Ja",
            last_login="Nooit",
        ),
    ]


def test_english_rows_say_yes_no_and_the_english_function_name():
    controller = JobFunction(name_nl="Controller NL", name_en="Controller EN")
    (row,) = rows([membership(4, security_contact=True, function=controller)], language="en")
    assert (row.role, row.function, row.security_contact) == ("Viewer", "Controller EN", "Yes")
    assert (row.edit_name, row.delete_name) == (
        "Edit Anne van Amersfoort",
        "Delete Anne van Amersfoort",
    )


def test_an_admin_gets_edit_and_delete_named_after_the_person():
    (row,) = rows([membership(7)])
    assert row == UserRow(
        "van Amersfoort",
        "Anne",
        "anne@rodelente.example",
        "Viewer",
        "",
        "Nee",
        last_login="Nooit",
        edit_url=reverse("users:edit", kwargs={"pk": 7}),
        edit_name="Bewerk Anne van Amersfoort",
        delete_url=reverse("users:delete", kwargs={"pk": 7}),
        delete_name="Verwijder Anne van Amersfoort",
    )


def test_a_viewer_gets_no_actions():
    (row,) = rows([membership(7, activated=False)], can_manage=False)
    actions = (row.edit_url, row.edit_name, row.delete_url, row.delete_name)
    assert actions == ("", "", "", "")
    assert (row.resend_url, row.resend_name) == ("", "")


def test_resend_only_for_who_never_activated():
    shown = rows(
        [
            membership(7, "Wim", "Wacht", activated=False),
            membership(8, "Ans", "Actief"),
        ]
    )
    assert [(row.resend_url, row.resend_name) for row in shown] == [
        (reverse("users:resend_welcome", kwargs={"pk": 7}), "aan Wim Wacht"),
        ("", ""),
    ]


def test_someone_who_logged_in_without_a_password_counts_as_activated():
    person = membership(7, activated=False)
    person.user.last_login = timezone.now()
    (row,) = rows([person])
    assert row.resend_url == ""


def test_the_support_table_has_no_role():
    row = membership(5, kind=Membership.Kind.SUPPORT, role=None)
    (shown,) = rows([row], is_support=True, can_manage=False)
    assert shown == UserRow(
        "van Amersfoort", "Anne", "anne@rodelente.example", "", "", "Nee", last_login="Nooit"
    )


def test_the_status_and_last_login_of_a_row():
    person = membership(7)
    person.user_status = "expired"  # annotated by organisation_user_list
    person.user.last_login = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC)
    (row,) = rows([person], can_manage=False)
    assert (row.status, row.status_badge) == ("Uitnodiging verlopen", "text-bg-warning")
    assert (row.last_login, row.last_login_iso) == ("5-3-2026", "2026-03-04T23:30:00+00:00")
    (row,) = rows([person], language="en", can_manage=False)
    assert (row.status, row.last_login) == ("Invitation expired", "05/03/2026")


def test_no_memberships_no_rows():
    assert rows([]) == []


@given(pk=st.integers(min_value=1, max_value=2**63 - 1))
def test_urls_are_those_reverse_writes(pk):
    for name in ("users:edit", "users:delete", "users:resend_welcome"):
        assert url_with_pk(name)(pk) == reverse(name, kwargs={"pk": pk})


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_page_writes_everything_a_person_typed_escaped(organisation, admin, language):
    function = JobFunction.objects.create(name_nl="Func <b>&", name_en="Func <i>&amp;", order=9)
    hostile = MembershipFactory(
        organisation=organisation,
        user__first_name=HOSTILE_FIRST,
        user__last_name=HOSTILE_LAST,
        user__email="a&b<c>@x.example",
        user__job_function=function,
    )
    User.objects.filter(pk=hostile.user_id).update(password=make_password(None))
    admin.language = language
    admin.save(update_fields=["language"])
    html = logged_in(admin).get(LIST).content.decode()
    # No markup from what was typed; the cells read as typed (so every & was escaped too).
    for raw in ("<script>", "<b>", "<i>", "<Zonen>", "<c>"):
        assert raw not in html
    name = f"{HOSTILE_FIRST} {HOSTILE_LAST}"
    function_name = "Func <b>&" if language == "nl" else "Func <i>&amp;"
    (row,) = [row for row in table_rows(html, "user-row") if row[2] == "a&b<c>@x.example"]
    edit, delete, resend, to = (
        ("Bewerk", "Verwijder", "Welkomstmail opnieuw sturen", "aan")
        if language == "nl"
        else ("Edit", "Delete", "Resend welcome e-mail", "to")
    )
    assert row == [
        HOSTILE_LAST,
        HOSTILE_FIRST,
        "a&b<c>@x.example",
        "Viewer",
        function_name,
        "Nee" if language == "nl" else "No",
        "Uitnodiging niet verstuurd" if language == "nl" else "Invitation not sent",
        "Nooit" if language == "nl" else "Never",
        f"{edit} {name} {delete} {name} {resend} {to} {name}",
    ]
    action = reverse("users:resend_welcome", kwargs={"pk": hostile.pk})
    assert re.search(
        rf'<form method="post" action="{action}" class="d-inline">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}">',
        html,
    )
