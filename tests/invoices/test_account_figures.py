"""The overview's figures (``invoice_account_figures``): read from the stored ledger in one
statement, and equal to what the SQL reference (``invoices/reference.py``) computes from the
payments and credits themselves, over random accounts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoices.ledger import ledger_publish_due
from invoices.models import Invoice
from invoices.reference import invoice_annotated, reference_open_balance
from invoices.selectors import (
    AccountFigures,
    InvoiceFilters,
    invoice_account_figures,
    invoice_balance_summary,
    invoice_list,
)
from invoices.services import invoice_create
from invoices.visibility import AMSTERDAM
from tests.invoices.factories import InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db

# A Tuesday morning, before the day's payments count at 10:30.
NOW = datetime(2026, 6, 9, 9, 0, tzinfo=AMSTERDAM)
CENT = Decimal("0.01")


class Rollback(Exception):
    """Ends one hypothesis example without leaving its rows behind."""


def _figures(organisation, now) -> AccountFigures:
    """As the overview reads them: payments that came due are published first."""
    figures = invoice_account_figures(organisation=organisation, now=now)
    if figures.publish_due:
        ledger_publish_due(organisation=organisation, now=now)
        figures = invoice_account_figures(organisation=organisation, now=now)
    assert not figures.publish_due
    return figures


def _reference(organisation, now) -> AccountFigures:
    """The same figures from the reference's open amounts and statuses, in plain Python."""
    today = timezone.localdate(now)
    rows = list(invoice_annotated(organisation=organisation, now=now))
    overdue = [row for row in rows if row.status == Invoice.Status.OVERDUE]
    coming = [
        row
        for row in rows
        if row.status == Invoice.Status.OPEN
        and row.kind != Invoice.Kind.CREDIT
        and row.due_date >= today
    ]
    next_date = min((row.due_date for row in coming), default=None)
    next_rows = [row for row in coming if row.due_date == next_date]
    summary = invoice_balance_summary(organisation=organisation, now=now)
    return AccountFigures(
        open_balance=reference_open_balance(organisation=organisation, now=now),
        payments_processed_until=summary.payments_processed_until,
        overdue_amount=sum((Decimal(row.open_amount) for row in overdue), Decimal(0)).quantize(
            CENT
        ),
        overdue_count=len(overdue),
        next_due_date=next_date,
        next_due_amount=sum((Decimal(row.open_amount) for row in next_rows), Decimal(0)).quantize(
            CENT
        ),
        next_due_count=len(next_rows),
        publish_due=False,
    )


AMOUNT = st.decimals(min_value=1, max_value=3000, places=0, allow_nan=False, allow_infinity=False)
INVOICE = st.tuples(
    st.sampled_from(["invoice", "invoice", "credit", "correction"]),
    AMOUNT,
    st.integers(min_value=0, max_value=20),  # the invoice it corrects (a credit, a correction)
    st.integers(min_value=-120, max_value=0),  # invoice date, days from today
    st.sampled_from([0, 14, 30, 60]),  # payment term in days
)
PAYMENT = st.tuples(
    st.integers(min_value=0, max_value=20),  # the invoice it pays
    st.decimals(min_value=-500, max_value=3000, places=0, allow_nan=False, allow_infinity=False),
    st.integers(min_value=-60, max_value=0),  # booking date, days from today
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    invoices=st.lists(INVOICE, min_size=0, max_size=12),
    payments=st.lists(PAYMENT, max_size=10),
    later=st.sampled_from([timedelta(0), timedelta(hours=2), timedelta(days=3)]),
)
def test_the_figures_equal_the_reference_over_random_accounts(
    organisation, other_organisation, invoices, payments, later
):
    today = NOW.date()
    try:
        with time_machine.travel(NOW, tick=False) as clock, transaction.atomic():
            made: list[Invoice] = []
            for position, (kind, amount, target, day, term) in enumerate(invoices):
                if kind != "invoice" and not made:
                    kind = "invoice"
                invoice_date = today + timedelta(days=day)
                made.append(
                    invoice_create(
                        invoice=Invoice(
                            organisation=organisation,
                            number=f"R{position}",
                            kind=kind,
                            invoice_date=invoice_date,
                            due_date=invoice_date + timedelta(days=term),
                            # No VAT: SQLite checks "amounts add up" in floating point.
                            amount_excl_vat=amount,
                            vat_amount=Decimal("0.00"),
                            amount_incl_vat=amount,
                            corrects=made[target % len(made)] if kind != "invoice" else None,
                        )
                    )
                )
            for target, amount, day in payments:
                if made:
                    PaymentFactory(
                        invoice=made[target % len(made)],
                        amount=amount,
                        booking_date=today + timedelta(days=day),
                    )
            # Another organisation's overdue invoice never counts here.
            InvoiceFactory(
                organisation=other_organisation,
                invoice_date=today - timedelta(days=90),
                due_date=today - timedelta(days=60),
            )
            clock.shift(later)
            now = timezone.now()
            assert _figures(organisation, now) == _reference(organisation, now)
            overdue = invoice_list(
                organisation=organisation, filters=InvoiceFilters(status="overdue"), now=now
            )
            assert _figures(organisation, now).overdue_count == overdue.count()
            raise Rollback
    except Rollback:
        pass


def test_the_figures_of_an_empty_account(organisation):
    figures = invoice_account_figures(organisation=organisation, now=NOW)
    assert figures == AccountFigures(
        open_balance=Decimal("0.00"),
        payments_processed_until=None,
        overdue_amount=Decimal("0.00"),
        overdue_count=0,
        next_due_date=None,
        next_due_amount=Decimal("0.00"),
        next_due_count=0,
        publish_due=False,
    )


def test_due_today_is_next_and_due_yesterday_is_overdue(organisation):
    """The day turns in Amsterdam: at 00:30 on 9 June (22:30 UTC on the 8th) an invoice due
    on the 8th is overdue and one due on the 9th is the next."""
    InvoiceFactory(
        organisation=organisation, invoice_date=date(2026, 6, 1), due_date=date(2026, 6, 8)
    )
    InvoiceFactory(
        organisation=organisation,
        invoice_date=date(2026, 6, 1),
        due_date=date(2026, 6, 9),
        amount_excl_vat=Decimal("200.00"),
    )
    figures = invoice_account_figures(
        organisation=organisation, now=datetime(2026, 6, 9, 0, 30, tzinfo=AMSTERDAM)
    )
    assert (figures.overdue_count, figures.overdue_amount) == (1, Decimal("121.00"))
    assert figures.next_due_date == date(2026, 6, 9)
    assert (figures.next_due_count, figures.next_due_amount) == (1, Decimal("242.00"))
    assert figures.open_balance == Decimal("363.00")


def test_the_figures_are_one_statement(organisation, django_assert_num_queries):
    for day in range(40):
        InvoiceFactory(
            organisation=organisation,
            invoice_date=date(2026, 1, 1) + timedelta(days=day),
            due_date=date(2026, 1, 1) + timedelta(days=day * 5),
        )
    with django_assert_num_queries(1):
        figures = invoice_account_figures(organisation=organisation, now=NOW)
    assert figures.overdue_count + figures.next_due_count > 0
