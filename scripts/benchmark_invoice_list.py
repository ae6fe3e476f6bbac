"""``scripts/benchmark_invoice_list.py [--invoices N ...]``: times what the *Facturen* page asks
of the database, on seeded invoices that are rolled back afterwards.

Run by ``scripts/benchmark``, which makes a throwaway database; not a management command, so
it is never part of a production install's commands. It seeds an organisation
with N invoices, credits and payments in a transaction, times the list (build, count, one
page of 25) and the balance summary, and rolls everything back. Not a test: the numbers
depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

# Run as a script from the checkout: the project's packages are one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Customer, Organisation  # noqa: E402
from invoices.ledger import ledger_refresh  # noqa: E402
from invoices.models import Invoice, Payment  # noqa: E402
from invoices.paging import IndexPaginator  # noqa: E402
from invoices.selectors import InvoiceFilters, invoice_balance_summary, invoice_list  # noqa: E402

PAGE_SIZE = 25


class Rollback(Exception):
    """Leaves the seeded rows behind nowhere."""


def _seed(count: int) -> Organisation:
    customer = Customer.objects.create(name="Benchmark", csm_email="csm@benchmark.example")
    organisation = Organisation.objects.create(
        customer=customer, name="Benchmark", debtor_number=f"BENCH{count}"
    )
    invoices = Invoice.objects.bulk_create(
        Invoice(
            organisation=organisation,
            number=f"BENCH{count}-{n:06d}",
            invoice_date=date(2026, 1, 1) + timedelta(days=n % 300),
            due_date=date(2026, 1, 31) + timedelta(days=n % 300),
            amount_excl_vat=Decimal("100.00"),
            vat_amount=Decimal("21.00"),
            amount_incl_vat=Decimal("121.00"),
            billing_organisation_name="Benchmark",
        )
        for n in range(count)
    )
    # Every fifth invoice has a credit, every third a (partial) payment.
    Invoice.objects.bulk_create(
        Invoice(
            organisation=organisation,
            number=f"BENCH{count}-C{n:05d}",
            kind=Invoice.Kind.CREDIT,
            corrects=invoice,
            invoice_date=invoice.invoice_date,
            due_date=invoice.due_date,
            amount_excl_vat=Decimal("10.00"),
            vat_amount=Decimal("2.10"),
            amount_incl_vat=Decimal("12.10"),
            billing_organisation_name="Benchmark",
        )
        for n, invoice in enumerate(invoices[::5])
    )
    Payment.objects.bulk_create(
        Payment(
            bank_reference=f"BENCH{count}-P{n:06d}",
            booking_date=invoice.invoice_date,
            amount=Decimal("60.00") if n % 2 else Decimal("121.00"),
            invoice=invoice,
            visible_from=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n % 300),
        )
        for n, invoice in enumerate(invoices[::3])
    )
    # bulk_create skips the services: compute the stored ledger as they would have.
    ids = list(Invoice.objects.filter(organisation=organisation).values_list("pk", flat=True))
    for start in range(0, len(ids), 2000):
        ledger_refresh(invoice_ids=ids[start : start + 2000])
    return organisation


def _page_and_summary(organisation: Organisation, now: datetime) -> None:
    """What the view does with the database: count, one page, the balance summary."""
    invoices = invoice_list(organisation=organisation, filters=InvoiceFilters(), now=now)
    list(IndexPaginator(invoices, PAGE_SIZE).get_page(1).object_list)
    invoice_balance_summary(organisation=organisation, now=now)


def benchmark(*, invoices: list[int], repeat: int) -> None:
    vendor = connection.vendor
    for count in invoices:
        try:
            with transaction.atomic():
                organisation = _seed(count)
                now = timezone.now()
                for _ in range(5):  # warm up connection and caches
                    _page_and_summary(organisation, now)
                timings = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    _page_and_summary(organisation, now)
                    timings.append((time.perf_counter() - start) * 1000)
                with CaptureQueriesContext(connection) as queries:
                    _page_and_summary(organisation, now)
                raise Rollback
        except Rollback:
            pass
        timings.sort()
        print(  # noqa: T201
            f"{vendor}: {count} invoices (+{len(range(0, count, 5))} credits): "
            f"median {statistics.median(timings):.1f} ms, "
            f"p90 {timings[int(len(timings) * 0.9) - 1]:.1f} ms "
            f"per list + count + balance ({len(queries)} queries, {repeat} runs)"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Time the invoice list and balance summary on N seeded invoices (rolled back)."
    )
    parser.add_argument("--invoices", type=int, nargs="+", default=[30, 500])
    parser.add_argument("--repeat", type=int, default=50)
    options = parser.parse_args(argv)
    benchmark(invoices=options.invoices, repeat=options.repeat)


if __name__ == "__main__":
    main()
