"""The demo Admin reads *Activiteit* in Dutch and English; the demo Viewer has no such menu."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_admin_reads_and_filters_the_activity(page, assert_accessible):
    log_in(page, "ruud.coon@example.com")
    page.goto("/organisation/")
    page.get_by_role("link", name="Activiteit").first.click()
    expect(page.get_by_role("heading", name="Activiteit", level=1)).to_be_visible()
    sentences = page.get_by_test_id("event-sentence")
    expect(sentences.filter(has_text="Ruud Coon gaf Anne van Amersfoort")).to_have_text(
        "Ruud Coon gaf Anne van Amersfoort (anne.vanamersfoort@example.com) toegang: "
        "soort toegang Mijn organisatie, rol Admin, contactpersoon security/privacy Ja"
    )
    assert_accessible(page)

    page.get_by_label("Wat").select_option(label="Toegang gewijzigd")
    page.get_by_role("button", name="Toepassen").click()
    expect(page).to_have_url(re.compile(r"action=access.changed"))
    expect(sentences).to_have_count(1)
    expect(sentences.first).to_contain_text("rol Admin → Viewer")

    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.get_by_role("heading", name="Activity", level=1)).to_be_visible()
    expect(sentences.first).to_contain_text("Ruud Coon changed the access of Anne van Amersfoort")
    assert_accessible(page)


def test_viewer_has_no_activity_menu(page):
    log_in(page, "anne.vanamersfoort@example.com")
    page.goto("/organisation/")
    expect(page.get_by_role("link", name="Facturen").first).to_be_visible()
    expect(page.get_by_role("link", name="Activiteit")).to_have_count(0)
