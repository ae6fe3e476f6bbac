"""Status, open amount and open balance, computed in SQL over visible payments only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from invoices.models import Invoice
from invoices.reference import invoice_annotated
from invoices.selectors import invoice_balance_summary
from invoices.visibility import AMSTERDAM
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory, PaymentFactory
from tests.invoices.reference import invoice_open_balance

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


def test_a_credit_on_a_paid_invoice_is_owed_to_the_customer_and_never_overdue(organisation):
    invoice = InvoiceFactory(organisation=organisation, amount_excl_vat=Decimal("1000.00"))
    PaymentFactory(invoice=invoice, amount=Decimal("1210.00"))
    credit = CreditInvoiceFactory(
        organisation=organisation, corrects=invoice, amount_excl_vat=Decimal("100.00")
    )
    row = annotated(credit, AFTER_DUE)
    assert (row.open_amount, row.status) == (Decimal("-121.00"), Invoice.Status.OPEN)
    assert annotated(invoice, AFTER_DUE).status == Invoice.Status.PAID
    assert invoice_open_balance(organisation=organisation, now=AFTER_DUE) == Decimal("-121.00")


def test_a_refunded_credit_invoice_is_settled(organisation):
    invoice = InvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=invoice, amount=Decimal("121.00"))
    credit = CreditInvoiceFactory(organisation=organisation, corrects=invoice)
    PaymentFactory(invoice=credit, amount=Decimal("-121.00"), booking_date=date(2026, 3, 10))
    row = annotated(credit, AFTER_DUE)
    assert (row.open_amount, row.status) == (Decimal("0.00"), Invoice.Status.SETTLED)


def test_a_customer_paying_net_settles_both_the_invoice_and_its_credit(organisation):
    invoice = InvoiceFactory(organisation=organisation, amount_excl_vat=Decimal("1000.00"))
    credit = CreditInvoiceFactory(
        organisation=organisation, corrects=invoice, amount_excl_vat=Decimal("100.00")
    )
    PaymentFactory(invoice=invoice, amount=Decimal("1089.00"))  # 1210 - 121
    invoice_row, credit_row = annotated(invoice, AFTER_DUE), annotated(credit, AFTER_DUE)
    assert (invoice_row.open_amount, invoice_row.status) == (Decimal("0.00"), "paid")
    assert invoice_row.credited_amount == Decimal("121.00")
    assert (credit_row.open_amount, credit_row.status) == (Decimal("0.00"), "settled")
    assert invoice_open_balance(organisation=organisation, now=AFTER_DUE) == Decimal("0.00")


def test_an_unpaid_invoice_owes_its_amount_less_the_credit(organisation):
    invoice = InvoiceFactory(organisation=organisation, amount_excl_vat=Decimal("1000.00"))
    credit = CreditInvoiceFactory(
        organisation=organisation, corrects=invoice, amount_excl_vat=Decimal("100.00")
    )
    invoice_row, credit_row = annotated(invoice, AFTER_DUE), annotated(credit, AFTER_DUE)
    assert (invoice_row.open_amount, invoice_row.status) == (Decimal("1089.00"), "overdue")
    assert (credit_row.open_amount, credit_row.status) == (Decimal("0.00"), "settled")
    assert invoice_open_balance(organisation=organisation, now=AFTER_DUE) == Decimal("1089.00")


def test_credits_are_set_off_in_date_then_creation_order_up_to_what_is_open(organisation):
    invoice = InvoiceFactory(organisation=organisation)  # 121.00
    PaymentFactory(invoice=invoice, amount=Decimal("100.00"))  # 21.00 open
    third = CreditInvoiceFactory(  # latest date: set off last
        organisation=organisation,
        corrects=invoice,
        invoice_date=date(2026, 3, 6),
        amount_excl_vat=Decimal("10.00"),
    )
    first = CreditInvoiceFactory(  # same date as second, created first: before it
        organisation=organisation,
        corrects=invoice,
        invoice_date=date(2026, 3, 5),
        amount_excl_vat=Decimal("10.00"),
    )
    second = CreditInvoiceFactory(
        organisation=organisation,
        corrects=invoice,
        invoice_date=date(2026, 3, 5),
        amount_excl_vat=Decimal("10.00"),
    )
    rows = {
        row.pk: (row.open_amount, row.status)
        for row in invoice_annotated(organisation=organisation, now=AFTER_DUE)
    }
    assert rows[invoice.pk] == (Decimal("0.00"), "paid")
    assert rows[first.pk] == (Decimal("0.00"), "settled")  # 12.10 of the 21.00
    assert rows[second.pk] == (Decimal("-3.20"), "open")  # 8.90 left for it
    assert rows[third.pk] == (Decimal("-12.10"), "open")
    assert invoice_open_balance(organisation=organisation, now=AFTER_DUE) == Decimal("-15.30")


def test_the_open_balance_is_signed_amounts_minus_visible_payments_on_mixed_data(
    organisation, other_organisation
):
    def invoice(excl, **extra):
        return InvoiceFactory(organisation=organisation, amount_excl_vat=Decimal(excl), **extra)

    def credit(corrects, excl, **extra):
        return CreditInvoiceFactory(
            organisation=organisation, corrects=corrects, amount_excl_vat=Decimal(excl), **extra
        )

    def pay(target, amount, booked=date(2026, 3, 10)):
        PaymentFactory(invoice=target, amount=Decimal(amount), booking_date=booked)

    several = invoice("1000.00")  # 1210: two credits, partly paid
    credit(several, "100.00", invoice_date=date(2026, 3, 3))
    credit(several, "50.00", invoice_date=date(2026, 3, 4))
    pay(several, "500.00")
    small = invoice("100.00")  # 121: partly paid, a credit larger than what is open
    credit(small, "80.00")
    pay(small, "60.00")
    paid = invoice("200.00")  # 242: paid in full, then credited: a refund due
    credit(paid, "20.00")
    pay(paid, "242.00")
    refunded = invoice("100.00")  # overpaid credit: the refund paid out is a payment
    refund_credit = credit(refunded, "100.00")
    pay(refunded, "121.00")
    pay(refund_credit, "-100.00")
    not_yet = invoice("300.00")  # a credit and a payment that does not count yet
    credit(not_yet, "30.00")
    pay(not_yet, "326.70", booked=date(2026, 4, 9))
    correction = InvoiceFactory(
        organisation=organisation,
        kind=Invoice.Kind.CORRECTION,
        corrects=small,
        amount_excl_vat=Decimal("10.00"),
    )
    pay(correction, "5.00")
    credit(correction, "10.00")
    PaymentFactory(invoice=several, amount=Decimal("700.00"), currency="USD")  # never counts
    InvoiceFactory(organisation=other_organisation, amount_excl_vat=Decimal("5000.00"))

    rows = list(invoice_annotated(organisation=organisation, now=AFTER_DUE))
    signed = sum(row.signed_amount for row in rows)
    payments = sum(
        p.amount
        for row in rows
        for p in row.payments.filter(currency="EUR", visible_from__lte=AFTER_DUE)
    )
    balance = invoice_open_balance(organisation=organisation, now=AFTER_DUE)
    assert balance == signed - payments
    # The page's summary sums the same two totals directly; it must agree row for row.
    summary = invoice_balance_summary(organisation=organisation, now=AFTER_DUE)
    assert summary.open_balance == balance
    # Quantized: SQLite computes decimals as floating point (PostgreSQL exactly).
    assert sum(row.open_amount for row in rows).quantize(Decimal("0.01")) == balance
    for row in rows:  # a credit is never owed by the customer, nor an invoice to them
        if row.kind == Invoice.Kind.CREDIT:
            assert row.open_amount <= 0, row.number
        else:
            assert row.open_amount >= 0, row.number
    by_pk = {row.pk: row for row in rows}
    assert by_pk[small.pk].open_amount == Decimal("0.00")  # 61 open, 96.80 credited
    assert by_pk[refund_credit.pk].status == "open"  # refunded 100 of 121: 21 still owed
    assert by_pk[refund_credit.pk].open_amount == Decimal("-21.00")


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
