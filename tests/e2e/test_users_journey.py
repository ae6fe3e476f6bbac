"""The demo Admin adds a user with the keyboard only, edits them and removes them, in Dutch."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from users.models import JobFunction

EMAIL = "nina.nieuw@rodelente.example"


def search_row(page):
    """The list is paged (the demo has about 30 users): search for Nina's row."""
    field(page, "Zoeken").fill("nina")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 gebruiker")
    return page.get_by_test_id("user-row").filter(has_text=EMAIL)


def field(page, label: str):
    """The form field labelled exactly ``label`` (a required one's label ends in "*")."""
    return page.get_by_label(re.compile(rf"^\s*{label}\s*\*?\s*$"))  # no regex characters in labels


def test_admin_adds_edits_and_removes_a_user(page, assert_accessible):
    function, _created = JobFunction.objects.get_or_create(
        name_nl="Controller", defaults={"name_en": "Controller", "order": 3}
    )
    log_in(page, "ruud.coon@example.com")
    page.get_by_role("link", name="Gebruikers").first.click()
    expect(page.get_by_role("heading", name="Gebruikers", level=1)).to_be_visible()
    tabs = page.get_by_role("navigation", name="Soorten gebruikers")
    expect(tabs.get_by_role("link", name="Mijn organisatie")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)

    # --- add, keyboard only: Tab, typing, Space and Enter -------------------------------
    add = page.get_by_role("link", name="Voeg gebruiker toe")
    add.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Gebruiker toevoegen", level=1)).to_be_visible()
    email = field(page, "E-mail")
    expect(email).to_be_focused()  # the one field has the focus on arrival
    assert_accessible(page)
    page.keyboard.type(EMAIL.upper())
    page.keyboard.press("Enter")

    expect(page.get_by_text("Stap 2 van 2")).to_be_visible()
    # The address of step 1 is shown as text: no stop in the tab order (issue 17, item 3).
    expect(page.get_by_test_id("email")).to_have_text(EMAIL)
    expect(field(page, "Voornaam")).to_be_focused()
    assert_accessible(page)
    page.keyboard.type("Nina")
    page.keyboard.press("Tab")
    expect(field(page, "Achternaam")).to_be_focused()
    page.keyboard.type("Nieuw")
    page.keyboard.press("Tab")
    role = field(page, "Rol")
    expect(role).to_be_focused()
    expect(role).to_have_value("viewer")
    page.keyboard.press("Tab")
    function_select = field(page, "Functie")
    expect(function_select).to_be_focused()
    page.keyboard.type("Controller")
    expect(function_select).to_have_value(str(function.pk))
    page.keyboard.press("Tab")
    expect(field(page, "Functie visitekaart")).to_be_focused()
    page.keyboard.type("Hoofd control")
    page.keyboard.press("Tab")
    expect(field(page, "Telefoonnummer")).to_be_focused()
    page.keyboard.type("020 123 4567")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    security = field(page, "Contactpersoon security/privacy")
    expect(security).to_be_focused()
    page.keyboard.press("Space")
    expect(security).to_be_checked()
    page.keyboard.press("Tab")  # Annuleer
    page.keyboard.press("Tab")  # Vorige
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Toevoegen")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(
        f"Nina Nieuw heeft nu toegang tot Mijn organisatie. We hebben {EMAIL} een welkomstmail "
        "gestuurd met een link om het account te activeren."
    )
    row = search_row(page)
    expect(row.locator("td")).to_have_text(
        ["Nieuw", "Nina", EMAIL, "Viewer", "Controller", "Ja", re.compile("Bewerk Nina Nieuw")]
    )
    assert_accessible(page)

    # --- edit: she becomes Admin and takes her married name ------------------------------
    row.get_by_role("link", name="Bewerk Nina Nieuw").click()
    expect(page.get_by_role("heading", name="Nina Nieuw bewerken", level=1)).to_be_visible()
    expect(field(page, "Functie visitekaart")).to_have_value("Hoofd control")
    expect(field(page, "Telefoonnummer")).to_have_value("020 123 4567")
    assert_accessible(page)
    field(page, "Achternaam").fill("Nieuw-Jansen")
    field(page, "Rol").select_option(label="Admin")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(
        "De gegevens van Nina Nieuw-Jansen zijn opgeslagen."
    )
    row = search_row(page)
    expect(row.locator("td").nth(0)).to_have_text("Nieuw-Jansen")
    expect(row.locator("td").nth(3)).to_have_text("Admin")

    # --- delete with a reason --------------------------------------------------------------
    row.get_by_role("link", name="Verwijder Nina Nieuw-Jansen").click()
    expect(page.get_by_role("heading", name="Weet je het zeker?", level=1)).to_be_visible()
    expect(page.get_by_text("Verwijderen kan niet ongedaan worden gemaakt.")).to_be_visible()
    expect(page.locator("dd").filter(has_text=EMAIL)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Verwijderen").click()
    expect(field(page, "Reden")).to_be_focused()  # the missing reason, with focus on it
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()
    field(page, "Reden").fill("Nina heeft sinds 1 mei een andere functie.")
    page.get_by_role("button", name="Verwijderen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Nina Nieuw-Jansen heeft geen toegang meer tot Mijn organisatie."
    )
    field(page, "Zoeken").fill("nina")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_test_id("empty-state")).to_have_text(
        re.compile("Geen gebruiker gevonden voor “nina”.")
    )
    assert_accessible(page)
