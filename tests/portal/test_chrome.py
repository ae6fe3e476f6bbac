"""The page header (portal/chrome.py): navigation, language switch and user menu, as each
kind of visitor sees them."""

from __future__ import annotations

import re

from django.urls import reverse

from accounts.models import Organisation
from tests.conftest import logged_in

HOME = reverse("portal:organisation_home")
INVOICES = reverse("invoices:list")


def header(response) -> str:
    content = response.content.decode()
    return content[content.index("<header") : content.index("</header>")]


def test_an_admin_sees_the_sections_the_active_one_marked(admin):
    html = header(logged_in(admin).get(INVOICES))
    assert '<a class="nav-link" href="/organisation/">Overzicht</a>' in html
    assert '<a class="nav-link active" aria-current="page" href="/invoices/">Facturen</a>' in html
    assert 'href="/organisation/activity/">Activiteit</a>' in html
    assert html.count('class="nav-item"') == 5


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
    assert 'aria-current="true"' in active
    assert '<span class="badge text-bg-light">Admin</span>' in active
    assert all('name="csrfmiddlewaretoken"' in form for form in forms)
    assert '<input type="hidden" name="next" value="/organisation/">' in active
    # The language switch returns to the page with its query string.
    assert '<input type="hidden" name="next" value="/organisation/?x=1">' in html
    assert f'<div class="small text-body-secondary">{admin.email}</div>' in html
    assert "Beheer (Django-admin)" not in html


def test_the_active_language_is_pressed_in_english(viewer):
    viewer.language = "en"
    viewer.save(update_fields=["language"])
    html = header(logged_in(viewer).get(HOME))
    assert (
        '<button type="submit" name="language" value="en" lang="en" class="btn btn-dark" '
        'aria-pressed="true" title="English">EN' in html
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
