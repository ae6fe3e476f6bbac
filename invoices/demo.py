"""Demo invoices and payments for the organisations of *Rode Lente* (demo only).

*Rode Lente* has about 30 invoices over two years, with real PDFs: paid, partly paid, open and
overdue ones, credit and correction invoices (one paid net, so the invoice is paid and its
credit settled; one refunded). *Rode Lente Services* is a smaller customer: eight lower
invoices, one credit (refunded), one overdue, so switching organisation visibly changes the
page. Each has a payment booked today that only counts from 10:30 on the next working day.
Running it again adds nothing; only the "booked today" payment moves to the current day, so
the demo always shows one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from invoices.ledger import ledger_refresh
from invoices.models import Invoice, Payment
from invoices.pdf import render_invoice_pdf
from invoices.services import invoice_copy_billing_address, invoice_create
from invoices.visibility import payment_visible_from

VAT_RATE = Decimal("0.21")


@dataclass(frozen=True)
class DemoProfile:
    """How an organisation's demo invoices look; months count back from this month (0)."""

    prefix: str
    months: int  # monthly invoices, the newest this month
    base_amount: int  # excl. VAT; each month adds a multiple of ``step``
    step: int
    credit_months: tuple[int, ...] = ()
    net_paid_month: int | None = None  # paid less its credit; other credited ones refunded
    correction_months: tuple[int, ...] = ()
    paid_from: int = 5  # invoices at least this many months old are paid in full
    partly_paid_month: int | None = None


# Months 1 (paid today, not yet visible) and 0 (open) are never paid in full; the months
# between ``partly_paid_month`` and ``paid_from`` stay unpaid, so they are overdue.
PROFILES = {
    "100001": DemoProfile(
        prefix="RL1",
        months=26,
        base_amount=1200,
        step=35,
        credit_months=(10, 18),
        net_paid_month=10,
        correction_months=(6, 14),
        paid_from=5,
        partly_paid_month=2,
    ),
    "100002": DemoProfile(
        prefix="RL2", months=8, base_amount=450, step=15, credit_months=(6,), paid_from=3
    ),
}
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
    ledger_refresh(invoice_ids=[invoice.pk])


def _seed_invoices(organisation: Organisation, profile: DemoProfile, today: dt.date) -> None:
    sequence = 0

    def next_number() -> str:
        nonlocal sequence
        sequence += 1
        return f"{profile.prefix}-{sequence:04d}"

    for months_ago in range(profile.months - 1, -1, -1):
        invoice_date = _month_start(today, months_ago)
        excl = Decimal(profile.base_amount + profile.step * ((months_ago * 7) % 11))
        invoice = _create(organisation, next_number(), Invoice.Kind.INVOICE, invoice_date, excl)
        credit = None
        if months_ago in profile.credit_months:
            credit = _create(
                organisation,
                next_number(),
                Invoice.Kind.CREDIT,
                invoice_date + dt.timedelta(days=5),
                _money(excl / 10),
                corrects=invoice,
            )
        paid_on = invoice_date + dt.timedelta(days=14)
        if months_ago == profile.net_paid_month and paid_on < today:
            # Paid net (the invoice less its credit): both show settled.
            amount = invoice.amount_incl_vat - credit.amount_incl_vat
            _pay(invoice, amount, paid_on, f"DEMO-{invoice.number}")
        elif months_ago >= profile.paid_from and paid_on < today:
            _pay(invoice, invoice.amount_incl_vat, paid_on, f"DEMO-{invoice.number}")
            if credit is not None:  # paid in full before the credit: refunded to the customer
                refund_on = credit.invoice_date + dt.timedelta(days=10)
                _pay(credit, -credit.amount_incl_vat, refund_on, f"DEMO-{credit.number}")
        elif months_ago == profile.partly_paid_month:  # partly paid last week, the rest overdue
            booked = max(paid_on, today - dt.timedelta(days=7))
            _pay(invoice, _money(invoice.amount_incl_vat / 2), booked, f"DEMO-{invoice.number}")
        if months_ago in profile.correction_months:
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
    for debtor_number, profile in PROFILES.items():
        organisation = Organisation.objects.get(debtor_number=debtor_number)
        if not Invoice.objects.filter(organisation=organisation).exists():
            _seed_invoices(organisation, profile, today)
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
