"""The rough edges of issue 17 (section 5) in a real browser: where the focus lands, the empty
states' contrast under axe-core in Dutch and English, and admin's date fields without a
time-zone note."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import context_options, log_in


@pytest.fixture
def assert_axe_clean(axe):
    """axe-core finds nothing at all on the page, not even a minor finding."""

    def check(page):
        violations = axe.run(page).response["violations"]
        found = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(node["target"][0] for node in v["nodes"][:3])
            for v in violations
        ]
        assert not found, f"axe-core on {page.url}:\n" + "\n".join(found)

    return check


def test_the_login_page_puts_the_focus_in_the_email_field(page, assert_accessible):
    page.goto("/accounts/login/")
    expect(page.get_by_label("E-mailadres")).to_be_focused()
    page.keyboard.type("ruud.coon@example.com")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()
    assert_accessible(page)


def test_after_saving_the_billing_address_the_focus_is_on_the_message(page, assert_accessible):
    log_in(page, "ruud.coon@example.com")
    page.goto("/organisation/billing-address/edit/")
    # A refused save: the focus is on the first field with an error, the postcode.
    page.get_by_label("Postcode").fill("1234 SS")
    page.get_by_label("E-mailadres").fill("facturen@")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("postcodes met de letters SA, SD of SS")).to_be_visible()
    expect(page.get_by_label("Postcode")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Postcode").fill("1017 AB")
    page.get_by_label("E-mailadres").fill("facturen@rodelente.nl")
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(re.compile(r"/organisation/billing-address/$"))
    message = page.get_by_role("status")
    expect(message).to_contain_text("Het factuuradres is opgeslagen.")
    expect(message).to_be_focused()
    assert_accessible(page)
    # The keyboard goes on from the message: its close button is next.
    page.keyboard.press("Tab")
    expect(message.get_by_role("button", name="Sluiten")).to_be_focused()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_empty_states_are_clean_under_axe(page, assert_axe_clean, language):
    log_in(page, "ruud.coon@example.com")
    page.goto("/organisation/")
    if language == "en":
        page.get_by_role("button", name=re.compile("English")).click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    pages = {
        "nl": [
            ("/invoices/?q=zzz", "Toon alle facturen"),
            ("/organisation/activity/?q=zzz", "Toon alle activiteit"),
        ],
        "en": [
            ("/invoices/?q=zzz", "Show all invoices"),
            ("/organisation/activity/?q=zzz", "Show all activity"),
        ],
    }
    for path, link in pages[language]:
        page.goto(path)
        state = page.get_by_test_id("empty-state")
        expect(state.get_by_role("link", name=link)).to_be_visible()
        assert_axe_clean(page)


def test_admin_date_fields_carry_no_time_zone_note(browser, live_server, demo):
    """A browser an hour behind Amsterdam (UTC in winter): Django would put its note below the
    invoice date and due date, which hold no time."""
    context = browser.new_context(**context_options(live_server, timezone_id="UTC"))
    page = context.new_page()
    try:
        log_in(page, "staff@example.com")
        expect(page).to_have_url(re.compile(r"/admin/$"))
        page.goto("/admin/invoices/invoice/add/")
        page.wait_for_load_state("load")
        expect(page.locator("#id_invoice_date")).to_be_visible()
        # The calendars came (the admin's script ran on load), and the offset is real.
        expect(page.locator(".datetimeshortcuts").first).to_be_attached()
        assert page.evaluate("window.DateTimeShortcuts.timezoneOffset") != 0
        expect(page.locator(".timezonewarning")).to_have_count(0)
        expect(page.get_by_text("Let op: voer tijden in")).to_have_count(0)
    finally:
        context.close()
