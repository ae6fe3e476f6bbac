"""The demo Viewer opens an invoice from Facturen, reads how it was paid so far, scans its EPC
QR code (decoded here from the browser's own rendering), downloads the PDF, and reads the page
in English; at 390 px wide nothing scrolls sideways, and axe finds nothing on it."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
import zxingcpp
from django.conf import settings
from PIL import Image
from playwright.sync_api import expect

from invoices.models import Invoice
from tests.e2e.conftest import context_options, log_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}


@pytest.fixture
def sharp_page(browser, live_server, demo):
    """A page drawn at twice the pixels, as on a phone, so the QR code's modules are sharp."""
    context = browser.new_context(**context_options(live_server, device_scale_factor=2))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_axe_clean(axe, page) -> None:
    """No axe-core violation of any impact on the page."""
    violations = axe.run(page).response["violations"]
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
    )


def assert_no_sideways_scroll(page) -> None:
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px"


def _partly_paid() -> Invoice:
    """The demo's invoice paid in part last week, the rest overdue (invoices/demo.py)."""
    return Invoice.objects.get(
        organisation__debtor_number="100001",
        kind=Invoice.Kind.INVOICE,
        ledger_state="open",
        ledger_paid__gt=0,
    )


def test_viewer_opens_an_invoice_and_scans_its_qr_code(sharp_page, axe):
    page = sharp_page
    invoice = _partly_paid()
    log_in(page, "anne.vanamersfoort@example.com")
    page.get_by_role("link", name="Facturen").first.click()
    page.get_by_label("Factuurnummer").fill(invoice.number)
    page.get_by_role("button", name="Toepassen").click()
    page.get_by_test_id("invoice-row").get_by_role("link", name=invoice.number, exact=True).click()

    expect(page).to_have_url(re.compile(rf"/invoices/{invoice.number}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Factuur {invoice.number}")
    expect(page.get_by_test_id("invoice-status")).to_have_text("Vervallen")
    lines = page.get_by_test_id("ledger-line")
    expect(lines).to_have_count(2)  # the amount, then the payment of last week
    expect(lines.nth(1)).to_contain_text("Betaling ontvangen")
    open_amount = (
        f"{invoice.ledger_open:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    )
    expect(page.get_by_test_id("invoice-open")).to_have_text(f"€\xa0{open_amount}")
    expect(page.get_by_test_id("payment-reference")).to_have_text(invoice.number)
    assert_axe_clean(axe, page)

    # What a banking app reads from the code as the browser draws it.
    qr = page.get_by_test_id("payment-qr")
    expect(qr).to_be_visible()
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    payload = barcode.text.split("\n")
    assert payload[:4] == ["BCD", payload[1], payload[2], "SCT"]
    assert payload[4:7] == [settings.VENDOR_BIC, settings.VENDOR_NAME, settings.VENDOR_IBAN]
    assert Decimal(payload[7].removeprefix("EUR")) == invoice.ledger_open
    assert invoice.number in payload[8:]

    with page.expect_download() as info:
        page.get_by_test_id("invoice-pdf").click()
    assert info.value.suggested_filename == f"{invoice.number}.pdf"

    assert_no_sideways_scroll(page)
    assert_axe_clean(axe, page)

    page.set_viewport_size(DESKTOP)  # the language switch is in the header, not under ☰
    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invoice {invoice.number}")
    expect(page.get_by_test_id("invoice-status")).to_have_text("Overdue")
    expect(page.get_by_role("heading", name="How to pay")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_axe_clean(axe, page)


def test_a_credit_invoice_links_both_ways_and_has_nothing_to_pay(page, axe):
    credit = Invoice.objects.filter(
        organisation__debtor_number="100001", kind=Invoice.Kind.CREDIT
    ).first()
    log_in(page, "anne.vanamersfoort@example.com")
    page.goto(f"/invoices/{credit.number}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Creditfactuur {credit.number}")
    expect(page.get_by_test_id("payment-instructions")).to_have_count(0)
    page.get_by_test_id("related-invoice").get_by_role(
        "link", name=credit.corrects.number, exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Factuur {credit.corrects.number}")
    expect(page.get_by_test_id("related-invoice").get_by_role("link")).to_have_text(credit.number)
    assert_no_sideways_scroll(page)
    assert_axe_clean(axe, page)
