"""The Facturen pages: list, filters, sort, pagination, balance, downloads and CSV export."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.urls import reverse

from invoices.ledger import ledger_refresh
from invoices.models import Invoice
from tests.conftest import logged_in
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory, PaymentFactory

LIST = reverse("invoices:list")
NOW = "2026-06-15 12:00:00+02:00"


def numbers(response) -> list[str]:
    """The invoice numbers of the list's rows, in the order the page shows them (each a link
    to the invoice's page)."""
    return re.findall(
        r'<tr data-testid="invoice-row"><td class="text-nowrap" data-label="[^"]*">'
        r'<a href="[^"]+">([^<]+)</a></td>',
        response.content.decode(),
    )


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def mixed(organisation):
    """Invoices over two years of every kind and status."""
    paid = InvoiceFactory(
        organisation=organisation, number="F2025-00001", invoice_date=date(2025, 5, 1)
    )
    PaymentFactory(invoice=paid, amount=paid.amount_incl_vat, booking_date=date(2025, 5, 20))
    overdue = InvoiceFactory(
        organisation=organisation,
        number="F2026-00002",
        invoice_date=date(2026, 2, 1),
        amount_excl_vat=Decimal("500.00"),
    )
    open_ = InvoiceFactory(
        organisation=organisation,
        number="F2026-00003",
        invoice_date=date(2026, 6, 1),
        amount_excl_vat=Decimal("50.00"),
    )
    credit = CreditInvoiceFactory(
        organisation=organisation,
        number="C2026-00004",
        corrects=overdue,
        invoice_date=date(2026, 3, 1),
        amount_excl_vat=Decimal("20.00"),
    )
    return {"paid": paid, "overdue": overdue, "open": open_, "credit": credit}


def test_list_shows_the_organisations_invoices_only(viewer_client, mixed, other_organisation):
    InvoiceFactory(organisation=other_organisation, number="X2026-00001")
    response = viewer_client.get(LIST)
    assert response.status_code == HTTPStatus.OK
    assert numbers(response) == ["F2026-00003", "C2026-00004", "F2026-00002", "F2025-00001"]
    assert b"X2026-00001" not in response.content


def test_list_in_dutch_shows_the_guide_labels(viewer_client, mixed):
    content = viewer_client.get(LIST).content.decode()
    assert '<h1 class="h3 mb-3">Facturen</h1>' in content
    assert ">Openstaand saldo</h2>" in content
    # Each status in its own badge: "Open" exactly, not inside "Openstaand".
    for badge in [
        '<span class="badge text-bg-success">Betaald</span>',
        '<span class="badge text-bg-danger">Vervallen</span>',
        '<span class="badge text-bg-warning">Open</span>',
        '<span class="badge text-bg-secondary">Verrekend</span>',
    ]:
        assert content.count(badge) == 1, badge
    assert '<td data-label="Type"><div>Creditfactuur<div' in content
    # 605 - 24.20 (its credit, set off) + 60.50 open; the paid one counts nothing
    assert "€&nbsp;641,30" in content


def test_list_in_english(viewer_client, mixed):
    viewer_client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    content = viewer_client.get(LIST).content.decode()
    assert '<h1 class="h3 mb-3">Invoices</h1>' in content
    assert ">Open balance</h2>" in content
    for badge in [
        '<span class="badge text-bg-success">Paid</span>',
        '<span class="badge text-bg-danger">Overdue</span>',
        '<span class="badge text-bg-warning">Open</span>',
        '<span class="badge text-bg-secondary">Settled</span>',
    ]:
        assert content.count(badge) == 1, badge
    assert '<td data-label="Type"><div>Credit invoice<div' in content


def test_the_amount_column_and_the_unpaid_filter_say_what_they_mean(viewer_client, mixed):
    """Before: the column read "Bedrag" beside an export saying "Bedrag incl. btw", and no
    filter showed open and overdue invoices together."""
    content = viewer_client.get(LIST).content.decode()
    assert ">Bedrag incl. btw<" in content
    assert ">Bedrag<" not in content
    assert '<option value="unpaid">Niet betaald</option>' in content
    viewer_client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    content = viewer_client.get(LIST, {"status": "unpaid"}).content.decode()
    assert ">Amount incl. VAT<" in content
    assert '<option value="unpaid" selected>Unpaid</option>' in content


