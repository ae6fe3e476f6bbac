"""The list's rows written in Python (invoices/rows.py): what each cell shows, escaped, in
the active language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import QueryDict
from django.utils import translation

from invoices.rows import invoice_rows_html, sort_header_html
from invoices.selectors import InvoiceFilters, invoice_list
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory

NOW = dt.datetime(2026, 4, 20, 12, tzinfo=dt.UTC)


def rows(organisation, language: str) -> str:
    with translation.override(language):
        invoices = invoice_list(organisation=organisation, filters=InvoiceFilters(), now=NOW)
        return str(invoice_rows_html(invoices, today=NOW.date()))


def test_a_row_in_dutch_and_in_english(organisation):
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
    dutch = rows(organisation, "nl")
    assert '<td class="text-nowrap">2-3-2026</td><td class="text-nowrap">1-4-2026</td>' in dutch
    assert '<td class="text-end text-nowrap">€&nbsp;1.210,00</td>' in dutch
    # Open: 1,210.00 less the credit's 121.00, past its due date on 20 April.
    assert '<td class="text-end text-nowrap">€&nbsp;1.089,00</td>' in dutch
    assert '<span class="badge text-bg-danger">Vervallen</span>' in dutch
    assert (
        '<td>Creditfactuur<div class="small">corrigeert <a href="/invoices/?q=F2026-00001">'
        in dutch
    )
    assert "€&nbsp;-121,00" in dutch
    assert (
        'href="/invoices/F2026-00001.pdf" download>PDF'
        '<span class="visually-hidden"> van factuur F2026-00001</span>' in dutch
    )
    assert "nog geen bestand" in dutch  # the credit has no PDF
    english = rows(organisation, "en")
    assert '<td class="text-nowrap">02/03/2026</td>' in english
    assert "€&nbsp;1,210.00" in english
    assert '<span class="badge text-bg-danger">Overdue</span>' in english
    assert (
        '<td>Credit invoice<div class="small">corrects <a href="/invoices/?q=F2026-00001">'
        in english
    )
    assert "of invoice F2026-00001" in english
    assert "no file yet" in english


def test_what_a_row_shows_is_escaped(organisation):
    # Numbers come from imports that normalise them; the row escapes whatever is stored.
    original = InvoiceFactory(organisation=organisation, number='A<b>&"1', with_pdf=True)
    CreditInvoiceFactory(organisation=organisation, number="C-2", corrects=original)
    html = rows(organisation, "en")
    assert "<b>" not in html
    assert '<td class="text-nowrap">A&lt;b&gt;&amp;&quot;1</td>' in html
    assert 'href="/invoices/?q=A%3Cb%3E%26%221"' in html
    assert 'href="/invoices/A%3Cb%3E&amp;%221.pdf"' in html


def test_sort_headers_keep_the_filters_and_drop_the_page():
    query = QueryDict("status=open&page=3&q=a%26b&sort=-date")
    with translation.override("nl"):
        by_date = sort_header_html(query, "-date", "date", "Factuurdatum")
        by_amount = sort_header_html(query, "-date", "amount", "Bedrag", numeric=True)
    assert by_date == (
        '<th scope="col" aria-sort="descending"><a class="sort-link" '
        'href="?status=open&amp;q=a%26b&amp;sort=date">Factuurdatum'
        '<span aria-hidden="true"> ▼</span><span class="visually-hidden"> (sorteren)</span>'
        "</a></th>"
    )
    assert by_amount.startswith('<th scope="col" class="text-end" aria-sort="none">')
    assert 'href="?status=open&amp;q=a%26b&amp;sort=-amount"' in by_amount
    ascending = sort_header_html(QueryDict(""), "amount", "amount", "<Bedrag>")
    assert 'aria-sort="ascending"' in ascending
    assert 'href="?sort=-amount"' in ascending
    assert "&lt;Bedrag&gt;" in ascending
