"""The demo Admin adds a user with the keyboard only, edits them (their address too) and
removes them, in Dutch; filters, sorts and manages users in English."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from outbox.models import OutgoingEmail
from tests.e2e.conftest import log_in
from users.models import JobFunction

EMAIL = "nina.nieuw@rodelente.example"
NEW_EMAIL = "nina.jansen@rodelente.example"


def search_row(page):
    """The list is paged (the demo has about 30 users): search for Nina's row."""
    field(page, "Zoeken").fill("nina")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 gebruiker")
    return page.get_by_test_id("user-row").filter(has_text="Nina")


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
    language = page.locator("#id_language")  # hers, by default the Admin's (R22)
    expect(language).to_be_focused()
    expect(language).to_have_value("nl")
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
        [
            "Nieuw",
            "Nina",
            EMAIL,
            "Viewer",
            "Controller",
            "Ja",
            "Uitnodiging verstuurd",
            "Nooit",
            re.compile("Bewerk Nina Nieuw"),
        ]
    )
    assert_accessible(page)

    # --- the status filter finds her; the query stays while sorting -----------------------
    field(page, "Zoeken").fill("")
    field(page, "Status").select_option(label="Uitnodiging verstuurd")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 gebruiker")
    page.get_by_role("link", name=re.compile("^E-mail")).click()
    expect(page).to_have_url(re.compile(r"status=pending.*sort=email"))
    expect(page.get_by_role("columnheader", name=re.compile("^E-mail"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    assert_accessible(page)

    # --- edit: she becomes Admin and takes her married name and address ------------------
    row = page.get_by_test_id("user-row").filter(has_text=EMAIL)
    row.get_by_role("link", name="Bewerk Nina Nieuw").click()
    expect(page.get_by_role("heading", name="Nina Nieuw bewerken", level=1)).to_be_visible()
    expect(field(page, "Functie visitekaart")).to_have_value("Hoofd control")
    expect(field(page, "Telefoonnummer")).to_have_value("020 123 4567")
    expect(page.locator("#id_language")).to_have_value(
        "nl"
    )  # her invitation's, until she activates
    assert_accessible(page)
    field(page, "Achternaam").fill("Nieuw-Jansen")
    field(page, "E-mail").fill(NEW_EMAIL)
    field(page, "Rol").select_option(label="Admin")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"De gegevens van Nina Nieuw-Jansen zijn opgeslagen. De uitnodiging aan {EMAIL} werkt "
        f"niet meer; we hebben {NEW_EMAIL} een nieuwe welkomstmail gestuurd."
    )
    assert OutgoingEmail.objects.filter(kind="welcome", to=NEW_EMAIL).exists()
    row = search_row(page)
    expect(row.locator("td").nth(0)).to_have_text("Nieuw-Jansen")
    expect(row.locator("td").nth(2)).to_have_text(NEW_EMAIL)
    expect(row.locator("td").nth(3)).to_have_text("Admin")

    # --- delete with a reason --------------------------------------------------------------
    row.get_by_role("link", name="Verwijder Nina Nieuw-Jansen").click()
    expect(page.get_by_role("heading", name="Weet je het zeker?", level=1)).to_be_visible()
    expect(page.get_by_text("Verwijderen kan niet ongedaan worden gemaakt.")).to_be_visible()
    expect(page.locator("dd").filter(has_text=NEW_EMAIL)).to_be_visible()
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


def test_admin_filters_sorts_and_manages_users_in_english(page, assert_accessible):
    log_in(page, "ruud.coon@example.com")
    page.goto("/organisation/users/")
    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    ruud = page.get_by_test_id("user-row").filter(has_text="ruud.coon@example.com")
    expect(ruud.locator("td").nth(6)).to_have_text("Active")
    expect(ruud.locator("td").nth(7)).to_have_text(re.compile(r"^\d{2}/\d{2}/\d{4}$"))

    # --- the Admins, by e-mail address; the filter stays in the sort links -----------------
    page.get_by_label("Role", exact=True).select_option(label="Admin")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("result-count")).to_have_text("3 users")
    page.get_by_role("link", name=re.compile("^E-mail")).click()
    expect(page).to_have_url(re.compile(r"role=admin.*sort=email"))
    expect(page.get_by_test_id("user-row").locator("td:nth-child(3)")).to_have_text(
        ["marieke.jansen@example.com", "ruud.coon@example.com", "sophie.dekker@example.com"]
    )
    page.get_by_role("link", name=re.compile("^E-mail")).click()  # and back
    expect(page.get_by_test_id("user-row").first).to_contain_text("sophie.dekker@example.com")
    expect(page.get_by_label("Role", exact=True)).to_have_value("admin")
    assert_accessible(page)

    # --- someone new, in English (R22) -----------------------------------------------------
    page.get_by_role("link", name="Add user").click()
    field(page, "E-mail").fill("eric.english@rodelente.example")
    page.get_by_role("button", name="Next").click()
    expect(page.locator("#id_language")).to_have_value("en")  # Ruud's language now
    field(page, "First name").fill("Eric")
    field(page, "Last name").fill("English")
    field(page, "Function").select_option(index=1)
    assert_accessible(page)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Eric English now has access to Mijn organisatie. We have sent "
        "eric.english@rodelente.example a welcome e-mail"
    )
    welcome = OutgoingEmail.objects.get(to="eric.english@rodelente.example")
    assert welcome.subject == "Welcome to Mijn organisatie: activate your account"

    # --- a colleague with an account gets Mijn support too: told by e-mail -----------------
    tabs = page.get_by_role("navigation", name="Kinds of users")
    tabs.get_by_role("link", name="Mijn support").click()
    page.get_by_role("link", name="Add user").click()
    field(page, "E-mail").fill("anne.vanamersfoort@example.com")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_test_id("wizard-notice")).to_be_visible()
    expect(page.locator("#id_language")).to_have_count(0)  # hers is her own
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        "Anne van Amersfoort now has access to Mijn support. We have told "
        "anne.vanamersfoort@example.com by e-mail."
    )
    notice = OutgoingEmail.objects.get(to="anne.vanamersfoort@example.com")
    assert notice.subject == "Je hebt nu toegang tot Mijn support voor Rode Lente"  # her Dutch

    # --- the list as a file, for a Viewer as well --------------------------------------------
    with page.expect_download() as download:
        page.get_by_role("link", name="Export users (CSV)").click()
    assert download.value.suggested_filename.startswith("users-")