def test_credit_invoice_links_to_the_invoice_it_corrects(viewer_client, mixed):
    content = viewer_client.get(LIST).content.decode()
    corrected = reverse("invoices:detail", kwargs={"number": "F2026-00002"})
    assert f'corrigeert <a href="{corrected}">F2026-00002</a>' in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=00002", ["F2026-00002"]),
        ("q=f2026", ["F2026-00003", "F2026-00002"]),
        ("kind=credit", ["C2026-00004"]),
        ("kind=invoice&year=2026", ["F2026-00003", "F2026-00002"]),
        ("status=paid", ["F2025-00001"]),
        ("status=overdue", ["F2026-00002"]),
        ("status=open", ["F2026-00003"]),
        # Unpaid: open or overdue, the question a customer usually asks
        ("status=unpaid", ["F2026-00003", "F2026-00002"]),
        ("status=settled", ["C2026-00004"]),
        ("year=2025", ["F2025-00001"]),
        ("sort=date", ["F2025-00001", "F2026-00002", "C2026-00004", "F2026-00003"]),
        ("sort=amount", ["C2026-00004", "F2026-00003", "F2025-00001", "F2026-00002"]),
        ("sort=-amount", ["F2026-00002", "F2025-00001", "F2026-00003", "C2026-00004"]),
        # unknown values are ignored rather than failing
        (
            "status=bogus&sort=nonsense&year=abc",
            ["F2026-00003", "C2026-00004", "F2026-00002", "F2025-00001"],
        ),
    ],
)
def test_search_filters_and_sort(viewer_client, mixed, query, expected):
    response = viewer_client.get(f"{LIST}?{query}")
    assert response.status_code == HTTPStatus.OK
    assert numbers(response) == expected


def test_pagination_25_a_page_keeps_the_filters(viewer_client, organisation):
    for day in range(30):
        InvoiceFactory(organisation=organisation, invoice_date=date(2026, 1, 1) + timedelta(day))
    first = viewer_client.get(f"{LIST}?kind=invoice")
    assert len(numbers(first)) == 25
    assert "?kind=invoice&amp;page=2" in first.content.decode()
    second = viewer_client.get(f"{LIST}?kind=invoice&page=2")
    assert len(numbers(second)) == 5
    assert viewer_client.get(f"{LIST}?page=99").context["page"].number == 2


def test_empty_state_says_what_will_appear(viewer_client, organisation):
    content = viewer_client.get(LIST).content.decode()
    assert "Nog geen facturen" in content
    assert "€&nbsp;0,00" in content


def test_empty_result_of_a_filter_offers_to_show_all(viewer_client, mixed):
    content = viewer_client.get(f"{LIST}?q=nothing-like-this").content.decode()
    assert "Geen factuur voldoet" in content


@pytest.mark.parametrize("count", [5, 500])
def test_list_runs_a_fixed_number_of_queries(
    viewer_client, organisation, django_assert_num_queries, count
):
    originals = Invoice.objects.bulk_create(
        Invoice(
            organisation=organisation,
            number=f"Q{n:06d}",
            invoice_date=date(2026, 1, 1) + timedelta(days=n % 300),
            due_date=date(2026, 12, 31),
            amount_excl_vat=Decimal("100.00"),
            vat_amount=Decimal("21.00"),
            amount_incl_vat=Decimal("121.00"),
            billing_organisation_name="Rode Lente",
        )
        for n in range(count)
    )
    CreditInvoiceFactory(organisation=organisation, corrects=originals[0])
    PaymentFactory(invoice=originals[1], amount=Decimal("10.00"))
    ledger_refresh(invoice_ids=[invoice.pk for invoice in originals])
    viewer_client.get(LIST)  # the first request stores the active organisation in the session
    # session, user with memberships (and the organisation's stored invoice count), the
    # summary (balance, years, payments come due?), the page's rows: the same for 5 and for
    # 500, on the first page and the last, in either order. A filtered list also counts its
    # rows; a page in between takes its keys first (one more query each).
    last = (count + 1) // 25 + 1
    for query, queries in (
        ("", 4),
        ("sort=amount", 4),
        (f"page={last}", 4),
        ("status=open", 5),
        ("q=Q0000", 5),
        ("status=unpaid", 5),
        ("year=2026", 5),
    ):
        with django_assert_num_queries(queries):
            response = viewer_client.get(f"{LIST}?{query}")
        assert response.status_code == HTTPStatus.OK
    if last > 2:
        for query, queries in (
            ("page=2", 5),
            (f"page={last - 1}", 5),
            ("sort=amount&page=3", 5),
            ("status=unpaid&page=2", 6),
        ):
            with django_assert_num_queries(queries):
                response = viewer_client.get(f"{LIST}?{query}")
            assert response.status_code == HTTPStatus.OK
            assert response.content.decode().count('data-testid="invoice-row"') == 25
    unfiltered = viewer_client.get(f"{LIST}?page={last}")
    assert unfiltered.context["page"].paginator.count == count + 1
    assert f'data-testid="result-count">\n        {count + 1} facturen\n' in (
        unfiltered.content.decode()
    )
    assert len(numbers(unfiltered)) == (count + 1) % 25


def test_download_sends_the_pdf_named_after_the_number(viewer_client, organisation):
    invoice = InvoiceFactory(organisation=organisation, with_pdf=True, number="F2026-04711")
    response = viewer_client.get(reverse("invoices:download", kwargs={"number": "F2026-04711"}))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"F2026-04711.pdf\"; filename*=UTF-8''F2026-04711.pdf"
    )
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    with invoice.file.open("rb") as handle:
        assert body == handle.read()


