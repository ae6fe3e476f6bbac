"""The demo Viewer opens Facturen, filters, downloads a PDF and sees the balance in English."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_viewer_filters_invoices_and_downloads_a_pdf(page, assert_accessible):
    log_in(page, "anne.vanamersfoort@example.com")
    page.get_by_role("link", name="Facturen").first.click()
    expect(page.get_by_role("heading", name="Facturen", level=1)).to_be_visible()
    expect(page.get_by_test_id("open-balance")).to_contain_text("€")
    expect(page.get_by_test_id("invoice-row")).to_have_count(25)
    assert_accessible(page)

    page.get_by_label("Type").select_option(label="Creditfactuur")
    page.get_by_role("button", name="Toepassen").click()
    expect(page).to_have_url(re.compile(r"kind=credit"))
    rows = page.get_by_test_id("invoice-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("corrigeert")
    assert_accessible(page)

    number = rows.first.locator("td").first.inner_text().strip()
    with page.expect_download() as info:
        rows.first.get_by_role("link", name=re.compile("PDF")).click()
    download = info.value
    assert download.suggested_filename == f"{number}.pdf"
    content = open(download.path(), "rb").read()  # noqa: SIM115
    assert content.startswith(b"%PDF-")
    assert f"Creditfactuur {number}".encode() in content  # the document title, in Dutch

    page.get_by_label("Status").select_option(label="Vervallen")
    page.get_by_label("Type").select_option(label="Alle typen")
    page.get_by_role("button", name="Toepassen").click()
    expect(page.get_by_test_id("invoice-row").first.get_by_text("Vervallen")).to_be_visible()

    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.get_by_role("heading", name="Invoices", level=1)).to_be_visible()
    expect(page.get_by_text("Open balance")).to_be_visible()
    expect(page.get_by_test_id("invoice-row").first.get_by_text("Overdue")).to_be_visible()
    assert_accessible(page)
