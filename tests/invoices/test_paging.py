"""IndexPaginator: every page holds exactly the rows a plain slice of the list holds, whether
it is read in one query (the first and the last page), by keys from the start or by keys
from the end."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.paginator import Paginator

from invoices.models import Invoice
from invoices.paging import IndexPaginator
from invoices.selectors import SORTS, InvoiceFilters, invoice_list


def invoices_create(organisation, size: int) -> None:
    # Many invoices share a date and some an amount, so the order's tie-breaker counts.
    Invoice.objects.bulk_create(
        Invoice(
            organisation=organisation,
            number=f"P{n:04d}",
            invoice_date=date(2026, 1, 1) + timedelta(days=n % 7),
            due_date=date(2026, 3, 1),
            amount_excl_vat=Decimal(n % 5),
            vat_amount=Decimal("0.00"),
            amount_incl_vat=Decimal(n % 5),
            ledger_signed=Decimal(n % 5),
            billing_organisation_name="Rode Lente",
        )
        for n in range(size)
    )


@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("size", [1, 24, 25, 26, 50, 51, 76])
def test_every_page_holds_the_rows_of_a_plain_slice(organisation, sort, size):
    invoices_create(organisation, size)
    rows = invoice_list(organisation=organisation, filters=InvoiceFilters(sort=sort))
    expected = Paginator(rows, 25)
    paged = IndexPaginator(rows, 25)
    assert paged.num_pages == expected.num_pages
    seen = []
    for number in expected.page_range:
        page = [invoice.number for invoice in paged.page(number).object_list]
        assert page == [invoice.number for invoice in expected.page(number).object_list]
        seen += page
    assert sorted(seen) == sorted(invoice.number for invoice in rows)
    assert len(seen) == size


@pytest.mark.parametrize("size", [1, 26, 76])
def test_a_known_count_pages_like_a_counted_list_without_counting(
    organisation, size, django_assert_num_queries
):
    invoices_create(organisation, size)
    rows = invoice_list(organisation=organisation)
    expected = Paginator(rows, 25)
    pages = expected.num_pages
    paged = IndexPaginator(rows, 25, count=size)
    with django_assert_num_queries(0):
        assert (paged.count, paged.num_pages) == (size, pages)
    for number in expected.page_range:
        page = [invoice.number for invoice in paged.page(number).object_list]
        assert page == [invoice.number for invoice in expected.page(number).object_list]