def test_download_is_the_same_in_english(viewer_client, organisation):
    invoice = InvoiceFactory(organisation=organisation, with_pdf=True)
    url = reverse("invoices:download", kwargs={"number": invoice.number})
    dutch = b"".join(viewer_client.get(url).streaming_content)
    viewer_client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    assert b"".join(viewer_client.get(url).streaming_content) == dutch


def test_another_organisations_invoice_is_404(
    viewer_client, other_organisation, second_organisation
):
    foreign = InvoiceFactory(organisation=other_organisation, with_pdf=True)
    sibling = InvoiceFactory(organisation=second_organisation, with_pdf=True)
    for invoice in (foreign, sibling):
        url = reverse("invoices:download", kwargs={"number": invoice.number})
        assert viewer_client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_admin_switching_organisation_downloads_the_other_ones(admin, second_organisation):
    invoice = InvoiceFactory(organisation=second_organisation, with_pdf=True)
    client = logged_in(admin)
    url = reverse("invoices:download", kwargs={"number": invoice.number})
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND  # Rode Lente is active
    client.post(reverse("portal:switch_organisation"), {"organisation": second_organisation.pk})
    assert client.get(url).status_code == HTTPStatus.OK


def test_missing_file_is_404(viewer_client, organisation):
    without = InvoiceFactory(organisation=organisation)
    lost = InvoiceFactory(organisation=organisation, with_pdf=True)
    lost.file.storage.delete(lost.file.name)
    for invoice in (without, lost):
        url = reverse("invoices:download", kwargs={"number": invoice.number})
        assert viewer_client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_zip_holds_the_filtered_invoices(viewer_client, organisation):
    InvoiceFactory(
        organisation=organisation, with_pdf=True, number="A2025-1", invoice_date=date(2025, 3, 1)
    )
    InvoiceFactory(organisation=organisation, with_pdf=True, number="A2026-1")
    InvoiceFactory(organisation=organisation, with_pdf=True, number="A2026-2")
    response = viewer_client.get(reverse("invoices:download_zip") + "?year=2026")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == ["A2026-1.pdf", "A2026-2.pdf"]
    assert archive.read("A2026-1.pdf").startswith(b"%PDF-")


def test_zip_over_the_limit_is_refused_with_a_message(viewer_client, organisation, settings):
    settings.INVOICE_ZIP_MAX_FILES = 2
    for _ in range(3):
        InvoiceFactory(organisation=organisation, with_pdf=True)
    listing = viewer_client.get(LIST).content.decode()
    assert 'data-testid="zip-limit"' in listing
    assert reverse("invoices:download_zip") not in listing
    response = viewer_client.get(reverse("invoices:download_zip"), follow=True)
    assert (
        "Een zip bevat hoogstens 2 facturen; verfijn het filter (bijvoorbeeld op jaar)."
        in response.content.decode()
    )


def test_csv_export_has_the_list_columns_for_the_filter(viewer_client, mixed):
    response = viewer_client.get(reverse("invoices:export_csv") + "?kind=credit")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:7] == [
        "Nummer",
        "Type",
        "Factuurdatum",
        "Vervaldatum",
        "Bedrag incl. btw",
        "Openstaand bedrag",
        "Status",
    ]
    assert rows[1] == [
        "C2026-00004",
        "Creditfactuur",
        "2026-03-01",
        "2026-03-31",
        "-24,20",
        "0,00",
        "Verrekend",
        "F2026-00002",
    ]
    assert len(rows) == 2


def processed_until(response) -> str:
    content = response.content.decode()
    start = content.index('data-testid="processed-until">')
    return " ".join(content[start : content.index("</p>", start)].split()[1:])


def test_without_imported_payments_the_page_says_none_are_processed(viewer_client, mixed):
    # mixed holds one payment, booked 2025-05-20; without it nothing has been processed.
    Invoice.objects.get(number="F2025-00001").payments.update(visible_from="2026-06-16T08:30Z")
    text = processed_until(viewer_client.get(LIST))
    assert "Nog geen betalingen verwerkt." in text
    assert "verwerkt tot" not in text


def test_processed_up_to_the_latest_imported_payment_that_counts(
    viewer_client, mixed, other_organisation
):
    # Statements are global: an unmatched or another organisation's payment counts too.
    PaymentFactory(invoice=None, booking_date=date(2026, 5, 29))  # counts from 1 June 10:30
    PaymentFactory(
        invoice=InvoiceFactory(organisation=other_organisation), booking_date=date(2026, 5, 27)
    )
    PaymentFactory(invoice=mixed["open"], booking_date=date(2026, 6, 15))  # not before 16 June
    text = processed_until(viewer_client.get(LIST))
    assert "Betalingen verwerkt tot en met 1 juni 2026 om 10:30." in text
    viewer_client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    text = processed_until(viewer_client.get(LIST))
    assert "Payments processed up to 1 June 2026 at 10:30." in text
    assert ".." not in text
