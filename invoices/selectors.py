"""Reads of invoices and payments. Every tenant read takes the organisation it is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from invoices.models import Invoice, Payment

if TYPE_CHECKING:
    from accounts.models import Organisation

MONEY = DecimalField(max_digits=14, decimal_places=2)
# Half a cent: SQLite computes decimals as floating point, so "fully paid" is compared with a
# tolerance far below the smallest amount that can be invoiced.
HALF_CENT = Decimal("0.005")

SORTS = {
    "date": ("invoice_date", "number"),
    "-date": ("-invoice_date", "-number"),
    # By the signed amount, as shown: a credit invoice sorts below zero.
    "amount": ("total_amount", "number"),
    "-amount": ("-total_amount", "-number"),
}
DEFAULT_SORT = "-date"


@dataclass(frozen=True)
class InvoiceFilters:
    """What the list shows: every field optional, unknown values already dropped by the form."""

    query: str = ""
    kind: str = ""
    status: str = ""
    year: int | None = None
    sort: str = DEFAULT_SORT


def invoice_annotated(*, organisation: Organisation, now: datetime | None = None) -> QuerySet:
    """The organisation's invoices with ``paid_amount``, ``open_amount`` and ``status``."""
    return invoice_status_annotate(Invoice.objects.filter(organisation=organisation), now=now)


def invoice_status_annotate(invoices: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """Annotates ``paid_amount``, ``open_amount`` and ``status`` (also for staff in admin).

    Computed in SQL over the payments visible at ``now`` (R10): one correlated subquery per
    row, so the list runs the same number of queries whatever its size. A credit invoice's
    amount counts negative; a refund paid out for it is a negative payment, so the same
    formula (signed amount minus payments) serves every kind. Credit invoices are never
    overdue.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    visible_paid = (
        # Only payments in the invoice's currency: 121 dollars never pay 121 euros, whoever
        # linked them.
        Payment.objects.filter(
            invoice=OuterRef("pk"), currency=OuterRef("currency"), visible_from__lte=now
        )
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    signed = Case(
        When(kind=Invoice.Kind.CREDIT, then=-F("amount_incl_vat")),
        default=F("amount_incl_vat"),
        output_field=MONEY,
    )
    settled = Q(kind=Invoice.Kind.CREDIT, open_amount__gt=-HALF_CENT) | (
        ~Q(kind=Invoice.Kind.CREDIT) & Q(open_amount__lt=HALF_CENT)
    )
    return (
        invoices.annotate(
            paid_amount=Coalesce(
                Subquery(visible_paid, output_field=MONEY), Value(Decimal("0")), output_field=MONEY
            )
        )
        .annotate(total_amount=signed)
        .annotate(
            open_amount=ExpressionWrapper(F("total_amount") - F("paid_amount"), output_field=MONEY)
        )
        .annotate(
            status=Case(
                When(settled, then=Value(Invoice.Status.PAID)),
                When(
                    ~Q(kind=Invoice.Kind.CREDIT) & Q(due_date__lt=today),
                    then=Value(Invoice.Status.OVERDUE),
                ),
                default=Value(Invoice.Status.OPEN),
                output_field=CharField(),
            )
        )
    )


def invoice_list(
    *,
    organisation: Organisation,
    filters: InvoiceFilters | None = None,
    now: datetime | None = None,
) -> QuerySet:
    """The invoices the list shows, filtered and sorted, with the invoice each one corrects."""
    filters = filters or InvoiceFilters()
    invoices = invoice_annotated(organisation=organisation, now=now).select_related("corrects")
    if filters.query:
        invoices = invoices.filter(number__icontains=filters.query.strip())
    if filters.kind:
        invoices = invoices.filter(kind=filters.kind)
    if filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.year:
        invoices = invoices.filter(invoice_date__year=filters.year)
    return invoices.order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))


def invoice_open_balance(*, organisation: Organisation, now: datetime | None = None) -> Decimal:
    """The organisation's open balance (R9): the sum of open amounts, credits negative."""
    total = invoice_annotated(organisation=organisation, now=now).aggregate(
        total=Sum("open_amount")
    )["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def invoice_years(*, organisation: Organisation) -> list[int]:
    """The years that have invoices, newest first, for the year filter."""
    return [
        day.year
        for day in Invoice.objects.filter(organisation=organisation).dates(
            "invoice_date", "year", order="DESC"
        )
    ]


def invoice_get(*, organisation: Organisation, number: str) -> Invoice:
    """One invoice of the organisation; another organisation's or an unknown one is a 404."""
    return get_object_or_404(Invoice, organisation=organisation, number=number.upper())


def payment_unmatched_list() -> QuerySet:
    """The staff's queue: payments that name no invoice we could find (R10)."""
    return Payment.objects.filter(invoice__isnull=True).order_by("booking_date", "pk")
