"""Reads of invoices and payments. Every tenant read takes the organisation it is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

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
from django.db.models.functions import Coalesce, Greatest, Least
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Organisation
from invoices.models import Invoice, Payment, invoice_number_normalise

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


def invoice_annotated(*, organisation: Organisation, now: datetime | None = None) -> QuerySet:
    """The organisation's invoices with ``paid_amount``, ``open_amount`` and ``status``."""
    return invoice_status_annotate(Invoice.objects.filter(organisation=organisation), now=now)


ZERO = Value(Decimal("0"), output_field=MONEY)


def _signed_amount(prefix: str = "") -> Case:
    """The amount as it counts: a credit invoice's negative."""
    return Case(
        When(**{f"{prefix}kind": Invoice.Kind.CREDIT}, then=-F(f"{prefix}amount_incl_vat")),
        default=F(f"{prefix}amount_incl_vat"),
        output_field=MONEY,
    )


def _visible_payments(invoice: OuterRef, *, now: datetime, prefix: str = "") -> Coalesce:
    """The payments on ``invoice`` that count at ``now`` (R10), in its currency only: 121
    dollars never pay 121 euros, whoever linked them."""
    total = (
        Payment.objects.filter(
            invoice=invoice, currency=OuterRef(f"{prefix}currency"), visible_from__lte=now
        )
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), ZERO, output_field=MONEY)


def _credit_total(invoice: OuterRef, *, before_this_credit: bool = False) -> Coalesce:
    """The amounts of the credit invoices correcting ``invoice``; with ``before_this_credit``
    only those that come before the current row in the set-off order (date, then pk)."""
    credits = Invoice.objects.filter(corrects=invoice, kind=Invoice.Kind.CREDIT)
    if before_this_credit:
        credits = credits.filter(
            Q(invoice_date__lt=OuterRef("invoice_date"))
            | Q(invoice_date=OuterRef("invoice_date"), pk__lt=OuterRef("pk"))
        )
    total = (
        credits.order_by().values("corrects").annotate(total=Sum("amount_incl_vat")).values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), ZERO, output_field=MONEY)


def _credits_applied(signed, paid, credits) -> Least:
    """What the credits of an invoice settle: all of them, but never more than is still open
    after its payments (the rest of a credit is owed to the customer)."""
    return Least(credits, Greatest(signed - paid, ZERO, output_field=MONEY), output_field=MONEY)


def invoice_status_annotate(invoices: QuerySet, *, now: datetime | None = None) -> QuerySet:
    """Annotates ``paid_amount``, ``credited_amount``, ``set_off_amount``, ``open_amount`` and
    ``status`` (also for staff in admin).

    Computed in SQL over the payments visible at ``now`` (R10), with correlated subqueries
    only, so the list runs the same number of queries whatever its size.

    A credit invoice is set off against the invoice it corrects: the invoice's credits settle
    what is open on it after its payments, ``applied = min(credits, max(signed - paid, 0))``,
    and each credit takes its share of that in a fixed order (invoice date, then pk):
    ``set_off = clamp(applied - earlier credits, 0, amount)``. So

    - invoice: ``open = signed - paid - credited`` (``credited`` = ``applied`` above);
    - credit: ``open = -amount + set_off - paid`` (a refund paid out is a negative payment).

    The shares add up to ``applied``, so the open balance stays exactly the signed amounts
    minus the visible payments. A credit fully set off or refunded is *settled*; one still
    open (a refund due) is *open*, never overdue.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    signed = _signed_amount()
    paid = _visible_payments(OuterRef("pk"), now=now)
    credited = _credits_applied(signed, paid, _credit_total(OuterRef("pk")))
    # For a credit: its share of what the credits of the corrected invoice settle.
    corrected_applied = _credits_applied(
        _signed_amount("corrects__"),
        _visible_payments(OuterRef("corrects"), now=now, prefix="corrects__"),
        _credit_total(OuterRef("corrects")),
    )
    share = Greatest(
        Least(
            corrected_applied - _credit_total(OuterRef("corrects"), before_this_credit=True),
            F("amount_incl_vat"),
            output_field=MONEY,
        ),
        ZERO,
        output_field=MONEY,
    )
    set_off = Case(When(kind=Invoice.Kind.CREDIT, then=share), default=ZERO, output_field=MONEY)
    is_credit = Q(kind=Invoice.Kind.CREDIT)
    return (
        invoices.annotate(paid_amount=paid, credited_amount=credited, set_off_amount=set_off)
        .annotate(total_amount=signed)
        .annotate(
            open_amount=ExpressionWrapper(
                F("total_amount") - F("paid_amount") - F("credited_amount") + F("set_off_amount"),
                output_field=MONEY,
            )
        )
        .annotate(
            status=Case(
                When(is_credit & Q(open_amount__gt=-HALF_CENT), then=Value(Invoice.Status.SETTLED)),
                When(is_credit, then=Value(Invoice.Status.OPEN)),
                When(open_amount__lt=HALF_CENT, then=Value(Invoice.Status.PAID)),
                When(due_date__lt=today, then=Value(Invoice.Status.OVERDUE)),
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
    if filters.status == STATUS_UNPAID:
        invoices = invoices.filter(status__in=UNPAID_STATUSES)
    elif filters.status:
        invoices = invoices.filter(status=filters.status)
    if filters.year:
        invoices = invoices.filter(invoice_date__year=filters.year)
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

    The balance is the sum of the open amounts. Setting credits off only moves amounts between
    an invoice and its credits (see :func:`invoice_status_annotate`), so that sum is exactly
    the signed amounts minus the payments visible at ``now`` in each invoice's currency: two
    plain sums, far cheaper to build and run than summing every row's open amount
    (``tests/invoices/reference.py`` does that; the tests hold the two equal).

    The moment comes from the imports, not from the clock: the latest ``visible_from`` at or
    before ``now`` over all payments (a bank statement is global, so also unmatched ones and
    other organisations'), so weeks without a statement do not look up to date.
    """
    now = now or timezone.now()
    signed_total = (
        Invoice.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(total=Sum(_signed_amount()))
        .values("total")
    )
    paid_total = (
        Payment.objects.filter(
            invoice__organisation=OuterRef("pk"),
            currency=F("invoice__currency"),
            visible_from__lte=now,
        )
        .order_by()
        .values("invoice__organisation")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    last_visible = (
        Payment.objects.filter(visible_from__lte=now)
        .order_by("-visible_from")
        .values("visible_from")[:1]
    )
    row = (
        Organisation.objects.filter(pk=organisation.pk)
        .values(
            signed=Coalesce(Subquery(signed_total, output_field=MONEY), ZERO),
            paid=Coalesce(Subquery(paid_total, output_field=MONEY), ZERO),
            processed=Subquery(last_visible),
        )
        .get()
    )
    return BalanceSummary(
        open_balance=(Decimal(row["signed"]) - Decimal(row["paid"])).quantize(Decimal("0.01")),
        payments_processed_until=row["processed"],
    )


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
    return get_object_or_404(
        Invoice, organisation=organisation, number=invoice_number_normalise(number)
    )
