"""Today's SQL computation of the invoice figures: the reference the stored ledger is held to.

Before the ledger (``invoices/ledger.py``) the list computed every invoice's paid, credited
and open amount and its status per request, in correlated subqueries over payments and
credits. It is correct and slow, so it now only checks: the property tests and
``manage.py ledger_check`` hold the stored figures equal to what this computes.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
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
from django.utils import timezone

from accounts.models import Organisation
from invoices.models import Invoice, Payment

MONEY = DecimalField(max_digits=14, decimal_places=2)
# Half a cent: SQLite computes decimals as floating point, so "fully paid" is compared with a
# tolerance far below the smallest amount that can be invoiced.
HALF_CENT = Decimal("0.005")


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


def _credit_set_off(*, now: datetime) -> Case:
    """For a credit: its share of what the credits of the corrected invoice settle,
    ``clamp(applied - earlier credits, 0, amount)``; 0 for any other invoice."""
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
    return Case(When(kind=Invoice.Kind.CREDIT, then=share), default=ZERO, output_field=MONEY)


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
    set_off = _credit_set_off(now=now)
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


def reference_open_balance(*, organisation: Organisation, now: datetime | None = None) -> Decimal:
    """The organisation's open balance (R9) summed row by row over the computed open amounts."""
    total = invoice_annotated(organisation=organisation, now=now).aggregate(
        total=Sum("open_amount")
    )["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


# Stored column -> the reference's annotation it must equal.
COMPARED = {
    "ledger_signed": "total_amount",
    "ledger_paid": "paid_amount",
    "ledger_credited": "credited_amount",
    "ledger_set_off": "set_off_amount",
    "ledger_open": "open_amount",
    "ledger_state": "status",
    "ledger_due_at": "next_visible",
}


def _cents(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def ledger_drift(
    *, invoices: QuerySet | None = None, now: datetime | None = None
) -> list[tuple[Invoice, str, object, object]]:
    """Every stored figure that differs from what the reference computes at ``now``, as
    ``(invoice, field, stored, computed)``; empty when the ledger is right.

    *Vervallen* is not stored (it depends on the day), so the reference's overdue counts as
    the stored *open*. ``ledger_due_at`` must name the next moment one of the invoice's
    payments (in its currency) becomes visible, or the ledger would miss it.
    """
    now = now or timezone.now()
    invoices = Invoice.objects.all() if invoices is None else invoices
    next_visible = (
        Payment.objects.filter(
            invoice=OuterRef("pk"), currency=OuterRef("currency"), visible_from__gt=now
        )
        .order_by("visible_from")
        .values("visible_from")[:1]
    )
    rows = invoice_status_annotate(invoices, now=now).annotate(next_visible=Subquery(next_visible))
    drift = []
    for row in rows.order_by("pk"):
        for stored_name, computed_name in COMPARED.items():
            stored, computed = getattr(row, stored_name), getattr(row, computed_name)
            if stored_name == "ledger_state":
                computed = Invoice.Status.OPEN if computed == Invoice.Status.OVERDUE else computed
                equal = stored == computed
            elif stored_name == "ledger_due_at":
                equal = stored == computed
            else:
                stored, computed = _cents(stored), _cents(computed)
                equal = stored == computed
            if not equal:
                drift.append((row, stored_name, stored, computed))
    return drift


def invoice_count_counted() -> Coalesce:
    """An organisation's invoices counted, for ``Organisation`` rows (``OuterRef("pk")``):
    what the stored ``invoice_count`` must equal."""
    counted = (
        Invoice.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted), 0)


def invoice_count_drift(
    *, organisations: QuerySet | None = None
) -> list[tuple[Organisation, int, int]]:
    """Every organisation whose stored ``invoice_count`` differs from its invoices, as
    ``(organisation, stored, counted)``, by debtor number; empty when every count is right."""
    organisations = Organisation.objects.all() if organisations is None else organisations
    rows = (
        organisations.annotate(counted=invoice_count_counted())
        .exclude(invoice_count=F("counted"))
        .order_by("debtor_number")
    )
    return [(row, row.invoice_count, row.counted) for row in rows]
