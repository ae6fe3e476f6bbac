"""The Gebruikers lists: both tabs, columns, search, order, paging, actions, query counts."""

from __future__ import annotations

import csv
import io
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import Membership, User
from tests.accounts.factories import MembershipFactory, SupportMembershipFactory
from tests.conftest import logged_in
from tests.html_rows import table_rows
from tests.users.factories import JobFunctionFactory

LIST = reverse("users:list")
SUPPORT_LIST = reverse("users:support_list")


def row_cells(content: str) -> list[list[str]]:
    return table_rows(content, "user-row")


def shown_rows(response) -> list[list[str]]:
    """The user rows the page shows, as cells: last name, first name, e-mail, …"""
    return row_cells(response.content.decode())


def emails(response) -> list[str]:
    """The *E-mail* column (the third on both tabs), top to bottom."""
    return [row[2] for row in shown_rows(response)]


def header_cells(content: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", content, re.S).group(1)
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    ]


@pytest.fixture
def people(organisation, admin, viewer, support_user):
    controller = JobFunctionFactory(name_nl="Controller", name_en="Controller")
    hr = JobFunctionFactory(name_nl="HR-manager", name_en="HR manager")
    User.objects.filter(pk=admin.pk).update(job_function=controller)
    User.objects.filter(pk=viewer.pk).update(job_function=hr)
    Membership.objects.filter(user=viewer, organisation=organisation).update(security_contact=True)
    return {"controller": controller, "hr": hr}


def test_organisation_tab_shows_the_guides_columns_and_yes_no(admin_client_portal, people):
    response = admin_client_portal.get(LIST)
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert header_cells(content) == [
        "Achternaam",
        "Voornaam",
        "E-mail",
        "Rol",
        "Functie",
        "Security/privacy",
        "Acties",
    ]
    rows = row_cells(content)
    assert [row[:6] for row in rows] == [
        ["Coon", "Ruud", "ruud@rodelente.example", "Admin", "Controller", "Nee"],
        ["van Amersfoort", "Anne", "anne@rodelente.example", "Viewer", "HR-manager", "Ja"],
    ]
    assert "Mijn organisatie gebruikers" in content
    assert '<p class="mb-2" data-testid="result-count">\n      2 gebruikers' in content


def test_function_is_shown_in_the_interface_language(admin, people):
    User.objects.filter(pk=admin.pk).update(language="en")
    content = logged_in(admin).get(LIST).content.decode()
    assert "HR manager" in content
    assert "HR-manager" not in content


def test_support_tab_lists_support_users_without_the_role_column(admin_client_portal, people):
    response = admin_client_portal.get(SUPPORT_LIST)
    content = response.content.decode()
    assert header_cells(content) == [
        "Achternaam",
        "Voornaam",
        "E-mail",
        "Functie",
        "Security/privacy",
        "Acties",
    ]
    assert emails(response) == ["sanne@rodelente.example"]
    assert "Mijn support gebruikers" in content
    # the tabs: the support one is the current page
    assert re.search(
        r'class="nav-link active" aria-current="page" href="/organisation/users/support/"', content
    )
    assert f'href="{reverse("users:support_add")}"' in content


def test_organisation_tab_is_the_current_tab(viewer_client, people):
    content = viewer_client.get(LIST).content.decode()
    assert re.search(
        r'class="nav-link active" aria-current="page" href="/organisation/users/"', content
    )
    assert 'class="nav-link" href="/organisation/users/support/"' in content


def test_list_shows_only_this_organisations_active_people(
    admin_client_portal, organisation, second_organisation, other_organisation, people
):
    MembershipFactory(organisation=second_organisation, user__email="other-org@rodelente.example")
    MembershipFactory(organisation=other_organisation, user__email="stranger@blauw.example")
    MembershipFactory(
        organisation=organisation, user__email="gone@rodelente.example", user__is_active=False
    )
    assert emails(admin_client_portal.get(LIST)) == [
        "ruud@rodelente.example",
        "anne@rodelente.example",
    ]


