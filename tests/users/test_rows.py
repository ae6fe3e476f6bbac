"""The rows of the *Gebruikers* tables as users.rows writes them: the cells, the buttons an
Admin gets and a Viewer does not, both languages, and escaping of everything a person typed."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Membership, User
from users.models import JobFunction
from users.rows import DELETE_ICON, EDIT_ICON, url_with_pk, user_rows

HOSTILE_FIRST = '<script>alert("x")</script> & Co'
HOSTILE_LAST = "O'Brien & <Zonen>"


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


def write(memberships, *, language="nl", is_support=False, can_manage=True, csrf="tok"):
    calls = []

    def csrf_token():
        calls.append(1)
        return csrf

    with translation.override(language):
        html = user_rows(
            memberships, is_support=is_support, can_manage=can_manage, csrf_token=csrf_token
        )
    return str(html), len(calls)


def cells(html: str) -> list[list[str]]:
    """Each row's cells as the text a reader sees."""
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r'<tr data-testid="user-row">(.*?)</tr>', html, re.S)
    ]


def test_a_row_shows_name_email_role_function_and_security_contact():
    controller = JobFunction(name_nl="Controller NL", name_en="Controller EN")
    html, _ = write(
        [
            membership(3, "Ruud", "Coon", email="ruud@x.example", role=Membership.Role.ADMIN),
            membership(4, security_contact=True, function=controller),
        ],
        can_manage=False,
    )
    assert cells(html) == [
        ["Coon", "Ruud", "ruud@x.example", "Admin", "", "Nee"],
        ["van Amersfoort", "Anne", "anne@rodelente.example", "Viewer", "Controller NL", "Ja"],
    ]
    assert '<td class="text-break">ruud@x.example</td>' in html


def test_english_rows_say_yes_no_and_the_english_function_name():
    controller = JobFunction(name_nl="Controller NL", name_en="Controller EN")
    html, _ = write([membership(4, security_contact=True, function=controller)], language="en")
    assert cells(html)[0][:6] == [
        "van Amersfoort",
        "Anne",
        "anne@rodelente.example",
        "Viewer",
        "Controller EN",
        "Yes",
    ]
    assert '<span class="visually-hidden">Edit Anne van Amersfoort</span>' in html
    assert '<span class="visually-hidden">Delete Anne van Amersfoort</span>' in html


def test_an_admin_gets_edit_and_delete_buttons_named_after_the_person():
    html, token_calls = write([membership(7)])
    edit = reverse("users:edit", kwargs={"pk": 7})
    delete = reverse("users:delete", kwargs={"pk": 7})
    assert (
        f'<td class="text-nowrap"><a class="btn btn-sm btn-outline-primary" href="{edit}">'
        f'{EDIT_ICON}<span class="visually-hidden">Bewerk Anne van Amersfoort</span></a> '
        f'<a class="btn btn-sm btn-outline-danger" href="{delete}">'
        f'{DELETE_ICON}<span class="visually-hidden">Verwijder Anne van Amersfoort</span></a></td>'
    ) in html
    assert 'aria-hidden="true" focusable="false"' in EDIT_ICON
    assert len(cells(html)[0]) == 7
    # Everyone here has activated: no resend form, so no CSRF token was asked for.
    assert "<form" not in html
    assert token_calls == 0


def test_a_viewer_gets_no_action_cell_at_all():
    html, token_calls = write([membership(7, activated=False)], can_manage=False)
    assert len(cells(html)[0]) == 6
    assert "<a " not in html
    assert "<form" not in html
    assert "/edit/" not in html
    assert "Bewerk" not in html
    assert token_calls == 0


def test_resend_form_only_for_who_never_activated_with_one_csrf_token():
    rows = [
        membership(7, "Wim", "Wacht", activated=False),
        membership(8, "Ans", "Actief"),
        membership(9, "Nina", "Nieuw", activated=False),
    ]
    html, token_calls = write(rows)
    assert token_calls == 1
    assert html.count("<form") == 2
    resend = reverse("users:resend_welcome", kwargs={"pk": 7})
    assert (
        f' <form method="post" action="{resend}" class="d-inline">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="tok">'
        '<button type="submit" class="btn btn-sm btn-link">Welkomstmail opnieuw sturen'
        '<span class="visually-hidden"> aan Wim Wacht</span></button></form></td>'
    ) in html
    assert "aan Ans Actief" not in html


def test_someone_who_logged_in_without_a_password_counts_as_activated():
    person = membership(7, activated=False)
    person.user.last_login = timezone.now()
    html, _ = write([person])
    assert "<form" not in html


def test_the_support_table_has_no_role_column():
    row = membership(5, kind=Membership.Kind.SUPPORT, role=None)
    html, _ = write([row], is_support=True, can_manage=False)
    assert cells(html) == [["van Amersfoort", "Anne", "anne@rodelente.example", "", "Nee"]]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_everything_a_person_typed_is_escaped(language):
    function = JobFunction(name_nl="Func <b>&", name_en="Func <i>&amp;")
    row = membership(
        7,
        HOSTILE_FIRST,
        HOSTILE_LAST,
        email="a&b<c>@x.example",
        function=function,
        activated=False,
    )
    html, _ = write([row], language=language, csrf='"><script>')
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<i>" not in html
    name = (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co "
        "O&#x27;Brien &amp; &lt;Zonen&gt;"
    )
    assert (
        "<td>O&#x27;Brien &amp; &lt;Zonen&gt;</td>"
        "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</td>"
    ) in html
    assert '<td class="text-break">a&amp;b&lt;c&gt;@x.example</td>' in html
    function_name = "Func &lt;b&gt;&amp;" if language == "nl" else "Func &lt;i&gt;&amp;amp;"
    assert f"<td>{function_name}</td>" in html
    edit = "Bewerk" if language == "nl" else "Edit"
    assert f'<span class="visually-hidden">{edit} {name}</span>' in html
    to = "aan" if language == "nl" else "to"
    assert f'<span class="visually-hidden"> {to} {name}</span>' in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html


def test_urls_are_those_reverse_writes():
    for name in ("users:edit", "users:delete", "users:resend_welcome"):
        url = url_with_pk(name)
        for pk in (1, 9, 10, 987654321, 123456789012):
            assert url(pk) == reverse(name, kwargs={"pk": pk})


def test_no_rows_write_nothing():
    assert write([]) == ("", 0)
