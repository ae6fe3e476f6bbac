"""Status, open amount and open balance, computed in SQL over visible payments only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from invoices.models import Invoice
from invoices.selectors import invoice_annotated, invoice_open_balance
from invoices.visibility import AMSTERDAM
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db

BEFORE_DUE = datetime(2026, 3, 20, 12, 0, tzinfo=AMSTERDAM)
AFTER_DUE = datetime(2026, 4, 10, 12, 0, tzinfo=AMSTERDAM)


def annotated(invoice, now):
    return invoice_annotated(organisation=invoice.organisation, now=now).get(pk=invoice.pk)


def test_unpaid_invoice_is_open_then_overdue_after_its_due_date(organisation):
    invoice = InvoiceFactory(organisation=organisation, due_date=date(2026, 4, 1))
    assert annotated(invoice, BEFORE_DUE).status == Invoice.Status.OPEN
    assert annotated(invoice, BEFORE_DUE).open_amount == Decimal("121.00")
    assert annotated(invoice, datetime(2026, 4, 1, 23, 0, tzinfo=AMSTERDAM)).status == "open"
    assert annotated(invoice, AFTER_DUE).status == Invoice.Status.OVERDUE


def test_a_partial_payment_lowers_the_open_amount(organisation):
    invoice = InvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=invoice, amount=Decimal("50.00"), booking_date=date(2026, 3, 10))
    row = annotated(invoice, BEFORE_DUE)
    assert row.open_amount == Decimal("71.00")
    assert row.paid_amount == Decimal("50.00")
    assert row.status == Invoice.Status.OPEN
    assert annotated(invoice, AFTER_DUE).status == Invoice.Status.OVERDUE


def test_payments_that_add_up_in_cents_make_it_paid_even_after_the_due_date(organisation):
    invoice = InvoiceFactory(organisation=organisation)
    for amount in ("40.33", "40.33", "40.34"):
        PaymentFactory(invoice=invoice, amount=Decimal(amount), booking_date=date(2026, 3, 10))
    row = annotated(invoice, AFTER_DUE)
    assert row.status == Invoice.Status.PAID
    assert row.open_amount == Decimal("0.00")


def test_a_payment_counts_only_from_10_30_on_the_next_working_day(organisation):
    invoice = InvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=invoice, amount=Decimal("121.00"), booking_date=date(2026, 3, 6))
    friday_evening = datetime(2026, 3, 6, 18, 0, tzinfo=AMSTERDAM)
    monday_10_29 = datetime(2026, 3, 9, 10, 29, 59, tzinfo=AMSTERDAM)
    monday_10_30 = datetime(2026, 3, 9, 10, 30, tzinfo=AMSTERDAM)
    assert annotated(invoice, friday_evening).status == Invoice.Status.OPEN
    assert annotated(invoice, monday_10_29).open_amount == Decimal("121.00")
    assert annotated(invoice, monday_10_30).status == Invoice.Status.PAID
    assert invoice_open_balance(organisation=organisation, now=monday_10_29) == Decimal("121.00")
    assert invoice_open_balance(organisation=organisation, now=monday_10_30) == Decimal("0.00")


def test_credit_invoices_count_negative_and_are_never_overdue(organisation):
    invoice = InvoiceFactory(organisation=organisation, amount_excl_vat=Decimal("1000.00"))
    credit = CreditInvoiceFactory(
        organisation=organisation, corrects=invoice, amount_excl_vat=Decimal("100.00")
    )
    row = annotated(credit, AFTER_DUE)
    assert row.open_amount == Decimal("-121.00")
    assert row.status == Invoice.Status.OPEN
    assert invoice_open_balance(organisation=organisation, now=AFTER_DUE) == Decimal("1089.00")


def test_a_refunded_credit_invoice_is_paid(organisation):
    credit = CreditInvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=credit, amount=Decimal("-121.00"), booking_date=date(2026, 3, 10))
    assert annotated(credit, AFTER_DUE).status == Invoice.Status.PAID


def test_balance_mixes_kinds_and_ignores_other_organisations(organisation, other_organisation):
    paid = InvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=paid, amount=Decimal("121.00"))
    partly = InvoiceFactory(organisation=organisation, amount_excl_vat=Decimal("200.00"))
    PaymentFactory(invoice=partly, amount=Decimal("42.00"))
    not_yet = InvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=not_yet, amount=Decimal("121.00"), booking_date=date(2026, 3, 20))
    correction = InvoiceFactory(
        organisation=organisation,
        kind=Invoice.Kind.CORRECTION,
        corrects=partly,
        amount_excl_vat=Decimal("10.00"),
    )
    CreditInvoiceFactory(organisation=organisation, corrects=paid)
    InvoiceFactory(organisation=other_organisation, amount_excl_vat=Decimal("5000.00"))
    now = datetime(2026, 3, 20, 15, 0, tzinfo=AMSTERDAM)  # the 20 March payment not yet
    # paid 0 + partly 242-42 + not yet 121 + correction 12.10 + credit -121
    assert invoice_open_balance(organisation=organisation, now=now) == Decimal("212.10")
    statuses = dict(
        invoice_annotated(organisation=organisation, now=now).values_list("number", "status")
    )
    assert statuses[paid.number] == "paid"
    assert statuses[not_yet.number] == "open"
    assert statuses[correction.number] == "open"


def test_empty_organisation_has_a_zero_balance(organisation):
    assert invoice_open_balance(organisation=organisation) == Decimal("0.00")


def test_a_payment_in_another_currency_never_counts(organisation):
    invoice = InvoiceFactory(organisation=organisation)
    # Written directly, as a row from before the import checked currencies would be.
    PaymentFactory(invoice=invoice, amount=Decimal("121.00"), currency="USD")
    PaymentFactory(invoice=invoice, amount=Decimal("21.00"))
    row = annotated(invoice, AFTER_DUE)
    assert (row.paid_amount, row.open_amount, row.status) == (
        Decimal("21.00"),
        Decimal("100.00"),
        Invoice.Status.OVERDUE,
    )
    assert invoice_open_balance(organisation=organisation, now=AFTER_DUE) == Decimal("100.00")
