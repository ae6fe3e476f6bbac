"""The stored ledger: each invoice's visible paid amount, credit set-off, open amount and
settled state, kept as data by the services that change them.

Billing systems keep an invoice's balance as data and recompute it to find drift; so does the
portal. The figures of an invoice depend on its own payments, on the credit invoices that
correct it, and, for a credit invoice, on the invoice it corrects (its share of the set-off).
So what is recomputed is a *family*: an invoice and the credits correcting it. Every service
that changes a figure calls :func:`ledger_refresh` with the invoices it touched, in its own
transaction:

- a payment imported, linked or (for a chargeback) reversed: its invoice;
- an invoice created: the invoice, and the invoice it corrects (a credit changes the set-off
  of every credit of that invoice);
- a payment becoming visible (R10): :func:`ledger_publish_due`, which the read paths call.

:func:`ledger_refresh` locks the rows it rewrites (``SELECT … FOR UPDATE``, in primary-key
order, one statement) before it reads the payments, so two imports paying the same invoice
at the same moment queue up and the second one sees the first one's payments: no update is
lost. The arithmetic is the reference's (``invoices/reference.py``, today's SQL), line for
line, in exact decimals.

The figures are those at ``now``: a payment whose ``visible_from`` is later is not in
``ledger_paid`` yet, and the invoice's ``ledger_due_at`` says when it will be. Reads call
:func:`ledger_publish_due` first, one indexed query when nothing has come due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Min, Q, Sum
from django.utils import timezone

from accounts.models import Organisation
from invoices.models import Invoice, LedgerState, Payment
from invoices.reference import invoice_count_counted

ZERO = Decimal("0.00")
HALF_CENT = Decimal("0.005")
CENT = Decimal("0.01")
LEDGER_FIELDS = (
    "ledger_signed",
    "ledger_paid",
    "ledger_credited",
    "ledger_set_off",
    "ledger_open",
    "ledger_state",
    "ledger_due_at",
)
# How many invoices one publishing round rewrites; the rest follow in the next round.
PUBLISH_BATCH = 500


@dataclass(frozen=True)
class Figures:
    """What the ledger stores for one invoice."""

    signed: Decimal
    paid: Decimal
    credited: Decimal
    set_off: Decimal
    open: Decimal
    state: str
    due_at: datetime | None

    def as_fields(self) -> dict:
        return {
            "ledger_signed": self.signed,
            "ledger_paid": self.paid,
            "ledger_credited": self.credited,
            "ledger_set_off": self.set_off,
            "ledger_open": self.open,
            "ledger_state": self.state,
            "ledger_due_at": self.due_at,
        }


def _signed(row: dict) -> Decimal:
    amount = Decimal(row["amount_incl_vat"])
    return -amount if row["kind"] == Invoice.Kind.CREDIT else amount


def _applied(signed: Decimal, paid: Decimal, credits: Decimal) -> Decimal:
    """What the credits of an invoice settle: all of them, never more than is open after its
    payments (``_credits_applied`` in the reference)."""
    return min(credits, max(signed - paid, ZERO))


def state_of(*, kind: str, open_amount: Decimal) -> str:
    """Settled or not, as the reference decides it: a credit is settled once nothing is owed
    to the customer; anything else is paid once nothing is owed to the vendor."""
    if kind == Invoice.Kind.CREDIT:
        return LedgerState.SETTLED if open_amount > -HALF_CENT else LedgerState.OPEN
    return LedgerState.PAID if open_amount < HALF_CENT else LedgerState.OPEN


def figures_compute(
    *, ids: Iterable[int], now: datetime, invoice_model=Invoice, payment_model=Payment
) -> dict[int, Figures]:
    """The figures of ``ids`` at ``now``, read from the invoices, their credits and their
    payments in four queries whatever their number. (A migration passes its historical
    models, which know the fields but not ``Invoice.Kind``: kinds are compared with this
    module's ``Invoice.Kind``.)"""
    ids = set(ids)
    if not ids:
        return {}
    rows = _invoice_rows(invoice_model, ids)
    credits = _credits_of(invoice_model, rows)
    paid, due = _payments_of(payment_model, rows, now=now)

    def applied(pk: int) -> Decimal:
        credit_total = sum((Decimal(c["amount_incl_vat"]) for c in credits[pk]), ZERO)
        return _applied(_signed(rows[pk]), paid[pk], credit_total)

    result: dict[int, Figures] = {}
    for pk in ids:
        row = rows[pk]
        signed = _signed(row)
        credited = applied(pk)
        set_off = ZERO
        if row["kind"] == Invoice.Kind.CREDIT:
            # Its share of what the corrected invoice's credits settle, after earlier credits.
            key = (row["invoice_date"], pk)
            before = sum(
                (
                    Decimal(c["amount_incl_vat"])
                    for c in credits[row["corrects_id"]]
                    if (c["invoice_date"], c["pk"]) < key
                ),
                ZERO,
            )
            amount = Decimal(row["amount_incl_vat"])
            set_off = max(min(applied(row["corrects_id"]) - before, amount), ZERO)
        open_amount = signed - paid[pk] - credited + set_off
        result[pk] = Figures(
            signed=signed.quantize(CENT),
            paid=paid[pk].quantize(CENT),
            credited=credited.quantize(CENT),
            set_off=set_off.quantize(CENT),
            open=open_amount.quantize(CENT),
            state=state_of(kind=row["kind"], open_amount=open_amount),
            due_at=due.get(pk),
        )
    return result


def _invoice_rows(invoice_model, ids: set[int]) -> dict[int, dict]:
    """The invoices of ``ids`` and the invoices their credits correct, by primary key."""
    fields = ("pk", "kind", "amount_incl_vat", "currency", "corrects_id", "invoice_date")
    rows = {row["pk"]: row for row in invoice_model.objects.filter(pk__in=ids).values(*fields)}
    corrected_ids = {
        row["corrects_id"]
        for row in rows.values()
        if row["kind"] == Invoice.Kind.CREDIT and row["corrects_id"] not in rows
    }
    rows.update(
        (row["pk"], row)
        for row in invoice_model.objects.filter(pk__in=corrected_ids).values(*fields)
    )
    return rows


def _credits_of(invoice_model, rows: dict[int, dict]) -> dict[int, list[dict]]:
    """The credits correcting any of ``rows``, per corrected invoice, in the set-off order
    (invoice date, then pk)."""
    credits: dict[int, list[dict]] = defaultdict(list)
    for credit in (
        invoice_model.objects.filter(corrects__in=rows.keys(), kind=Invoice.Kind.CREDIT)
        .order_by("invoice_date", "pk")
        .values("pk", "corrects_id", "amount_incl_vat", "invoice_date")
    ):
        credits[credit["corrects_id"]].append(credit)
    return credits


def _payments_of(
    payment_model, rows: dict[int, dict], *, now: datetime
) -> tuple[dict[int, Decimal], dict[int, datetime]]:
    """Per invoice of ``rows``: the sum of its payments visible at ``now`` in its currency,
    and when the next one becomes visible."""
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    due: dict[int, datetime] = {}
    for total in (
        payment_model.objects.filter(invoice__in=rows.keys())
        .order_by()
        .values("invoice_id", "currency")
        .annotate(
            visible=Sum("amount", filter=Q(visible_from__lte=now)),
            next_due=Min("visible_from", filter=Q(visible_from__gt=now)),
        )
    ):
        row = rows[total["invoice_id"]]
        if total["currency"] != row["currency"]:
            continue  # 121 dollars never pay 121 euros, whoever linked them
        if total["visible"] is not None:
            paid[row["pk"]] = Decimal(total["visible"])
        if total["next_due"] is not None:
            due[row["pk"]] = total["next_due"]
    return paid, due


def _family(ids: set[int]) -> set[int]:
    """The invoices whose figures depend on those of ``ids``: themselves and their credits."""
    credits = Invoice.objects.filter(corrects__in=ids, kind=Invoice.Kind.CREDIT).values_list(
        "pk", flat=True
    )
    return ids | set(credits)


def _stored(invoice: Invoice) -> Figures:
    return Figures(
        signed=invoice.ledger_signed,
        paid=invoice.ledger_paid,
        credited=invoice.ledger_credited,
        set_off=invoice.ledger_set_off,
        open=invoice.ledger_open,
        state=invoice.ledger_state,
        due_at=invoice.ledger_due_at,
    )


def _write(locked: list[Invoice], figures: dict[int, Figures]) -> int:
    changed = []
    for invoice in locked:
        new = figures[invoice.pk]
        if _stored(invoice) != new:
            for name, value in new.as_fields().items():
                setattr(invoice, name, value)
            changed.append(invoice)
    if changed and connection.vendor == "postgresql" and len(changed) > 50:
        _write_values(changed)
    elif changed:
        # QuerySet.update, not save(): an invoice's own fields never change (Invoice.save).
        Invoice.objects.bulk_update(changed, LEDGER_FIELDS, batch_size=500)
    return len(changed)


def _write_values(changed: list[Invoice]) -> None:
    """Many rows at once on PostgreSQL: one ``UPDATE … FROM (VALUES …)`` per thousand rows,
    where ``bulk_update``'s CASE per field grows with the square of the batch (a migration or
    a repair of a large organisation)."""
    table = Invoice._meta.db_table
    columns = ", ".join(LEDGER_FIELDS)
    assignments = ", ".join(f"{name} = v.{name}" for name in LEDGER_FIELDS)
    casts = (
        "%s::bigint, %s::numeric, %s::numeric, %s::numeric, %s::numeric, %s::numeric, "
        "%s::varchar, %s::timestamptz"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(changed), 1000):
            batch = changed[start : start + 1000]
            values = ", ".join(f"({casts})" for _ in batch)
            params = [
                value
                for invoice in batch
                for value in (invoice.pk, *(getattr(invoice, name) for name in LEDGER_FIELDS))
            ]
            cursor.execute(
                f"UPDATE {table} AS i SET {assignments} "  # noqa: S608 (names are ours)
                f"FROM (VALUES {values}) AS v(id, {columns}) WHERE i.id = v.id",
                params,
            )


@transaction.atomic
def ledger_refresh(*, invoice_ids: Iterable[int], now: datetime | None = None) -> int:
    """Recomputes and stores the figures of the given invoices and of the credits correcting
    them, under row locks; returns how many rows changed.

    Called inside the transaction of the change that caused it (nested atomic: a savepoint).
    """
    now = now or timezone.now()
    ids = {pk for pk in invoice_ids if pk is not None}
    if not ids:
        return 0
    family = _family(ids)
    # Also lock the invoices a credit of the family corrects: its share is read from them.
    corrected = set(
        Invoice.objects.filter(pk__in=family, kind=Invoice.Kind.CREDIT).values_list(
            "corrects_id", flat=True
        )
    )
    locked = list(
        Invoice.objects.select_for_update()
        .filter(pk__in=family | corrected)
        .order_by("pk")
        .only("pk", *LEDGER_FIELDS)
    )
    targets = [invoice for invoice in locked if invoice.pk in family]
    return _write(targets, figures_compute(ids=family, now=now))


def ledger_publish_due(*, organisation=None, now: datetime | None = None) -> int:
    """Brings payments that became visible (R10) into the ledger; returns how many invoices
    it rewrote. One indexed query when nothing has come due, so every read can call it.

    With ``organisation``, only its invoices (the portal's pages); without, all (admin, the
    periodic command).
    """
    now = now or timezone.now()
    due = Invoice.objects.filter(ledger_due_at__lte=now)
    if organisation is not None:
        due = due.filter(organisation=organisation)
    total = 0
    while True:
        ids = list(due.order_by("ledger_due_at").values_list("pk", flat=True)[:PUBLISH_BATCH])
        if not ids:
            return total
        total += ledger_refresh(invoice_ids=ids, now=now)


@transaction.atomic
def invoice_count_refresh(*, organisation_ids: Iterable[int]) -> int:
    """Recounts the stored ``invoice_count`` of the given organisations (the triggers of
    migration invoices/0007 keep it; this repairs a drift); returns how many rows it wrote.

    The organisation rows are locked first, in id order, and counted in the next statement:
    an insert whose trigger raised a count before the lock has committed by then and is
    counted; a later one waits for the lock and adds to the recount. No invoice is lost or
    counted twice.
    """
    ids = sorted({pk for pk in organisation_ids if pk is not None})
    organisations = Organisation.objects.filter(pk__in=ids)
    list(organisations.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
    return organisations.update(invoice_count=invoice_count_counted())
