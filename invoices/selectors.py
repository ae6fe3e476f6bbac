"""Reads of invoices and payments. Every tenant read takes the organisation it is about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Organisation
from invoices.models import Invoice, LedgerState, Payment, invoice_number_normalise

SORTS = {
    "date": ("invoice_date", "number"),
    "-date": ("-invoice_date", "-number"),
    # By the signed amount, as shown: a credit invoice sorts below zero.
    "amount": ("ledger_signed", "number"),
    "-amount": ("-ledger_signed", "-number"),
}
DEFAULT_SORT = "-date"
# A filter choice beside the statuses: what a customer still has to pay, due or not.
STATUS_UNPAID = "unpaid"
UNPAID_STATUSES = (Invoice.Status.OPEN, Invoice.Status.OVERDUE)


@dataclass(frozen=True)
class InvoiceFilters:
    """What the list shows: every field optional, unknown values already dropped by the form."""

    query: str = ""
    kind: str = ""
    status: str = ""
    year: int | None = None
    sort: str = DEFAULT_SORT


def _overdue(today) -> Q:
    return Q(ledger_state=LedgerState.OPEN, due_date__lt=today) & ~Q(kind=Invoice.Kind.CREDIT)


def invoice_status_filter(status: str, *, today) -> Q:
    """The rows of a status (or *unpaid*), as conditions on stored columns the indexes hold."""
    if status == STATUS_UNPAID:
        return Q(ledger_state=LedgerState.OPEN)
    if status == Invoice.Status.OVERDUE:
        return _overdue(today)
    if status == Invoice.Status.OPEN:
        return Q(ledger_state=LedgerState.OPEN) & ~_overdue(today)
    return Q(ledger_state=status)


def invoice_stored_annotate(invoices: QuerySet, *, today) -> QuerySet:
    """The stored ledger under the names the pages use: ``total_amount``, ``paid_amount``,
    ``open_amount`` and ``status`` (*Vervallen* is an open invoice past its due date today)."""
    return invoices.annotate(
        total_amount=F("ledger_signed"),
        paid_amount=F("ledger_paid"),
        open_amount=F("ledger_open"),
        status=Case(
            When(_overdue(today), then=Value(Invoice.Status.OVERDUE)),
            default=F("ledger_state"),
            output_field=CharField(),
        ),
    )


def invoice_list(
    *,
    organisation: Organisation,
    filters: InvoiceFilters | None = None,
    now: datetime | None = None,
    annotated: bool = True,
) -> QuerySet:
    """The invoices the list shows, filtered and sorted, with the invoice each one corrects.

    Reads the stored ledger only (``invoices/ledger.py``); each filter and order has its index
    (see ``Invoice.Meta.indexes``). Call ``ledger_publish_due`` first so payments that became
    visible are in it. ``annotated``: with the ledger under the names the exports use
    (``invoice_stored_annotate``); the list's rows read the stored fields themselves.
    """
    filters = filters or InvoiceFilters()
    today = timezone.localdate(now or timezone.now())
    invoices = Invoice.objects.filter(organisation=organisation)
    if filters.query:
        # Numbers are stored in capitals: a plain LIKE, which the trigram index answers.
        invoices = invoices.filter(number__contains=invoice_number_normalise(filters.query))
    if filters.kind:
        invoices = invoices.filter(kind=filters.kind)
    if filters.status:
        invoices = invoices.filter(invoice_status_filter(filters.status, today=today))
    if filters.year:
        invoices = invoices.filter(invoice_date__year=filters.year)
    if annotated:
        invoices = invoice_stored_annotate(invoices, today=today)
    return invoices.select_related("corrects").order_by(
        *SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    )


@dataclass(frozen=True)
class BalanceSummary:
    """What stands above the list: the open balance, up to when payments are in it, and the
    years the year filter offers."""

    open_balance: Decimal
    # The latest moment at which imported payments became visible; None before any import.
    payments_processed_until: datetime | None
    # From the newest invoice's year to the oldest one's: the choices of the year filter.
    years: list[int] = field(default_factory=list)
    # Payments of this organisation have come due (R10) and are not in the ledger yet: call
    # ``ledger_publish_due`` and read the summary again.
    publish_due: bool = False


def invoice_balance_summary(
    *, organisation: Organisation, now: datetime | None = None
) -> BalanceSummary:
    """The open balance (R9), the moment payments are processed up to, the years of the
    invoices and whether payments are waiting to be published: one query of index probes.

    The balance is the sum of the stored open amounts, over the rows that have one (a partial
    index holds exactly those). The moment comes from the imports, not from the clock: the
    latest ``visible_from`` at or before ``now`` over all payments (a bank statement is
    global, so also unmatched ones and other organisations'), so weeks without a statement do
    not look up to date. The years come from the oldest and the newest invoice date (two
    index probes, not a DISTINCT over every invoice; ``invoice_year_span``).
    """
    now = now or timezone.now()
    # Written as SQL: the ORM took about 2 ms to build these five subqueries on every request
    # of *Facturen*, three times what the database takes to answer them.
    with connection.cursor() as cursor:
        cursor.execute(
            _SUMMARY_SQL,
            {"organisation": organisation.pk, "now": _db_datetime(now)},
        )
        open_balance, processed, first, last, due = cursor.fetchone()
    years = invoice_year_span(first, last)
    return BalanceSummary(
        open_balance=Decimal(str(open_balance or 0)).quantize(Decimal("0.01")),
        payments_processed_until=_datetime_from_db(processed),
        years=years,
        publish_due=bool(due),
    )


def invoice_year_span(first, last) -> list[int]:
    """The years of the year filter, newest first, from the oldest and the newest invoice
    date (a date, or its ISO text from raw SQL on SQLite); none without invoices. Customers
    are invoiced every month, so a year between without invoices does not occur in practice.
    """
    if first is None:
        return []
    return list(range(int(str(last)[:4]), int(str(first)[:4]) - 1, -1))


def invoice_years_all() -> list[int]:
    """The years of every organisation's invoices (the admin's list), newest first: the
    oldest and the newest invoice date, two probes of ``invoice_date_idx``."""
    dates = Invoice.objects.order_by("invoice_date").values_list("invoice_date", flat=True)
    return invoice_year_span(dates.first(), dates.last())


_INVOICES = Invoice._meta.db_table
_PAYMENTS = Payment._meta.db_table
# Each subquery is answered from an index: the partial index of open amounts, the payments'
# visible_from, the organisation's invoice dates (both ends) and its payments coming due.
_SUMMARY_SQL = f"""
SELECT
  (SELECT SUM(ledger_open) FROM {_INVOICES}
    WHERE organisation_id = %(organisation)s AND ledger_open <> 0),
  (SELECT visible_from FROM {_PAYMENTS}
    WHERE visible_from <= %(now)s ORDER BY visible_from DESC LIMIT 1),
  (SELECT invoice_date FROM {_INVOICES}
    WHERE organisation_id = %(organisation)s ORDER BY invoice_date LIMIT 1),
  (SELECT invoice_date FROM {_INVOICES}
    WHERE organisation_id = %(organisation)s ORDER BY invoice_date DESC LIMIT 1),
  EXISTS (SELECT 1 FROM {_INVOICES}
    WHERE organisation_id = %(organisation)s AND ledger_due_at <= %(now)s)
