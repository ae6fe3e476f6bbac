"""The demo Admin edits the billing address in Dutch, sees it on the card and in *Activiteit*;
the demo Viewer sees the address without *Bewerk*."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_admin_edits_the_billing_address_and_reads_it_in_the_activity(page, assert_accessible):
    log_in(page, "ruud.coon@example.com")
    page.goto("/organisation/")
    page.get_by_role("link", name="Factuuradres").first.click()
    card = page.get_by_test_id("billing-address")
    expect(card).to_contain_text("Lange Gracht 16B")
    expect(card).to_contain_text("1234 AB Amsterdam")
    expect(card).to_contain_text("020 123 4567")
    assert_accessible(page)

    page.get_by_role("link", name="Bewerk factuuradres").click()
    expect(page.get_by_test_id("applies-from")).to_contain_text(
        "Een wijziging geldt vanaf de volgende factuur."
    )
    assert_accessible(page)
    page.get_by_label("Postcode").fill("not a postcode")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Dit is geen geldige postcode in Nederland")).to_be_visible()

    page.get_by_label("Postcode").fill("1017ab")
    page.get_by_label("Straat en huisnummer").fill("Herengracht 500")
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(re.compile(r"/organisation/billing-address/$"))
    expect(card).to_contain_text("Herengracht 500")
    expect(card).to_contain_text("1017 AB Amsterdam")

    page.get_by_role("link", name="Activiteit").first.click()
    expect(page.get_by_test_id("event-sentence").first).to_have_text(
        "Ruud Coon wijzigde het factuuradres: straat en huisnummer Lange Gracht 16B → "
        "Herengracht 500, postcode 1234 AB → 1017 AB"
    )


def test_viewer_sees_the_address_without_edit(page):
    log_in(page, "anne.vanamersfoort@example.com")
    page.goto("/organisation/billing-address/")
    expect(page.get_by_test_id("billing-address")).to_contain_text(
        "Afdeling Crediteurenadministratie"
    )
    expect(page.get_by_role("link", name=re.compile("Bewerk"))).to_have_count(0)
    page.goto("/organisation/billing-address/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
