"""The page header: navigation, language switch and user menu as each kind of visitor sees
them (the markup in base.html and portal/_user_menu.html, the values from portal/chrome.py),
and the blocks a page replaces them by."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.urls import reverse

from accounts.models import Organisation
from portal.chrome import LanguageChoice, NavLink, OrganisationChoice, PageHeader
from tests.conftest import logged_in

HOME = reverse("portal:organisation_home")
INVOICES = reverse("invoices:list")


def collapsed(html: str) -> str:
    """``html`` with the layout's white space taken out: none between tags, single spaces
    elsewhere (what a browser shows the same)."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).replace("> <", "><")


def header(response) -> str:
    content = collapsed(response.content.decode())
    return content[content.index("<header") : content.index("</header>")]


def test_an_admin_sees_the_sections_the_active_one_marked(admin):
    html = header(logged_in(admin).get(INVOICES))
    assert '<a class="nav-link" href="/organisation/">Overzicht</a>' in html
    assert '<a class="nav-link active" aria-current="page" href="/invoices/">Facturen</a>' in html
    assert 'href="/organisation/activity/">Activiteit</a>' in html
    assert html.count('class="nav-item"') == 5
    assert html.count('aria-current="page"') == 1


def test_a_viewer_has_no_activity_link(viewer):
    html = header(logged_in(viewer).get(HOME))
    assert 'class="nav-link active" aria-current="page" href="/organisation/">Overzicht' in html
    assert "Activiteit" not in html
    assert html.count('class="nav-item"') == 4


def test_the_user_menu_lists_the_organisations_with_roles(admin, organisation):
    html = header(logged_in(admin).get(HOME + "?x=1"))
    forms = re.findall(r'<form method="post" action="/organisation/switch/">.*?</form>', html)
    assert len(forms) == 2
    active = next(form for form in forms if f'value="{organisation.pk}"' in form)
    other = next(form for form in forms if form is not active)
    assert 'aria-current="true"' in active
    assert 'aria-current="true"' not in other
    assert '<span class="badge text-bg-light">Admin</span>' in active
    assert '<span class="badge text-bg-secondary">Admin</span>' in other
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)
    assert '<input type="hidden" name="next" value="/organisation/">' in active
    # The language switch returns to the page with its query string.
    assert '<input type="hidden" name="next" value="/organisation/?x=1">' in html
    assert '<span class="user-menu-label">Rode Lente</span>' in html
    assert '<div class="fw-semibold">Ruud Coon</div>' in html
    assert f'<div class="small text-body-secondary">{admin.email}</div>' in html
    assert "Beheer (Django-admin)" not in html


def test_the_active_language_is_pressed_in_english(viewer):
    viewer.language = "en"
    viewer.save(update_fields=["language"])
    html = header(logged_in(viewer).get(HOME))
    assert (
        '<button type="submit" name="language" value="en" lang="en" class="btn btn-dark" '
        'aria-pressed="true" title="English">EN<span class="visually-hidden"> English</span>'
        in html
    )
    assert 'value="nl" lang="nl" class="btn btn-outline-dark" aria-pressed="false"' in html
    assert 'aria-label="Main navigation"' in html
    assert ">Log out</button>" in html


