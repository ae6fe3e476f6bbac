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


def _fits_the_screen(page) -> None:
    """Nothing makes the page scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"


def test_admin_reads_the_overview_and_follows_it_in_both_languages(page, assert_accessible):
    """The overview's figures are those of Facturen and Activiteit, and lead there (issue 17)."""
    log_in(page, "ruud.coon@example.com")
    expect(page).to_have_url(re.compile(r"/organisation/$"))
    balance = page.get_by_test_id("overview-balance").inner_text()
    assert re.fullmatch(r"€\s[\d.]+,\d\d", balance), balance
    overdue = page.get_by_test_id("overview-overdue-count")
    expect(overdue).to_have_text(re.compile(r"^\d+ facturen? vervallen$"))
    overdue_count = int(overdue.inner_text().split()[0])
    expect(page.get_by_test_id("overview-next-due")).to_have_text(re.compile(r"\d{4}$"))
    expect(page.get_by_test_id("overview-processed")).to_have_text(re.compile(r"\d{4} \d\d:\d\d$"))
    invoices = page.get_by_test_id("overview-invoice")
    expect(invoices).to_have_count(5)
    newest = invoices.first.get_by_role("link").inner_text()
    sentences = page.get_by_test_id("overview-event-sentence").all_inner_texts()
    assert 1 <= len(sentences) <= 5
    expect(page.get_by_role("link", name="Bewerk factuuradres")).to_be_visible()
    expect(page.get_by_test_id("overview-users-link")).to_have_text("Gebruikers")
    assert_accessible(page)

    # The overdue figure leads to Facturen filtered on it, with the same balance above.
    overdue.click()
    expect(page).to_have_url(re.compile(r"/invoices/\?status=overdue$"))
    expect(page.get_by_test_id("invoice-row")).to_have_count(overdue_count)
    expect(page.get_by_test_id("open-balance")).to_have_text(balance)
    # The newest invoice is the first of Facturen, and its link opens its page.
    page.goto("/invoices/")
    expect(page.get_by_test_id("invoice-row").first.locator("td").first).to_contain_text(newest)
    page.goto("/organisation/")
    invoices.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/invoices/{re.escape(newest)}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(newest)
    # The sentences are Activiteit's latest, in its order.
    page.goto("/organisation/activity/")
    activity = page.get_by_test_id("event-sentence").all_inner_texts()
    assert activity[: len(sentences)] == sentences

    page.goto("/organisation/")
    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Open balance")).to_be_visible()
    expect(page.get_by_test_id("overview-balance")).to_have_text(
        balance.replace(".", "\x00").replace(",", ".").replace("\x00", ",")
    )
    expect(page.get_by_test_id("overview-overdue-count")).to_have_text(
        re.compile(rf"^{overdue_count} invoices? overdue$")
    )
    expect(page.get_by_role("heading", name="Latest activity")).to_be_visible()
    expect(page.get_by_test_id("overview-users-link")).to_have_text("Users")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Nederlands")).click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_the_overview_fits_a_phone_for_viewer_and_admin(
    browser, live_server, demo, assert_accessible
):
    """At 390 px the cards stack: no sideways scrolling, in Dutch and English; the Viewer sees
    no Admin parts; the Admin's hint points at the ☰ menu, where the switch is on a phone."""
    for email in ("anne.vanamersfoort@example.com", "ruud.coon@example.com"):
        context = browser.new_context(
            **context_options(live_server, viewport={"width": 390, "height": 844})
        )
        page = context.new_page()
        try:
            log_in(page, email)
            expect(page.get_by_test_id("overview-invoice")).to_have_count(5)
            expect(page.get_by_test_id("overview-address")).to_contain_text("Lange Gracht 16B")
            expect(page.get_by_test_id("overview-people")).to_have_text(re.compile(r"^\d+$"))
            if email.startswith("anne"):
                expect(page.get_by_test_id("role")).to_have_text("Viewer")
                expect(page.get_by_test_id("overview-address-edit")).to_have_count(0)
                expect(page.get_by_test_id("overview-users-link")).to_have_count(0)
                expect(page.get_by_test_id("overview-event")).to_have_count(0)
                expect(page.get_by_test_id("switch-hint")).to_have_count(0)  # one organisation
            else:
                expect(page.get_by_test_id("role")).to_have_text("Admin")
                expect(page.get_by_test_id("overview-address-edit")).to_be_visible()
                expect(page.get_by_test_id("overview-event")).not_to_have_count(0)
                hint = page.get_by_test_id("switch-hint")
                expect(hint.get_by_text("rechtsboven het menu (☰) te openen")).to_be_visible()
                expect(hint.get_by_text("via het gebruikersmenu rechtsboven")).to_be_hidden()
            _fits_the_screen(page)
            assert_accessible(page)

            page.get_by_role("button", name="Toon het menu").click()
            expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
            page.get_by_role("button", name=re.compile("English")).click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.get_by_role("heading", name="Latest invoices")).to_be_visible()
            if email.startswith("ruud"):
                expect(
                    page.get_by_test_id("switch-hint").get_by_text("open the menu (☰)")
                ).to_be_visible()
            _fits_the_screen(page)
            assert_accessible(page)
        finally:
            context.close()
