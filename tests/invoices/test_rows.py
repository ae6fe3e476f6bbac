"""The rows and sort headers of *Facturen* (invoices/rows.py): the values each row shows, in
the active language, and how the page writes them (escaped, in templates/invoices/
invoice_list.html). The whole page's markup is held by tests/test_golden_html.py."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import partial

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.sorting import SortHeader
from core.sorting import sort_header as core_sort_header
from invoices.models import Invoice
from invoices.rows import InvoiceRow, invoice_rows
from invoices.selectors import InvoiceFilters, invoice_list
from tests.html_rows import table_rows
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory

NOW = dt.datetime(2026, 4, 20, 12, tzinfo=dt.UTC)
LIST = reverse("invoices:list")


def rows(organisation, language: str) -> list[InvoiceRow]:
    with translation.override(language):
        invoices = invoice_list(organisation=organisation, filters=InvoiceFilters(), now=NOW)
        return invoice_rows(invoices, today=NOW.date())


def collapsed(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


@pytest.fixture
def corrected(organisation):
    original = InvoiceFactory(
        organisation=organisation,
        number="F2026-00001",
        invoice_date=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 4, 1),
        amount_excl_vat=Decimal("1000.00"),
        with_pdf=True,
    )
    CreditInvoiceFactory(
        organisation=organisation,
        number="C2026-00002",
        corrects=original,
        invoice_date=dt.date(2026, 3, 9),
        amount_excl_vat=Decimal("100.00"),
    )
    return original


def test_a_row_in_dutch(organisation, corrected):
    credit, original = rows(organisation, "nl")
    # Open: 1,210.00 less the credit's 121.00, past its due date on 20 April.
    assert original == InvoiceRow(
        number="F2026-00001",
        url="/invoices/F2026-00001/",
        kind="Factuur",
        corrects="",
        corrects_url="",
        invoice_date="2-3-2026",
        due_date="1-4-2026",
        total="1.210,00",
        open="1.089,00",
        status="Vervallen",
        badge="text-bg-danger",
        download_url="/invoices/F2026-00001.pdf",
        download_name="van factuur F2026-00001",
    )
    assert credit == InvoiceRow(
        number="C2026-00002",
        url="/invoices/C2026-00002/",
        kind="Creditfactuur",
        corrects="F2026-00001",
        corrects_url="/invoices/F2026-00001/",
        invoice_date="9-3-2026",
        due_date="8-4-2026",
        total="-121,00",
        open="0,00",
        status="Verrekend",
        badge="text-bg-secondary",
        download_url="",
        download_name="",
    )


def test_a_row_in_english(organisation, corrected):
    credit, original = rows(organisation, "en")
    assert (original.invoice_date, original.total, original.status) == (
        "02/03/2026",
        "1,210.00",
        "Overdue",
    )
    assert original.download_name == "of invoice F2026-00001"
    assert (credit.kind, credit.status) == ("Credit invoice", "Settled")


def test_the_page_writes_the_rows(viewer_client, corrected):
    html = collapsed(viewer_client.get(LIST).content.decode())
    assert (
        '<tr data-testid="invoice-row"><td class="text-nowrap" data-label="Nummer">'
        '<a href="/invoices/C2026-00002/">C2026-00002</a></td>'
        '<td data-label="Type"><div>Creditfactuur<div class="small">corrigeert '
        '<a href="/invoices/F2026-00001/">F2026-00001</a></div></div></td>'
    ) in html
    assert (
        '<td class="text-end text-nowrap" data-label="Bedrag incl. btw">€&nbsp;1.210,00</td>'
        '<td class="text-end text-nowrap" data-label="Openstaand bedrag">€&nbsp;1.089,00</td>'
        '<td data-label="Status"><span class="badge text-bg-danger">Vervallen</span></td>'
        '<td class="text-end" data-label="Bestand">'
        '<a class="btn btn-sm btn-outline-primary text-nowrap" '
        'href="/invoices/F2026-00001.pdf" download>PDF'
        '<span class="visually-hidden"> van factuur F2026-00001</span></a></td></tr>'
    ) in html
    assert (
        '<td class="text-end" data-label="Bestand">'
        '<span class="small text-body-secondary">nog geen bestand</span>'
    ) in html


def test_what_a_row_shows_is_escaped(viewer_client, organisation):
    # Numbers come from imports that normalise them; the page escapes whatever is stored.
    original = InvoiceFactory(organisation=organisation, number='A<b>&"1', with_pdf=True)
    CreditInvoiceFactory(organisation=organisation, number="C-2", corrects=original)
    html = viewer_client.get(LIST).content.decode()
    assert "<b>" not in html
    # The cells read as stored (every <, > and & arrived as a character reference).
    rows = {row[0]: row for row in table_rows(html, "invoice-row")}
    assert rows['A<b>&"1'][-1] == 'PDF van factuur A<b>&"1'
    assert rows["C-2"][1].endswith('corrigeert A<b>&"1')
    assert 'href="/invoices/A%3Cb%3E&amp;%221/"' in html
    assert 'href="/invoices/A%3Cb%3E&amp;%221.pdf"' in html


# Lone surrogates (category Cs) are no text a URL can carry: reverse() itself cannot encode them.
numbers = st.text(
    alphabet=st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]),
    min_size=1,
    max_size=16,
)


@given(number=numbers, corrected_number=numbers)
def test_the_links_of_any_number_are_those_reverse_writes(number, corrected_number):
    invoice = Invoice(
        number=number,
        kind=Invoice.Kind.CREDIT,
        invoice_date=dt.date(2026, 3, 2),
        due_date=dt.date(2026, 4, 1),
        file="x.pdf",
        ledger_signed=Decimal("-1.00"),
        ledger_open=Decimal("0.00"),
        ledger_state="settled",
        corrects=Invoice(pk=1, number=corrected_number),
    )
    with translation.override("nl"):
        (row,) = invoice_rows([invoice], today=NOW.date())
    assert row.number == number
    assert row.url == reverse("invoices:detail", kwargs={"number": number})
    assert row.download_url == reverse("invoices:download", kwargs={"number": number})
    assert row.corrects == corrected_number
    assert row.corrects_url == reverse("invoices:detail", kwargs={"number": corrected_number})
    assert row.download_name == f"van factuur {number}"


def test_sort_headers_keep_the_filters_and_drop_the_page():
    """Facturen's columns (dates and amounts) sort descending first."""
    sort_header = partial(core_sort_header, descending_first=True)
    query = QueryDict("status=open&page=3&q=a%26b&sort=-date")
    assert sort_header(query, "-date", "date", "Factuurdatum") == SortHeader(
        label="Factuurdatum",
        href="?status=open&q=a%26b&sort=date",
        order="descending",
        arrow=" ▼",
        numeric=False,
    )
    assert sort_header(query, "-date", "amount", "Bedrag", numeric=True) == SortHeader(
        label="Bedrag",
        href="?status=open&q=a%26b&sort=-amount",
        order="none",
        arrow="",
        numeric=True,
    )
    ascending = sort_header(QueryDict(""), "amount", "amount", "Bedrag")
    assert (ascending.order, ascending.arrow, ascending.href) == (
        "ascending",
        " ▲",
        "?sort=-amount",
    )


def test_the_page_writes_the_sort_headers(viewer_client, corrected):
    html = collapsed(
        viewer_client.get(LIST, {"status": "unpaid", "x": "a&b", "sort": "-date"}).content.decode()
    )
    assert (
        '<th scope="col" class="sortable" aria-sort="descending"><a class="sort-link" '
        'href="?status=unpaid&amp;x=a%26b&amp;sort=date">Factuurdatum'
        '<span aria-hidden="true"> ▼</span><span class="visually-hidden"> (sorteren)</span>'
        "</a></th>"
    ) in html
    assert (
        '<th scope="col" class="sortable text-end" aria-sort="none"><a class="sort-link" '
        'href="?status=unpaid&amp;x=a%26b&amp;sort=-amount">Bedrag incl. btw'
    ) in html