def test_sorted_by_last_name_then_first_name(admin_client_portal, organisation, admin):
    for first, last in [("Zoë", "Bakker"), ("Adam", "Bakker"), ("Piet", "Aalders")]:
        MembershipFactory(organisation=organisation, user__first_name=first, user__last_name=last)
    names = [(row[0], row[1]) for row in shown_rows(admin_client_portal.get(LIST))]
    assert names == [("Aalders", "Piet"), ("Bakker", "Adam"), ("Bakker", "Zoë"), ("Coon", "Ruud")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("amersfoort", ["anne@rodelente.example"]),
        ("Anne van", ["anne@rodelente.example"]),
        ("RUUD@", ["ruud@rodelente.example"]),
        ("rodelente", ["ruud@rodelente.example", "anne@rodelente.example"]),
    ],
)
def test_search_over_name_and_email(admin_client_portal, people, query, expected):
    response = admin_client_portal.get(LIST, {"q": query})
    assert emails(response) == expected
    assert f'value="{query}"' in response.content.decode()


def test_search_without_result_shows_the_empty_state(viewer_client, people):
    content = viewer_client.get(LIST, {"q": "nobody"}).content.decode()
    assert "Geen gebruiker gevonden voor “nobody”." in content
    assert 'data-testid="user-row"' not in content


def test_empty_support_list_says_so(viewer_client, organisation):
    content = viewer_client.get(SUPPORT_LIST).content.decode()
    assert "Nog niemand heeft toegang tot 'Mijn support' voor deze organisatie." in content


def test_paging_25_a_page_keeps_the_search(admin_client_portal, organisation, admin):
    for number in range(30):
        MembershipFactory(
            organisation=organisation,
            user__last_name=f"Jansen {number:02d}",
            user__email=f"jansen{number:02d}@rodelente.example",
        )
    first = admin_client_portal.get(LIST, {"q": "jansen"})
    assert len(shown_rows(first)) == 25
    assert "30 gebruikers" in first.content.decode()
    assert 'href="?q=jansen&amp;page=2"' in first.content.decode()
    second = admin_client_portal.get(LIST, {"q": "jansen", "page": 2})
    assert emails(second) == [f"jansen{n:02d}@rodelente.example" for n in range(25, 30)]


def test_admin_sees_actions_with_accessible_names(admin_client_portal, organisation, viewer):
    content = admin_client_portal.get(LIST).content.decode()
    membership = Membership.objects.get(user=viewer)
    assert f'href="{reverse("users:edit", kwargs={"pk": membership.pk})}"' in content
    assert f'href="{reverse("users:delete", kwargs={"pk": membership.pk})}"' in content
    assert '<span class="visually-hidden">Bewerk Anne van Amersfoort</span>' in content
    assert '<span class="visually-hidden">Verwijder Anne van Amersfoort</span>' in content
    assert "Voeg gebruiker toe" in content
    assert f'href="{reverse("users:add")}"' in content
    assert f'href="{reverse("users:export_csv")}"' in content


def test_viewer_sees_the_same_list_without_actions(viewer_client, organisation, admin, viewer):
    response = viewer_client.get(LIST)
    content = response.content.decode()
    assert emails(response) == ["ruud@rodelente.example", "anne@rodelente.example"]
    assert "Acties" not in content
    assert "Voeg gebruiker toe" not in content
    assert "Bewerk" not in content
    assert "Verwijder" not in content
    assert "/edit/" not in content
    assert "/delete/" not in content
    assert "export.csv" not in content
    assert "Welkomstmail opnieuw sturen" not in content


def test_resend_button_only_for_people_who_never_activated(admin_client_portal, organisation):
    waiting = MembershipFactory(
        organisation=organisation, user__first_name="Wim", user__last_name="Wacht"
    )
    waiting.user.set_unusable_password()
    waiting.user.save()
    content = admin_client_portal.get(LIST).content.decode()
    assert content.count("Welkomstmail opnieuw sturen") == 1
    assert f'action="{reverse("users:resend_welcome", kwargs={"pk": waiting.pk})}"' in content
    assert "aan Wim Wacht" in content


