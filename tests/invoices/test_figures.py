"""The invoice figures: user input stays a parameter, they work as a subquery and in admin."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from accounts.models import Organisation
from invoices.models import Invoice
from invoices.selectors import invoice_annotated, invoice_status_annotate
from invoices.visibility import AMSTERDAM
from tests.conftest import logged_in
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 10, 12, 0, tzinfo=AMSTERDAM)
INJECTIONS = [
    "' OR 1=1 --",
    "%' OR '1'='1",
    "');DROP TABLE invoices_invoice;",  # within the field's 32 characters
    '" OR ""="',
    "%s%s%s",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_search_and_filters_are_parameters_not_sql(viewer_client, organisation, value):
    InvoiceFactory(organisation=organisation, number="F2026-00001")
    for query in [{"q": value}, {"status": value}, {"kind": value}, {"sort": value}]:
        with time_machine.travel(NOW, tick=False):
            response = viewer_client.get(reverse("invoices:list"), query)
        assert response.status_code == HTTPStatus.OK
        shown = [invoice.number for invoice in response.context["invoices"]]
        assert shown == ([] if "q" in query else ["F2026-00001"]), query
    assert Invoice.objects.count() == 1  # the table is still there


def test_admin_search_is_a_parameter_not_sql(staff, organisation):
    InvoiceFactory(organisation=organisation, number="F2026-00001")
    client = logged_in(staff)
    for value in INJECTIONS:
        response = client.get(reverse("admin:invoices_invoice_changelist"), {"q": value})
        assert response.status_code == HTTPStatus.OK
        assert list(response.context["cl"].result_list) == []


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
