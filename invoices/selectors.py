"""Reads of invoices and payments. Every tenant read takes the organisation it is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, CharField, F, Max, Min, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

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
) -> QuerySet:
    """The invoices the list shows, filtered and sorted, with the invoice each one corrects.

    Reads the stored ledger only (``invoices/ledger.py``); each filter and order has its index
    (see ``Invoice.Meta.indexes``). Call ``ledger_publish_due`` first so payments that became
    visible are in it.
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
    invoices = invoice_stored_annotate(invoices, today=today).select_related("corrects")
    return invoices.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


@dataclass(frozen=True)
class BalanceSummary:
    """What stands above the list: the open balance, and up to when payments are in it."""

    open_balance: Decimal
    # The latest moment at which imported payments became visible; None before any import.
    payments_processed_until: datetime | None


def invoice_balance_summary(
    *, organisation: Organisation, now: datetime | None = None
) -> BalanceSummary:
    """The open balance (R9) and the moment payments are processed up to, in one query.

    The balance is the sum of the stored open amounts, over the rows that have one (a partial
    index holds exactly those). The moment comes from the imports, not from the clock: the
    latest ``visible_from`` at or before ``now`` over all payments (a bank statement is
    global, so also unmatched ones and other organisations'), so weeks without a statement do
    not look up to date.
    """
    now = now or timezone.now()
    open_total = (
        Invoice.objects.filter(organisation=organisation)
        .exclude(ledger_open=0)
        .order_by()
        .values("organisation")
        .annotate(total=Sum("ledger_open"))
        .values("total")
    )
    row = (
        Organisation.objects.filter(pk=organisation.pk)
        .values(
            open=Coalesce(Subquery(open_total), Value(Decimal("0"))),
            processed=Subquery(
                Payment.objects.filter(visible_from__lte=now)
                .order_by("-visible_from")
                .values("visible_from")[:1]
            ),
        )
        .get()
    )
    return BalanceSummary(
        open_balance=Decimal(row["open"]).quantize(Decimal("0.01")),
        payments_processed_until=row["processed"],
    )


def invoice_years(*, organisation: Organisation) -> list[int]:
    """The years from the first invoice's to the last one's, newest first, for the year
    filter: two index probes (the oldest and newest date), not a scan of every invoice as a
    DISTINCT over the years would be. (Customers are invoiced every month, so a year between
    without invoices does not occur in practice; it would show an empty list.)"""
    span = Invoice.objects.filter(organisation=organisation).aggregate(
        first=Min("invoice_date"), last=Max("invoice_date")
    )
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def invoice_get(*, organisation: Organisation, number: str) -> Invoice:
    """One invoice of the organisation; another organisation's or an unknown one is a 404."""
    return get_object_or_404(
        Invoice, organisation=organisation, number=invoice_number_normalise(number)
    )
