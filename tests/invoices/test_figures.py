"""The invoice figures: odd searches find nothing, the figures work as a subquery and in admin."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Organisation
from invoices.models import Invoice
from invoices.reference import invoice_annotated, invoice_status_annotate
from invoices.visibility import AMSTERDAM
from tests.conftest import logged_in
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 10, 12, 0, tzinfo=AMSTERDAM)
# What people paste into a search box: quotes, and LIKE's wildcards, which must match
# themselves and not "anything".
ODD_SEARCHES = ["' OR 1=1 --", "%", "_", "%' OR '1'='1", '" OR ""="', "%s%s%s"]


@pytest.mark.parametrize("value", ODD_SEARCHES)
def test_a_search_with_quotes_or_wildcards_finds_nothing_and_says_so(
    viewer_client, organisation, value
):
    InvoiceFactory(organisation=organisation, number="F2026-00001")
    with time_machine.travel(NOW, tick=False):
        response = viewer_client.get(reverse("invoices:list"), {"q": value})
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Geen factuur voldoet aan deze zoekopdracht of filters." in content
    assert 'data-testid="invoice-row"' not in content
    # What was typed stays in the box, escaped.
    assert f'value="{escape(value)}"' in content


def test_staff_search_with_quotes_or_wildcards_finds_nothing(staff, organisation):
    InvoiceFactory(organisation=organisation, number="F2026-00001")
    client = logged_in(staff)
    url = reverse("admin:invoices_invoice_changelist")
    assert [i.number for i in client.get(url, {"q": "f2026"}).context["cl"].result_list] == [
        "F2026-00001"
    ]
    for value in ODD_SEARCHES:
        response = client.get(url, {"q": value})
        assert response.status_code == HTTPStatus.OK
        assert list(response.context["cl"].result_list) == [], value


def test_the_figures_work_as_a_subquery_of_another_query(organisation, other_organisation):
    invoice = InvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=invoice, amount=Decimal("21.00"), booking_date=date(2026, 3, 10))
    InvoiceFactory(organisation=other_organisation)
    open_amount = invoice_status_annotate(
        Invoice.objects.filter(organisation=OuterRef("pk")), now=NOW
    ).values("open_amount")[:1]
    rows = dict(
        Organisation.objects.filter(pk__in=[organisation.pk, other_organisation.pk]).values_list(
            "pk", Subquery(open_amount)
        )
    )
    assert Decimal(rows[organisation.pk]) == Decimal("100.00")
    assert Decimal(rows[other_organisation.pk]) == Decimal("121.00")
    overdue = invoice_annotated(organisation=organisation, now=NOW).filter(status="overdue")
    assert list(Invoice.objects.filter(pk__in=overdue.values("pk"))) == [invoice]


def test_admin_sorts_by_open_amount_and_status(staff, organisation):
    small = InvoiceFactory(organisation=organisation, amount_excl_vat=Decimal("10.00"))
    large = InvoiceFactory(organisation=organisation, amount_excl_vat=Decimal("1000.00"))
    credit = CreditInvoiceFactory(organisation=organisation, corrects=large)
    url = reverse("admin:invoices_invoice_changelist")
    client = logged_in(staff)
    columns = client.get(url).context["cl"].list_display
    by_open = columns.index("open_amount_display")
    response = client.get(url, {"o": str(by_open)})
    assert list(response.context["cl"].result_list) == [credit, small, large]
    response = client.get(url, {"o": f"-{by_open}"})
    assert list(response.context["cl"].result_list) == [large, small, credit]
