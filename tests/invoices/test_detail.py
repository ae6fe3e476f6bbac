"""An invoice's page (issue 17, section 2): every field, the address printed on it, related
invoices both ways, the lines from its amount to its open amount, the PDF, and for an open
invoice how to pay it with an EPC QR code whose payload a decoder reads back."""

from __future__ import annotations

import html as html_module
import io
import re
import urllib.parse
from datetime import date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
import time_machine
import zxingcpp
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from invoices.detail import invoice_detail
from invoices.ledger import ledger_publish_due
from invoices.models import Invoice
from invoices.payment_instructions import epc_qr, payment_instructions
from invoices.selectors import (
    invoice_corrections,
    invoice_get_with_corrected,
    invoice_payments_visible,
)
from invoices.visibility import AMSTERDAM
from tests.conftest import logged_in
from tests.html_rows import table_rows
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory, PaymentFactory

NOW = "2026-06-15 12:00:00+02:00"


def detail_url(number: str) -> str:
    return reverse("invoices:detail", kwargs={"number": number})


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def family(organisation):
    """An overdue invoice paid in part, a payment returned, a credit set off and a
    correction invoice; a payment booked today does not count yet."""
    invoice = InvoiceFactory(
        organisation=organisation,
        number="F2026-00010",
        invoice_date=date(2026, 3, 2),
        due_date=date(2026, 4, 1),
        amount_excl_vat=Decimal("1000.00"),
        billing_attention="Afdeling Crediteurenadministratie",
        billing_organisation_name="Rode Lente B.V.",
        billing_street="Lange Gracht 16B",
        billing_postcode="1234 AB",
        billing_city="Amsterdam",
        billing_country="NL",
        billing_email="facturen@rodelente.example",
        billing_phone="+31201234567",
        with_pdf=True,
    )
    credit = CreditInvoiceFactory(
        organisation=organisation,
        number="C2026-00011",
        corrects=invoice,
        invoice_date=date(2026, 3, 9),
        amount_excl_vat=Decimal("100.00"),
    )
    correction = InvoiceFactory(
        organisation=organisation,
        number="K2026-00012",
        kind=Invoice.Kind.CORRECTION,
        corrects=invoice,
        invoice_date=date(2026, 3, 16),
        amount_excl_vat=Decimal("85.00"),
    )
    for reference, amount, booked in (
        ("BANK-A", "500.00", date(2026, 3, 20)),
        ("BANK-B", "-500.00", date(2026, 3, 25)),  # the direct debit came back
        ("BANK-C", "200.00", date(2026, 4, 10)),
        ("BANK-D", "100.00", date(2026, 6, 15)),  # counts from 16 June, 10:30
    ):
        PaymentFactory(
            invoice=invoice, bank_reference=reference, amount=Decimal(amount), booking_date=booked
        )
    # 1,210.00 - 121.00 (the credit) - 500 + 500 - 200 = 889.00
    return {"invoice": invoice, "credit": credit, "correction": correction}


def collapsed(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


class _Facts(HTMLParser):
    """The ``<dt>``/``<dd>`` pairs inside the element with the given test id, as text."""

    def __init__(self, testid: str) -> None:
        super().__init__(convert_charrefs=True)
        self.testid, self.depth, self.pairs, self.current = testid, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "hr"):
            return  # no end tag follows
        if self.depth:
            self.depth += 1
        elif ("data-testid", self.testid) in attrs:
            self.depth = 1
        if self.depth and tag in ("dt", "dd"):
            self.current = []

    def handle_endtag(self, tag):
        if self.depth and tag in ("dt", "dd") and self.current is not None:
            self.pairs.append(" ".join("".join(self.current).split()))
            self.current = None
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def facts(html: str, testid: str) -> dict[str, str]:
    parser = _Facts(testid)
    parser.feed(html)
    return dict(zip(parser.pairs[::2], parser.pairs[1::2], strict=True))


def text_of(html: str, testid: str) -> str:
    """The text a reader sees in the first element with ``data-testid=testid``."""
    start = html.index(f'data-testid="{testid}"')
    start = html.index(">", start) + 1
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)
    end = html.index(f"</{name}>", start)
    text = re.sub(r"<[^>]+>", " ", html[start:end])
    return " ".join(text.replace("&nbsp;", " ").replace("&amp;", "&").split())


# --- what the page shows ----------------------------------------------------------------------


