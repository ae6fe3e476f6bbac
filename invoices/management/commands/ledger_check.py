"""``manage.py ledger_check [--organisation DEBTOR] [--repair]``: the stored ledger and the
organisations' stored invoice counts against the reference computation
(``invoices/reference.py``)."""

from __future__ import annotations

from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone

from accounts.models import Organisation
from invoices.ledger import invoice_count_refresh, ledger_publish_due, ledger_refresh
from invoices.models import Invoice
from invoices.reference import invoice_count_drift, ledger_drift


class Command(BaseCommand):
    help = (
        "Compare every invoice's stored paid, credited, set-off and open amount and state with "
        "the SQL reference computation, and report each organisation whose ledger drifted "
        "or whose stored invoice count differs from its invoices. With --repair, recompute "
        "the drifted invoices (and their credits) and counts, and check again. "
        "Exits with status 1 while drift remains."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", help="debtor number: check this organisation only")
        parser.add_argument("--repair", action="store_true", help="recompute what drifted")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="first bring payments that became visible into the ledger (what a read does)",
        )

    @no_translations
    def handle(self, *args, organisation: str | None, repair: bool, publish: bool, **options):
        invoices = Invoice.objects.all()
        organisations = Organisation.objects.all()
        scope = None
        if organisation:
            scope = Organisation.objects.filter(debtor_number=organisation).first()
            if scope is None:
                raise CommandError(f"No organisation with debtor number {organisation}.")
            invoices = invoices.filter(organisation=scope)
            organisations = organisations.filter(pk=scope.pk)
        now = timezone.now()
        if publish:
            ledger_publish_due(organisation=scope, now=now)
        drift = self._report(ledger_drift(invoices=invoices, now=now))
        if drift and repair:
            changed = ledger_refresh(invoice_ids={row.pk for row, *_ in drift}, now=now)
            self.stdout.write(f"Repaired: {changed} invoice(s) recomputed.")
            drift = self._report(ledger_drift(invoices=invoices, now=now))
        counts = self._report_counts(invoice_count_drift(organisations=organisations))
        if counts and repair:
            changed = invoice_count_refresh(organisation_ids=[row.pk for row, *_ in counts])
            self.stdout.write(f"Repaired: {changed} invoice count(s) recounted.")
            counts = self._report_counts(invoice_count_drift(organisations=organisations))
        if drift or counts:
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("The stored ledger equals the reference."))

    def _report(self, drift) -> list:
        per_organisation = defaultdict(list)
        for row, name, stored, computed in drift:
            per_organisation[row.organisation_id].append((row, name, stored, computed))
        names = dict(
            Organisation.objects.filter(pk__in=per_organisation).values_list("pk", "debtor_number")
        )
        for organisation_id, rows in sorted(per_organisation.items()):
            invoices = {row.pk for row, *_ in rows}
            self.stdout.write(
                f"{names[organisation_id]}: {len(invoices)} invoice(s) drifted", ending="\n"
            )
            for row, name, stored, computed in rows[:20]:
                self.stdout.write(f"  {row.number} {name}: stored {stored}, computed {computed}")
        return drift

    def _report_counts(self, drift) -> list:
        for row, stored, counted in drift:
            self.stdout.write(
                f"{row.debtor_number}: stored invoice count {stored}, counted {counted}"
            )
        return drift
