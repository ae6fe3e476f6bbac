"""Demo invoices and payments for the organisations of *Rode Lente* (demo only).

About 30 invoices per organisation over two years, with real PDFs: paid, partly paid, open and
overdue ones, credit and correction invoices (one paid net, so the invoice is paid and its
credit settled; one refunded), and a payment booked today that only counts
from 10:30 on the next working day. Running it again adds nothing; only the "booked today"
payment moves to the current day, so the demo always shows one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from invoices.models import Invoice, Payment
from invoices.pdf import render_invoice_pdf
from invoices.services import invoice_copy_billing_address, invoice_create
from invoices.visibility import payment_visible_from

PREFIX = {"100001": "RL1", "100002": "RL2"}
MONTHS = 26  # monthly invoices, the newest this month
VAT_RATE = Decimal("0.21")
IBAN = {"100001": "NL91ABNA0417164300", "100002": "NL20INGB0001234567"}


def _month_start(today: dt.date, months_ago: int) -> dt.date:
    month_index = today.year * 12 + today.month - 1 - months_ago
    return dt.date(month_index // 12, month_index % 12 + 1, 1)


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _create(organisation, number, kind, invoice_date, excl, corrects=None) -> Invoice:
    vat = _money(excl * VAT_RATE)
    invoice = Invoice(
        organisation=organisation,
        number=number,
        kind=kind,
        invoice_date=invoice_date,
        due_date=invoice_date + dt.timedelta(days=30),
        amount_excl_vat=_money(excl),
        vat_amount=vat,
        amount_incl_vat=_money(excl) + vat,
        corrects=corrects,
    )
    invoice_copy_billing_address(invoice)
    return invoice_create(invoice=invoice, pdf=render_invoice_pdf(invoice))


def _pay(invoice: Invoice, amount: Decimal, booked: dt.date, reference: str) -> None:
    Payment.objects.update_or_create(
        bank_reference=reference,
        defaults={
            "booking_date": booked,
            "amount": amount,
            "remittance_text": f"Factuur {invoice.number}",
            "counterparty_name": invoice.organisation.name,
            "counterparty_iban": IBAN.get(invoice.organisation.debtor_number, ""),
            "invoice": invoice,
            "matched_by": Payment.MatchedBy.IMPORT,
            "visible_from": payment_visible_from(booked),
        },
    )


def _seed_invoices(organisation: Organisation, today: dt.date) -> None:
    prefix = PREFIX[organisation.debtor_number]
    sequence = 0
    monthly: dict[int, Invoice] = {}

    def next_number() -> str:
        nonlocal sequence
        sequence += 1
        return f"{prefix}-{sequence:04d}"

    for months_ago in range(MONTHS - 1, -1, -1):
        invoice_date = _month_start(today, months_ago)
        excl = Decimal(1200 + 35 * ((months_ago * 7) % 11))
        invoice = _create(organisation, next_number(), Invoice.Kind.INVOICE, invoice_date, excl)
        monthly[months_ago] = invoice
        credit = None
        if months_ago in (10, 18):
            credit = _create(
                organisation,
                next_number(),
                Invoice.Kind.CREDIT,
                invoice_date + dt.timedelta(days=5),
                _money(excl / 10),
                corrects=invoice,
            )
        paid_on = invoice_date + dt.timedelta(days=14)
        if months_ago == 10 and paid_on < today:
            # Paid net (the invoice less its credit): both show settled.
            amount = invoice.amount_incl_vat - credit.amount_incl_vat
            _pay(invoice, amount, paid_on, f"DEMO-{invoice.number}")
        elif months_ago >= 5 and paid_on < today:
            _pay(invoice, invoice.amount_incl_vat, paid_on, f"DEMO-{invoice.number}")
            if credit is not None:  # paid in full before the credit: refunded to the customer
                refund_on = credit.invoice_date + dt.timedelta(days=10)
                _pay(credit, -credit.amount_incl_vat, refund_on, f"DEMO-{credit.number}")
        elif months_ago == 2:  # partly paid last week, the rest overdue
            booked = max(paid_on, today - dt.timedelta(days=7))
            _pay(invoice, _money(invoice.amount_incl_vat / 2), booked, f"DEMO-{invoice.number}")
        # months 3 and 4 stay unpaid (overdue), 1 is paid today (not yet visible), 0 is open
        if months_ago in (6, 14):
            correction = _create(
                organisation,
                next_number(),
                Invoice.Kind.CORRECTION,
                invoice_date + dt.timedelta(days=7),
                Decimal("85.00"),
                corrects=invoice,
            )
            paid_on = correction.invoice_date + dt.timedelta(days=10)
            if paid_on < today:
                _pay(correction, correction.amount_incl_vat, paid_on, f"DEMO-{correction.number}")


@transaction.atomic
def seed() -> None:
    today = timezone.localdate()
    for debtor_number in PREFIX:
        organisation = Organisation.objects.get(debtor_number=debtor_number)
        if not Invoice.objects.filter(organisation=organisation).exists():
            _seed_invoices(organisation, today)
        # Last month's invoice is paid today: it counts from 10:30 on the next working day.
        last_month = (
            Invoice.objects.filter(organisation=organisation, kind=Invoice.Kind.INVOICE)
            .order_by("-invoice_date")[1:2]
            .first()
        )
        if last_month is not None:
            _pay(
                last_month,
                last_month.amount_incl_vat,
                today,
                f"DEMO-TODAY-{organisation.debtor_number}",
            )