def test_navigation_has_gebruikers_for_viewers(viewer_client, organisation):
    content = viewer_client.get(reverse("portal:organisation_home")).content.decode()
    assert f'href="{LIST}">Gebruikers</a>' in content


def _bulk_people(organisation, count: int, kind: str) -> None:
    function = JobFunctionFactory(name_nl="Controller", name_en="Controller")
    users = User.objects.bulk_create(
        User(
            email=f"bulk{kind}{n:05d}@rodelente.example",
            first_name="Bulk",
            last_name=f"Persoon {n:05d}",
            customer=organisation.customer,
            job_function=function,
            password="!",
        )
        for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            organisation=organisation,
            kind=kind,
            role=Membership.Role.VIEWER if kind == Membership.Kind.ORGANISATION else None,
            security_contact=n % 7 == 0,
        )
        for n, user in enumerate(users)
    )


@pytest.mark.parametrize("count", [5, 2000])
@pytest.mark.parametrize(
    ("url", "kind"),
    [(LIST, Membership.Kind.ORGANISATION), (SUPPORT_LIST, Membership.Kind.SUPPORT)],
)
def test_query_count_does_not_grow_with_the_list(
    admin_client_portal, organisation, django_assert_num_queries, count, url, kind
):
    _bulk_people(organisation, count, kind)
    admin_client_portal.get(url)  # the first request of a session also writes the session
    # session, user with memberships (accounts.backends); the count; the page with user and
    # function
    with django_assert_num_queries(4):
        response = admin_client_portal.get(url, {"page": 2 if count > 25 else 1})
    assert response.status_code == HTTPStatus.OK
    admins = 1 if kind == Membership.Kind.ORGANISATION else 0  # the requesting Admin is listed
    assert len(shown_rows(response)) == min(count + admins, 25)
    with django_assert_num_queries(4):
        response = admin_client_portal.get(url, {"q": "persoon 0000"})
    assert "Persoon 00001" in response.content.decode()


def test_csv_export_of_both_lists(admin_client_portal, organisation, admin, viewer, people):
    SupportMembershipFactory(
        organisation=organisation,
        user__first_name="Sam",
        user__last_name="=Formule",
        user__email="sam@rodelente.example",
        user__phone="+31201234567",
    )
    response = admin_client_portal.get(reverse("users:export_csv"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.match(
        r'attachment; filename="gebruikers-\d+-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Toegang",
        "Achternaam",
        "Voornaam",
        "E-mail",
        "Rol",
        "Functie",
        "Functie visitekaart",
        "Telefoonnummer",
        "Mobiel telefoonnummer",
        "Security/privacy",
        "Geactiveerd",
    ]
    assert rows[1:] == [
        [
            "Mijn organisatie",
            "Coon",
            "Ruud",
            "ruud@rodelente.example",
            "Admin",
            "Controller",
            "",
            "",
            "",
            "Nee",
            "Ja",
        ],
        [
            "Mijn organisatie",
            "van Amersfoort",
            "Anne",
            "anne@rodelente.example",
            "Viewer",
            "HR-manager",
            "",
            "",
            "",
            "Ja",
            "Ja",
        ],
        [
            "Mijn support",
            "'=Formule",
            "Sam",
            "sam@rodelente.example",
            "",
            "",
            "",
            "020 123 4567",
            "",
            "Nee",
            "Ja",
        ],
        [
            "Mijn support",
            "de Vries",
            "Sanne",
            "sanne@rodelente.example",
            "",
            "",
            "",
            "",
            "",
            "Nee",
            "Ja",
        ],
    ]


def test_csv_export_holds_only_this_organisation(admin_client_portal, other_organisation):
    MembershipFactory(organisation=other_organisation, user__email="stranger@blauw.example")
    body = b"".join(admin_client_portal.get(reverse("users:export_csv")).streaming_content)
    assert b"stranger@blauw.example" not in body
    assert b"ruud@rodelente.example" in body