def test_the_page_in_dutch_shows_every_field(viewer_client, family):
    response = viewer_client.get(detail_url("F2026-00010"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<h1 class="h3 mb-0 me-1 text-break">Factuur F2026-00010</h1>' in html
    assert "<title>Factuur F2026-00010 · Mijn organisatie</title>" in html
    assert facts(html, "invoice-facts") == {
        "Type": "Factuur",
        "Factuurdatum": "2-3-2026",
        "Vervaldatum": "1-4-2026",
        "Bedrag excl. btw": "€ 1.000,00",
        "btw": "€ 210,00",
        "Bedrag incl. btw": "€ 1.210,00",
        "Openstaand bedrag": "€ 889,00",
        "Status": "Vervallen",
    }
    # The status in the list's badge, beside the title too.
    assert '<span class="badge text-bg-danger" data-testid="invoice-status">Vervallen</span>' in (
        html
    )


def test_the_lines_add_up_to_the_open_amount(viewer_client, family):
    html = viewer_client.get(detail_url("F2026-00010")).content.decode()
    assert table_rows(html, "ledger-line") == [
        ["2-3-2026", "Bedrag incl. btw", "€ 1.210,00"],
        ["9-3-2026", "Verrekend met creditfactuur C2026-00011", "€ -121,00"],
        ["20-3-2026", "Betaling ontvangen BANK-A", "€ -500,00"],
        ["25-3-2026", "Betaling teruggeboekt BANK-B", "€ +500,00"],
        ["10-4-2026", "Betaling ontvangen BANK-C", "€ -200,00"],
    ]
    assert "BANK-D" not in html  # booked today: not before 16 June, 10:30 (R10)
    assert (
        '<tfoot><tr><th scope="row" colspan="2">Openstaand bedrag</th>'
        '<td class="text-end text-nowrap fw-semibold">€&nbsp;889,00</td></tr></tfoot>'
    ) in collapsed(html)
    # The set-off names the credit invoice and links to its page.
    assert f'<a href="{detail_url("C2026-00011")}">C2026-00011</a>' in html


def test_the_billing_address_is_the_copy_on_the_invoice(viewer_client, family, organisation):
    from tests.invoices.factories import BillingAddressFactory

    # The organisation's address changed since: the invoice keeps what was printed on it.
    BillingAddressFactory(organisation=organisation, street="Nieuwe Weg 1", city="Utrecht")
    html = viewer_client.get(detail_url("F2026-00010")).content.decode()
    assert text_of(html, "invoice-address") == (
        "Afdeling Crediteurenadministratie Rode Lente B.V. Lange Gracht 16B 1234 AB Amsterdam "
        "Nederland facturen@rodelente.example 020 123 4567"
    )
    assert "Nieuwe Weg 1" not in html


def test_related_invoices_both_ways(viewer_client, family):
    html = viewer_client.get(detail_url("F2026-00010")).content.decode()
    related = re.findall(r'data-testid="related-invoice">(.*?)</li>', html, re.S)
    assert [
        " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in related
    ] == [
        "C2026-00011 Creditfactuur Verrekend € -121,00 Corrigeert deze factuur · 9-3-2026",
        "K2026-00012 Correctiefactuur Vervallen € 102,85 Corrigeert deze factuur · 16-3-2026",
    ]
    assert f'href="{detail_url("K2026-00012")}"' in html

    credit = viewer_client.get(detail_url("C2026-00011")).content.decode()
    assert facts(credit, "invoice-facts")["Corrigeert"] == "F2026-00010"
    assert facts(credit, "invoice-facts")["Bedrag incl. btw"] == "€ -121,00"
    assert facts(credit, "invoice-facts")["Status"] == "Verrekend"
    assert "Gecorrigeerd door deze factuur · 2-3-2026" in " ".join(
        re.sub(r"<[^>]+>", " ", credit).split()
    )
    # The credit's side of the set-off: its -121.00 is settled, nothing open.
    assert table_rows(credit, "ledger-line") == [
        ["9-3-2026", "Bedrag incl. btw", "€ -121,00"],
        ["9-3-2026", "Verrekend met factuur F2026-00010", "€ +121,00"],
    ]
    assert facts(credit, "invoice-facts")["Openstaand bedrag"] == "€ 0,00"


def test_an_invoice_without_payments_or_relations_says_so(viewer_client, organisation):
    InvoiceFactory(organisation=organisation, number="F2026-00001", due_date=date(2026, 7, 1))
    html = viewer_client.get(detail_url("F2026-00001")).content.decode()
    assert table_rows(html, "ledger-line") == [["2-3-2026", "Bedrag incl. btw", "€ 121,00"]]
    assert text_of(html, "no-payments") == "Nog geen betalingen of verrekeningen."
    assert text_of(html, "related-invoices") == (
        "Er verwijst geen credit- of correctiefactuur naar deze factuur."
    )
    assert '<span class="badge text-bg-warning" data-testid="invoice-status">Open</span>' in html
    # No PDF yet: said instead of a button.
    assert text_of(html, "invoice-pdf") == "nog geen bestand"


def test_the_pdf_button_downloads_the_invoice(viewer_client, family):
    html = viewer_client.get(detail_url("F2026-00010")).content.decode()
    pdf = reverse("invoices:download", kwargs={"number": "F2026-00010"})
    assert (
        f'<a class="btn btn-outline-primary" href="{pdf}" download data-testid="invoice-pdf">'
        'Pdf downloaden<span class="visually-hidden"> van factuur F2026-00010</span></a>'
    ) in html
    assert viewer_client.get(pdf).status_code == HTTPStatus.OK


def test_the_page_in_english(viewer_client, family):
    viewer_client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    html = viewer_client.get(detail_url("F2026-00010")).content.decode()
    assert '<h1 class="h3 mb-0 me-1 text-break">Invoice F2026-00010</h1>' in html
    assert facts(html, "invoice-facts") == {
        "Type": "Invoice",
        "Invoice date": "02/03/2026",
        "Due date": "01/04/2026",
        "Amount excl. VAT": "€ 1,000.00",
        "VAT": "€ 210.00",
        "Amount incl. VAT": "€ 1,210.00",
        "Open amount": "€ 889.00",
        "Status": "Overdue",
    }
    assert [row[1] for row in table_rows(html, "ledger-line")] == [
        "Amount incl. VAT",
        "Set off with credit invoice C2026-00011",
        "Payment received BANK-A",
        "Payment returned BANK-B",
        "Payment received BANK-C",
    ]
    assert "Netherlands" in text_of(html, "invoice-address")
    assert facts(html, "payment-instructions") == {
        "Account holder": "HR & Payroll Software B.V.",
        "IBAN": "NL44 RABO 0123 4567 89",
        "BIC": "RABONL2U",
        "Payment reference": "F2026-00010",
        "Amount": "€ 889.00",
    }


def test_a_refund_of_a_credit_invoice_is_a_line_of_its_own(viewer_client, organisation):
    paid = InvoiceFactory(organisation=organisation, number="F2026-00020")
    PaymentFactory(invoice=paid, amount=Decimal("121.00"), booking_date=date(2026, 3, 10))
    CreditInvoiceFactory(
        organisation=organisation,
        number="C2026-00021",
        corrects=paid,
        invoice_date=date(2026, 4, 1),
    )
    credit = Invoice.objects.get(number="C2026-00021")
    PaymentFactory(
        invoice=credit,
        bank_reference="REFUND-1",
        amount=Decimal("-121.00"),
        booking_date=date(2026, 4, 8),
    )
    html = viewer_client.get(detail_url("C2026-00021")).content.decode()
    # Paid before the credit: nothing to set off; the credit is refunded instead.
    assert table_rows(html, "ledger-line") == [
        ["1-4-2026", "Bedrag incl. btw", "€ -121,00"],
        ["8-4-2026", "Terugbetaald REFUND-1", "€ +121,00"],
    ]
    assert facts(html, "invoice-facts")["Status"] == "Verrekend"


# --- payment instructions ---------------------------------------------------------------------


def test_an_open_invoice_has_payment_instructions(viewer_client, family):
    html = viewer_client.get(detail_url("F2026-00010")).content.decode()
    assert facts(html, "payment-instructions") == {
        "Rekeninghouder": "HR & Payroll Software B.V.",
        "IBAN": "NL44 RABO 0123 4567 89",
        "BIC": "RABONL2U",
        "Omschrijving": "F2026-00010",
        "Bedrag": "€ 889,00",
    }
    # The QR code is the EPC code of the open amount, as an image the page's CSP allows.
    expected = epc_qr(number="F2026-00010", amount=Decimal("889.00")).svg_data_uri(
        scale=4, border=4, dark="#000", light="#fff"
    )
    [src] = re.findall(r'<img class="epc-qr" src="([^"]+)"', html)
    assert src.replace("&#x27;", "'").replace("&amp;", "&") == expected
    assert src.startswith("data:image/svg+xml")
    assert 'alt="QR-code voor een overboeking van € 889,00 voor factuur F2026-00010"' in html


def decoded(qr) -> list[str]:
    """The text a barcode reader finds in the QR code ``qr`` (segno), written as a PNG."""
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=6, border=4)
    buffer.seek(0)
    [barcode] = zxingcpp.read_barcodes(Image.open(buffer))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    return barcode.text.split("\n")


def test_the_qr_code_decodes_to_the_epc_payload(family):
    payload = decoded(epc_qr(number="F2026-00010", amount=Decimal("889.00")))
    service, version, charset, identification, bic, name, iban, amount = payload[:8]
    assert service == "BCD"  # the EPC's service tag
    assert version == "002"  # EPC069-12 version 2: the BIC may be left out in the EEA
    assert charset == "2"  # ISO 8859-1, the smallest that holds the name
    assert identification == "SCT"  # SEPA credit transfer
    assert (bic, name, iban) == ("RABONL2U", "HR & Payroll Software B.V.", "NL44RABO0123456789")
    assert amount == "EUR889"  # trailing zeros of the cents are left out
    # Purpose and structured reference empty; the invoice number is the remittance text,
    # where the bank statement import looks for it.
    assert payload[8:] == ["", "", "F2026-00010"]


def test_the_page_shows_the_qr_code_of_the_payload_read_back(viewer_client, family):
    """The image on the page is the SVG of the same code whose PNG decodes to the payload."""
    html = viewer_client.get(detail_url("F2026-00010")).content.decode()
    [src] = re.findall(r'<img class="epc-qr" src="([^"]+)"', html)
    svg = urllib.parse.unquote(src.split(",", 1)[1].replace("&#x27;", "'").replace("&amp;", "&"))
    qr = epc_qr(number="F2026-00010", amount=Decimal("889.00"))
    assert svg == urllib.parse.unquote(
        qr.svg_data_uri(scale=4, border=4, dark="#000", light="#fff").split(",", 1)[1]
    )
    assert "F2026-00010" in decoded(qr)


def test_a_changed_vendor_account_never_shows_an_old_code(viewer_client, family, settings):
    """Each process keeps the images it drew; the vendor's account is part of their key."""

    def image():
        html = viewer_client.get(detail_url("F2026-00010")).content.decode()
        return re.findall(r'<img class="epc-qr" src="([^"]+)"', html)[0]

    before = image()
    settings.VENDOR_IBAN = "NL91ABNA0417164300"
    after = image()
    assert after != before
    qr = epc_qr(number="F2026-00010", amount=Decimal("889.00"))
    assert after == qr.svg_data_uri(scale=4, border=4, dark="#000", light="#fff")
    assert decoded(qr)[6] == "NL91ABNA0417164300"


@pytest.mark.parametrize(
    ("cents", "text"),
    [(1, "EUR0.01"), (1210, "EUR12.1"), (12345, "EUR123.45"), (99999999999, "EUR999999999.99")],
)
def test_the_amount_in_the_qr_code(cents, text):
    amount = Decimal(cents) / 100
    assert decoded(epc_qr(number="F1", amount=amount))[7] == text


def test_no_payment_instructions_for_a_paid_or_credit_invoice(viewer_client, family, organisation):
    paid = InvoiceFactory(organisation=organisation, number="F2026-00030")
    PaymentFactory(invoice=paid, amount=paid.amount_incl_vat, booking_date=date(2026, 3, 10))
    for number in ("F2026-00030", "C2026-00011"):
        html = viewer_client.get(detail_url(number)).content.decode()
        assert 'data-testid="payment-instructions"' not in html
        assert "epc-qr" not in html
    # A credit still owed to the customer (open, negative) gets none either.
    owed = CreditInvoiceFactory(organisation=organisation, corrects=paid)
    owed.refresh_from_db()
    assert (owed.ledger_state, owed.ledger_open) == ("open", Decimal("-121.00"))
    html = viewer_client.get(detail_url(owed.number)).content.decode()
    assert 'data-testid="payment-instructions"' not in html


def test_an_amount_beyond_an_epc_code_gets_instructions_without_a_qr_code(
    viewer_client, organisation
):
    InvoiceFactory(
        organisation=organisation,
        number="F2026-99999",
        amount_excl_vat=Decimal("900000000.00"),
        vat_amount=Decimal("189000000.00"),
    )
    html = viewer_client.get(detail_url("F2026-99999")).content.decode()
    assert facts(html, "payment-instructions")["Bedrag"] == "€ 1.089.000.000,00"
    assert "epc-qr" not in html


def test_payment_instructions_only_for_what_is_still_owed(organisation):
    invoice = InvoiceFactory(organisation=organisation)
    money = str
    assert payment_instructions(invoice, money=money).amount == "121.00"
    PaymentFactory(invoice=invoice, amount=Decimal("121.00"), booking_date=date(2026, 3, 10))
    invoice.refresh_from_db()
    assert payment_instructions(invoice, money=money) is None


# --- who sees it ------------------------------------------------------------------------------


def without_token(response) -> str:
    """The page without the values of its forms (a new CSRF token, the path as `next`)."""
    return re.sub(r'value="[^"]+"', "", response.content.decode())


def test_another_organisations_invoice_is_404(
    viewer_client, family, other_organisation, second_organisation
):
    foreign = InvoiceFactory(organisation=other_organisation, number="X2026-00001")
    sibling = InvoiceFactory(organisation=second_organisation, number="S2026-00001")
    not_found = viewer_client.get(detail_url("NOPE-1"))
    assert not_found.status_code == HTTPStatus.NOT_FOUND
    for invoice in (foreign, sibling):
        response = viewer_client.get(detail_url(invoice.number))
        assert response.status_code == HTTPStatus.NOT_FOUND
        # The same answer as for a number that does not exist: nothing revealed.
        assert without_token(response) == without_token(not_found)


def test_the_number_is_found_as_typed(viewer_client, family):
    assert viewer_client.get(detail_url("f2026-00010")).status_code == HTTPStatus.OK


def test_an_admin_switching_organisation_sees_the_other_ones(admin, second_organisation):
    InvoiceFactory(organisation=second_organisation, number="S2026-00001")
    client = logged_in(admin)
    assert client.get(detail_url("S2026-00001")).status_code == HTTPStatus.NOT_FOUND
    client.post(reverse("portal:switch_organisation"), {"organisation": second_organisation.pk})
    assert client.get(detail_url("S2026-00001")).status_code == HTTPStatus.OK


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_viewers_and_admins_see_the_same_page(viewer_client, admin, family):
    viewer_page = viewer_client.get(detail_url("F2026-00010")).content.decode()
    admin_page = logged_in(admin).get(detail_url("F2026-00010")).content.decode()
    assert _main(viewer_page) == _main(admin_page)
    assert 'data-testid="payment-instructions"' in _main(admin_page)


def test_only_get(viewer_client, family):
    response = viewer_client.post(detail_url("F2026-00010"))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- the list links to the page ----------------------------------------------------------------


def test_every_number_in_facturen_links_to_its_page(viewer_client, family):
    html = viewer_client.get(reverse("invoices:list")).content.decode()
    for number in ("F2026-00010", "C2026-00011", "K2026-00012"):
        assert (
            f'<td class="text-nowrap" data-label="Nummer"><a href="{detail_url(number)}">'
            f"{number}</a></td>"
        ) in html
    # "corrigeert F2026-00010" links to the corrected invoice's page, twice (credit, correction).
    assert html.count(f'corrigeert <a href="{detail_url("F2026-00010")}">F2026-00010</a>') == 2


# --- visibility and speed ---------------------------------------------------------------------


def test_a_payment_appears_at_10_30_on_the_next_working_day(viewer_client, family):
    """Booked Monday 15 June: counts from Tuesday 10:30, on the page and in the open amount."""
    with time_machine.travel(datetime(2026, 6, 16, 10, 29, tzinfo=AMSTERDAM), tick=False):
        html = viewer_client.get(detail_url("F2026-00010")).content.decode()
        assert "BANK-D" not in html
        assert facts(html, "invoice-facts")["Openstaand bedrag"] == "€ 889,00"
    with time_machine.travel(datetime(2026, 6, 16, 10, 30, tzinfo=AMSTERDAM), tick=False):
        html = viewer_client.get(detail_url("F2026-00010")).content.decode()
        assert table_rows(html, "ledger-line")[-1] == [
            "15-6-2026",
            "Betaling ontvangen BANK-D",
            "€ -100,00",
        ]
        assert facts(html, "invoice-facts")["Openstaand bedrag"] == "€ 789,00"
        assert facts(html, "payment-instructions")["Bedrag"] == "€ 789,00"


def test_payments_in_another_currency_are_not_shown(viewer_client, family):
    from invoices.models import Payment

    Payment.objects.create(
        bank_reference="USD-1",
        booking_date=date(2026, 3, 1),
        amount=Decimal("50.00"),
        currency="USD",
        invoice=family["invoice"],
        visible_from=datetime(2026, 3, 2, 10, 30, tzinfo=AMSTERDAM),
    )
    html = viewer_client.get(detail_url("F2026-00010")).content.decode()
    assert "USD-1" not in html
    assert facts(html, "invoice-facts")["Openstaand bedrag"] == "€ 889,00"


@pytest.mark.parametrize("size", [1, 40])
def test_the_page_runs_a_fixed_number_of_queries(
    viewer_client, organisation, django_assert_num_queries, size
):
    invoice = InvoiceFactory(organisation=organisation, number="F2026-00050", with_pdf=True)
    for _ in range(size):
        CreditInvoiceFactory(
            organisation=organisation,
            corrects=invoice,
            amount_excl_vat=Decimal("1.00"),
            vat_amount=Decimal("0.00"),
        )
        PaymentFactory(invoice=invoice, amount=Decimal("1.00"), booking_date=date(2026, 3, 10))
    viewer_client.get(detail_url("F2026-00050"))  # the session now holds the organisation
    # session, user with memberships, payments come due?, the invoice with the one it
    # corrects, the invoices correcting it, its visible payments.
    with django_assert_num_queries(6):
        response = viewer_client.get(detail_url("F2026-00050"))
    assert response.status_code == HTTPStatus.OK
    assert len(table_rows(response.content.decode(), "ledger-line")) == 1 + 2 * size


# --- the lines always add up ------------------------------------------------------------------


class Rollback(Exception):
    """Ends one hypothesis example without leaving its rows behind."""


AMOUNT = st.decimals(min_value=Decimal("0.01"), max_value=2000, places=2, allow_nan=False)
SIGNED = st.decimals(min_value=-800, max_value=2500, places=2, allow_nan=False)
EVENT = st.one_of(
    st.tuples(st.just("credit"), AMOUNT, st.integers(min_value=0, max_value=60)),
    st.tuples(st.just("correction"), AMOUNT, st.integers(min_value=0, max_value=60)),
    # Booked some days before today: visible or not yet (R10); a negative one is returned.
    st.tuples(st.just("pay"), SIGNED, st.integers(min_value=0, max_value=60)),
    st.tuples(st.just("refund"), AMOUNT, st.integers(min_value=0, max_value=60)),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(amount=AMOUNT, events=st.lists(EVENT, max_size=8))
def test_the_lines_of_any_history_add_up_to_the_stored_open_amount(organisation, amount, events):
    today = date(2026, 6, 15)
    try:
        with transaction.atomic():
            invoice = InvoiceFactory(
                organisation=organisation,
                invoice_date=date(2026, 3, 2),
                amount_excl_vat=amount,
                vat_amount=Decimal("0.00"),
            )
            credits = []
            for kind, value, days in events:
                day = today - timedelta(days=days)
                if kind in ("credit", "correction"):
                    factory = CreditInvoiceFactory if kind == "credit" else InvoiceFactory
                    made = factory(
                        organisation=organisation,
                        kind=kind,
                        corrects=invoice,
                        invoice_date=min(day, today),
                        amount_excl_vat=value,
                        vat_amount=Decimal("0.00"),
                    )
                    credits.append(made)
                elif kind == "pay":
                    PaymentFactory(invoice=invoice, amount=value, booking_date=day)
                elif credits:
                    PaymentFactory(invoice=credits[-1], amount=-value, booking_date=day)
            ledger_publish_due(organisation=organisation)
            now = datetime.now(tz=AMSTERDAM)
            for number in Invoice.objects.filter(organisation=organisation).values_list(
                "number", flat=True
            ):
                each = invoice_get_with_corrected(organisation=organisation, number=number)
                with translation.override("nl"):
                    page = invoice_detail(
                        each,
                        corrections=invoice_corrections(invoice=each),
                        payments=invoice_payments_visible(invoice=each, now=now),
                        today=today,
                        download=str,
                    )
                total = each.ledger_signed + sum((line.value for line in page.lines), Decimal(0))
                assert total == each.ledger_open, (each.number, page.lines)
            raise Rollback
    except Rollback:
        pass