"""  # noqa: S608 - table names from the models; every value is a parameter


def _db_datetime(value: datetime):
    """A datetime as the database backend takes it as a parameter (text in UTC on SQLite)."""
    return connection.ops.adapt_datetimefield_value(value)


def _datetime_from_db(value) -> datetime | None:
    """A datetime column as raw SQL returns it: aware on PostgreSQL; naive UTC on SQLite (a
    datetime, or its text where the column's type is not declared)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


def invoice_get(*, organisation: Organisation, number: str) -> Invoice:
    """One invoice of the organisation; another organisation's or an unknown one is a 404."""
    return get_object_or_404(
        Invoice, organisation=organisation, number=invoice_number_normalise(number)
    )


def invoice_get_with_corrected(*, organisation: Organisation, number: str) -> Invoice:
    """``invoice_get`` with the invoice it corrects, for the invoice's page: one query."""
    return get_object_or_404(
        Invoice.objects.select_related("corrects"),
        organisation=organisation,
        number=invoice_number_normalise(number),
    )


def invoice_corrections(*, invoice: Invoice) -> list[Invoice]:
    """The credit and correction invoices that correct ``invoice``, in the order the ledger
    sets credits off (invoice date, then creation)."""
    return list(
        Invoice.objects.filter(organisation_id=invoice.organisation_id, corrects=invoice).order_by(
            "invoice_date", "pk"
        )
    )


def invoice_payments_visible(*, invoice: Invoice, now: datetime) -> list[Payment]:
    """The payments of ``invoice`` that count at ``now`` (R10) in its currency: those in its
    stored ``ledger_paid``, oldest booking first."""
    return list(
        Payment.objects.filter(
            invoice=invoice, currency=invoice.currency, visible_from__lte=now
        ).order_by("booking_date", "pk")
    )
