"""The Gebruikers lists: both tabs, columns, search, order, paging, actions, query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

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
    """The column headers as read, without the sort arrow and the hidden "(sorteren)"."""
    head = re.search(r"<thead>(.*?)</thead>", content, re.S).group(1)
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    cells = [re.sub(r'<span class="visually-hidden">.*?</span>', "", cell) for cell in cells]
    cells = [re.sub(r'<span aria-hidden="true">.*?</span>', "", cell) for cell in cells]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


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
        "Status",
        "Laatst ingelogd",
        "Acties",
    ]
    rows = row_cells(content)
    today = timezone.localdate().strftime("%-d-%-m-%Y")  # Ruud's login of this request
    assert [row[:8] for row in rows] == [
        ["Coon", "Ruud", "ruud@rodelente.example", "Admin", "Controller", "Nee", "Actief", today],
        [
            "van Amersfoort",
            "Anne",
            "anne@rodelente.example",
            "Viewer",
            "HR-manager",
            "Ja",
            "Actief",
            "Nooit",
        ],
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
        "Status",
        "Laatst ingelogd",
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
    assert "Welkomstmail opnieuw sturen" not in content
    # A Viewer sees everything in Mijn organisatie (R21): the export too (issue 17).
    assert f'href="{reverse("users:export_csv")}">Gebruikers exporteren (CSV)</a>' in content


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
        "Status",
        "Laatst ingelogd",
    ]
    today = timezone.localdate().isoformat()  # Ruud's login of this request
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
            "Actief",
            today,
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
            "Actief",
            "",
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
            "Actief",
            "",
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
            "Actief",
            "",
        ],
    ]


def test_csv_export_holds_only_this_organisation(admin_client_portal, other_organisation):
    MembershipFactory(organisation=other_organisation, user__email="stranger@blauw.example")
    body = b"".join(admin_client_portal.get(reverse("users:export_csv")).streaming_content)
    assert b"stranger@blauw.example" not in body
    assert b"ruud@rodelente.example" in body


# --- status, last login, filters and sorting (issue 17) -------------------------------------


def _person(organisation, local: str, last: str, *, activated=True, sent_hours_ago=None, **extra):
    """Someone with access to ``organisation``: activated (a password), or never activated
    with a welcome link sent ``sent_hours_ago`` hours ago (None: never sent)."""
    membership = MembershipFactory(
        organisation=organisation,
        user__email=f"{local}@rodelente.example",
        user__first_name=local.capitalize(),
        user__last_name=last,
        **extra,
    )
    user = membership.user
    if not activated:
        user.set_unusable_password()
    if sent_hours_ago is not None:
        user.welcome_sent_at = timezone.now() - dt.timedelta(hours=sent_hours_ago)
    user.save()
    return membership


@pytest.fixture
def statuses(organisation, admin, viewer):
    """One person of each status the portal shows, beside Ruud (Admin) and Anne (Viewer)."""
    return {
        "pending": _person(organisation, "piet", "Pending", activated=False, sent_hours_ago=1),
        "expired": _person(organisation, "eva", "Expired", activated=False, sent_hours_ago=25),
        "not_sent": _person(organisation, "nora", "Nosent", activated=False),
        "logged_in": _person(organisation, "lars", "Login", activated=False, sent_hours_ago=30),
    }


def status_of(response) -> dict[str, tuple[str, str]]:
    """E-mail -> (status, last login) as the rows show them."""
    return {row[2]: (row[6], row[7]) for row in shown_rows(response)}


def test_each_person_shows_their_status_and_last_login(admin_client_portal, statuses):
    login = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC)  # 5 March in Amsterdam
    User.objects.filter(pk=statuses["logged_in"].user_id).update(last_login=login)
    shown = status_of(admin_client_portal.get(LIST))
    today = timezone.localdate().strftime("%-d-%-m-%Y")
    assert shown == {
        "ruud@rodelente.example": ("Actief", today),
        "anne@rodelente.example": ("Actief", "Nooit"),
        "piet@rodelente.example": ("Uitnodiging verstuurd", "Nooit"),
        "eva@rodelente.example": ("Uitnodiging verlopen", "Nooit"),
        "nora@rodelente.example": ("Uitnodiging niet verstuurd", "Nooit"),
        # A login without a password (a login code) counts as activated, as the resend
        # button knows; its invitation's age no longer matters.
        "lars@rodelente.example": ("Actief", "5-3-2026"),
    }
    content = admin_client_portal.get(LIST).content.decode()
    assert '<time datetime="2026-03-04T23:30:00+00:00">5-3-2026</time>' in content
    assert '<span class="badge text-bg-info">Uitnodiging verstuurd</span>' in content


def test_statuses_and_last_login_in_english(admin, statuses):
    User.objects.filter(pk=admin.pk).update(language="en")
    shown = status_of(logged_in(admin).get(LIST))
    assert shown["piet@rodelente.example"] == ("Invitation pending", "Never")
    assert shown["eva@rodelente.example"] == ("Invitation expired", "Never")
    assert shown["nora@rodelente.example"] == ("Invitation not sent", "Never")
    assert shown["anne@rodelente.example"] == ("Active", "Never")
    assert shown["ruud@rodelente.example"][1] == timezone.localdate().strftime("%d/%m/%Y")


def test_an_invitation_expires_with_the_activation_link(admin_client_portal, statuses, settings):
    settings.ACCOUNT_ACTIVATION_TIMEOUT = 30 * 60  # half an hour: Piet's hour-old link is gone
    shown = status_of(admin_client_portal.get(LIST))
    assert shown["piet@rodelente.example"][0] == "Uitnodiging verlopen"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", {"ruud", "anne", "lars"}),
        ("pending", {"piet"}),
        ("expired", {"eva"}),
        ("not_sent", {"nora"}),
        ("", {"ruud", "anne", "lars", "piet", "eva", "nora"}),
        ("blocked", {"ruud", "anne", "lars", "piet", "eva", "nora"}),  # staff only: ignored
        ("<script>", {"ruud", "anne", "lars", "piet", "eva", "nora"}),
    ],
)
def test_filter_by_status(admin_client_portal, statuses, status, expected):
    User.objects.filter(pk=statuses["logged_in"].user_id).update(last_login=timezone.now())
    response = admin_client_portal.get(LIST, {"status": status})
    assert response.status_code == HTTPStatus.OK
    assert {email.split("@")[0] for email in emails(response)} == expected


def test_filter_by_role_and_security_contact(admin_client_portal, people, statuses):
    Membership.objects.filter(pk=statuses["expired"].pk).update(role="admin", security_contact=True)

    def shown(**query):
        return {email.split("@")[0] for email in emails(admin_client_portal.get(LIST, query))}

    assert shown(role="admin") == {"ruud", "eva"}
    assert shown(role="viewer") == {"anne", "piet", "nora", "lars"}
    assert shown(security_contact="yes") == {"anne", "eva"}
    assert shown(security_contact="no") == {"ruud", "piet", "nora", "lars"}
    assert shown(role="admin", security_contact="yes") == {"eva"}
    assert shown(role="viewer", status="pending", security_contact="no") == {"piet"}
    assert shown(role="viewer", q="nora") == {"nora"}
    assert shown(role="owner") == shown()  # an unknown value is ignored


def test_the_filter_form_shows_the_choices_in_force(admin_client_portal, statuses):
    content = admin_client_portal.get(
        LIST, {"role": "viewer", "status": "expired", "security_contact": "no"}
    ).content.decode()
    assert '<option value="viewer" selected>Viewer</option>' in content
    assert '<option value="expired" selected>Uitnodiging verlopen</option>' in content
    assert '<option value="no" selected>Nee</option>' in content
    assert '<option value="">Alle rollen</option>' in content
    assert '<option value="">Alle statussen</option>' in content
    # staff's statuses are not offered in the portal
    assert 'value="blocked"' not in content
    assert 'value="deactivated"' not in content
    assert f'<a class="btn btn-link" href="{LIST}">Toon alle gebruikers</a>' in content


def test_the_support_tab_has_no_role_filter(admin_client_portal, support_user):
    content = admin_client_portal.get(SUPPORT_LIST, {"role": "admin"}).content.decode()
    assert 'name="role"' not in content
    assert 'name="status"' in content
    assert emails(admin_client_portal.get(SUPPORT_LIST, {"role": "admin"})) == [
        "sanne@rodelente.example"
    ]


def test_nothing_matches_the_filters(admin_client_portal, statuses):
    content = admin_client_portal.get(LIST, {"status": "pending", "role": "admin"}).content
    assert "Geen gebruiker voldoet aan deze filters." in content.decode()
    assert 'data-testid="user-row"' not in content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Login", "Nosent", "Pending", "Expired", "Coon", "van Amersfoort"]),
        ("name", ["Login", "Nosent", "Pending", "Expired", "Coon", "van Amersfoort"]),
        ("-name", ["van Amersfoort", "Coon", "Expired", "Pending", "Nosent", "Login"]),
        ("email", ["van Amersfoort", "Expired", "Login", "Nosent", "Pending", "Coon"]),
        ("-email", ["Coon", "Pending", "Nosent", "Login", "Expired", "van Amersfoort"]),
        # Admins first, then by name; reversed entirely
        ("role", ["Coon", "Login", "Nosent", "Pending", "Expired", "van Amersfoort"]),
        ("-role", ["van Amersfoort", "Expired", "Pending", "Nosent", "Login", "Coon"]),
        ("bogus", ["Login", "Nosent", "Pending", "Expired", "Coon", "van Amersfoort"]),
    ],
)
def test_sort_by_name_email_and_role(admin_client_portal, statuses, sort, expected):
    # The last names above sort as "Coon" < "Expired" < …: rename to test the order itself.
    renames = {"Pending": "Bakker", "Expired": "Claes", "Nosent": "Aa", "Login": "A"}
    for old, new in renames.items():
        User.objects.filter(last_name=old).update(last_name=new)
    back = {new: old for old, new in renames.items()}
    response = admin_client_portal.get(LIST, {"sort": sort} if sort else {})
    assert [back.get(row[0], row[0]) for row in shown_rows(response)] == expected


def test_equal_names_keep_one_order_across_pages(admin_client_portal, organisation, admin):
    for number in range(30):
        MembershipFactory(
            organisation=organisation,
            user__first_name="Jan",
            user__last_name="Jansen",
            user__email=f"jan{number:02d}@rodelente.example",
        )
    seen = []
    for page in (1, 2):
        seen += emails(admin_client_portal.get(LIST, {"sort": "-name", "page": page}))
    assert len(seen) == len(set(seen)) == 31


def test_sort_headers_keep_the_query_and_say_the_order(admin_client_portal, statuses):
    content = admin_client_portal.get(
        LIST, {"q": "rodelente", "status": "active", "sort": "email", "page": "1"}
    ).content.decode()
    headers = {
        label: (order, href)
        for order, href, label in re.findall(
            r'<th scope="col" class="sortable" aria-sort="(\w+)">'
            r'<a class="sort-link" href="([^"]+)">([^<]+)<',
            content,
        )
    }
    assert headers == {
        "Achternaam": ("none", "?q=rodelente&amp;status=active&amp;sort=name"),
        "E-mail": ("ascending", "?q=rodelente&amp;status=active&amp;sort=-email"),
        "Rol": ("none", "?q=rodelente&amp;status=active&amp;sort=role"),
    }
    assert '<input type="hidden" name="sort" value="email" id="id_sort">' in content


def test_page_links_keep_the_filters_and_the_order(admin_client_portal, organisation, admin):
    for number in range(30):
        MembershipFactory(
            organisation=organisation,
            user__last_name=f"Jansen {number:02d}",
            user__email=f"jansen{number:02d}@rodelente.example",
            security_contact=True,
        )
    query = {"security_contact": "yes", "sort": "-name"}
    content = admin_client_portal.get(LIST, query).content.decode()
    assert 'href="?security_contact=yes&amp;sort=-name&amp;page=2"' in content
    second = admin_client_portal.get(LIST, {**query, "page": 2})
    assert emails(second) == [f"jansen{n:02d}@rodelente.example" for n in range(4, -1, -1)]


@pytest.mark.parametrize("count", [5, 2000])
def test_filtered_and_sorted_lists_keep_the_query_count(
    admin_client_portal, organisation, django_assert_num_queries, count
):
    _bulk_people(organisation, count, Membership.Kind.ORGANISATION)
    User.objects.filter(email__startswith="bulk").update(
        password="!unusable", welcome_sent_at=timezone.now()
    )
    admin_client_portal.get(LIST)
    query = {"status": "pending", "role": "viewer", "security_contact": "yes", "sort": "-email"}
    # session, user with memberships, the count, the page: as unfiltered
    with django_assert_num_queries(4):
        response = admin_client_portal.get(LIST, query)
    expected = len(range(0, count, 7))
    assert f"{expected} gebruiker" in response.content.decode()
    assert len(shown_rows(response)) == min(expected, 25)
    assert {row[6] for row in shown_rows(response)} == {"Uitnodiging verstuurd"}


def test_a_viewer_exports_the_users_csv(viewer_client, statuses):
    response = viewer_client.get(reverse("users:export_csv"))
    assert response.status_code == HTTPStatus.OK
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = {row[3]: row for row in csv.reader(io.StringIO(body), delimiter=";")}
    assert rows["piet@rodelente.example"][-3:] == ["Nee", "Uitnodiging verstuurd", ""]
    assert rows["eva@rodelente.example"][-2:] == ["Uitnodiging verlopen", ""]
    assert rows["anne@rodelente.example"][-2] == "Actief"


@pytest.mark.parametrize("count", [5, 2000])
def test_the_csv_export_keeps_the_query_count(
    viewer_client, organisation, django_assert_num_queries, count
):
    _bulk_people(organisation, count, Membership.Kind.ORGANISATION)
    _bulk_people(organisation, 3, Membership.Kind.SUPPORT)
    viewer_client.get(LIST)
    # session, user with memberships, each tab's people with their function and status
    with django_assert_num_queries(4):
        body = b"".join(viewer_client.get(reverse("users:export_csv")).streaming_content)
    assert body.count(b"\r\n") == 1 + count + 1 + 3  # header, the people, Anne, support