def test_names_are_escaped(admin, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(name='<b>Rode & "Lente"</b>')
    html = header(logged_in(admin).get(HOME))
    assert "<b>" not in html
    assert "&lt;b&gt;Rode &amp; &quot;Lente&quot;&lt;/b&gt;" in html


def test_staff_get_the_admin_link_and_no_organisations(staff):
    html = header(logged_in(staff).get(reverse("accounts:profile")))
    assert 'href="/admin/">Beheer (Django-admin)</a>' in html
    assert "/organisation/switch/" not in html
    assert '<ul class="navbar-nav me-auto"></ul>' in html


def test_an_anonymous_visitor_gets_navigation_and_languages_only(client):
    html = header(client.get(reverse("account_login")))
    assert "user-menu" not in html
    assert 'action="/language/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


# --- the values (portal/chrome.py) --------------------------------------------------------


def test_the_values_the_header_shows(admin, organisation, second_organisation):
    header = logged_in(admin).get(INVOICES).context["header"]
    assert header.navigation == (
        NavLink("/organisation/", "Overzicht", False),
        NavLink("/invoices/", "Facturen", True),
        NavLink("/organisation/billing-address/", "Factuuradres", False),
        NavLink("/organisation/users/", "Gebruikers", False),
        NavLink("/organisation/activity/", "Activiteit", False),
    )
    assert header.languages == (
        LanguageChoice("nl", "NL", "Nederlands", "Nederlands", True),
        LanguageChoice("en", "EN", "English", "English", False),
    )
    assert sorted(header.organisations, key=lambda choice: choice.pk) == sorted(
        [
            OrganisationChoice(organisation.pk, "Rode Lente", "Admin", True),
            OrganisationChoice(second_organisation.pk, "Rode Lente Services", "Admin", False),
        ],
        key=lambda choice: choice.pk,
    )
    assert (header.menu_label, header.user_name) == ("Rode Lente", "Ruud Coon")


def test_someone_without_a_name_is_shown_by_email(staff):
    staff.first_name = staff.last_name = ""
    staff.save(update_fields=["first_name", "last_name"])
    header = logged_in(staff).get(reverse("accounts:profile")).context["header"]
    assert (header.navigation, header.organisations) == ((), ())
    assert header.user_name == staff.email


def test_an_anonymous_visitor_has_no_menu_values(client):
    header = client.get(reverse("account_login")).context["header"]
    assert (header.navigation, header.organisations, header.menu_label) == ((), (), "")
    assert [choice.code for choice in header.languages] == ["nl", "en"]


# --- blocks -------------------------------------------------------------------------------


def render_page(request, blocks: str) -> str:
    source = '{% extends "base.html" %}' + blocks
    return collapsed(engines["django"].from_string(source).render({}, request))


@pytest.mark.parametrize(
    ("blocks", "shown", "gone"),
    [
        (
            '{% block user_menu %}<p id="own-menu">Mine</p>{% endblock %}',
            ['<p id="own-menu">Mine</p>', 'action="/language/"', ">Facturen</a>"],
            ["user-menu", "/organisation/switch/"],
        ),
        (
            '{% block navigation %}{{ block.super }}<p id="extra">Extra</p>{% endblock %}',
            ['>Activiteit</a></li></ul><p id="extra">Extra</p>', "user-menu"],
            [],
        ),
        (
            "{% block language_switch %}{% endblock %}",
            [">Facturen</a>", "user-menu"],
            ['action="/language/"'],
        ),
        (
            '{% block header %}<header id="own">Own</header>{% endblock %}',
            ['<header id="own">Own</header>'],
            ["navbar", "user-menu", 'action="/language/"'],
        ),
    ],
)
def test_a_page_replaces_a_part_of_the_header_by_a_block(admin, blocks, shown, gone):
    request = logged_in(admin).get(HOME).wsgi_request
    html = render_page(request, blocks)
    for text in shown:
        assert text in html
    for text in gone:
        assert text not in html


def test_a_page_without_the_header_works_out_nothing(admin, monkeypatch):
    request = logged_in(admin).get(HOME).wsgi_request

    def refuse(self):
        raise AssertionError("the header was worked out")

    for name in ("navigation", "languages", "organisations", "menu_label", "user_name"):
        monkeypatch.setattr(PageHeader, name, property(refuse))
    html = render_page(request, "{% block header %}{% endblock %}")
    assert "<header" not in html
    assert "Rode Lente" not in html  # the active organisation is only in the header
    with pytest.raises(AssertionError, match="the header was worked out"):
        render_page(request, "")
