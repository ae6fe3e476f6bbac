"""The demo Admin logs in, enters Mijn organisatie, switches organisation and language."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import context_options, log_in


def test_admin_logs_in_switches_organisation_and_language(page, assert_accessible):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)

    log_in(page, "ruud.coon@example.com")
    # Ruud holds one app, so Home sends him straight into Mijn organisatie.
    expect(page).to_have_url(re.compile(r"/organisation/$"))
    expect(page.get_by_test_id("active-organisation")).to_have_text("Rode Lente")
    expect(page.get_by_test_id("role")).to_have_text("Admin")
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("Gebruikersmenu")).click()
    menu = page.locator(".user-menu .dropdown-menu")
    expect(menu).to_be_visible()
    assert_accessible(page)
    menu.get_by_role("button", name=re.compile("Rode Lente Services")).click()
    expect(page.get_by_test_id("active-organisation")).to_have_text("Rode Lente Services")
    expect(page.get_by_role("status")).to_contain_text("Je werkt nu in Rode Lente Services")

    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Your role")).to_be_visible()
    expect(page.get_by_test_id("active-organisation")).to_have_text("Rode Lente Services")
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("Nederlands")).click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_text("Jouw rol")).to_be_visible()

    page.get_by_role("button", name=re.compile("Gebruikersmenu")).click()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_viewer_on_a_phone_uses_the_menu(browser, live_server, demo, assert_accessible):
    context = browser.new_context(
        **context_options(live_server, viewport={"width": 375, "height": 740})
    )
    page = context.new_page()
    try:
        log_in(page, "anne.vanamersfoort@example.com")
        expect(page.get_by_test_id("role")).to_have_text("Viewer")
        page.get_by_role("button", name="Toon het menu").click()
        # Wait for the collapse animation to finish; a click during it can be lost.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
        page.get_by_role("button", name=re.compile("Gebruikersmenu")).click()
        expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()


def test_staff_lands_in_the_admin(page):
    log_in(page, "staff@example.com")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_be_visible()
