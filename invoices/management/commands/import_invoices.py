"""``manage.py import_invoices DIR``: the billing system's export with its PDFs, R11."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from invoices.invoice_import import InvoiceImportError, invoice_batch_import


class Command(BaseCommand):
    help = (
        "Import invoices from a directory holding invoices.csv or invoices.json and the PDFs. "
        "Every row is checked first; the export is imported completely or not at all."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path)

    # Command output speaks one language, English, like every command here (and Django's).
    @no_translations
    def handle(self, *args, directory: Path, **options) -> None:
        try:
            report = invoice_batch_import(directory=directory)
        except InvoiceImportError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Nothing imported: {len(exc.problems)} problem(s) in {directory}."
            ) from exc
        for number in report.created:
            self.stdout.write(f"  {number}")
        self.stdout.write(
            self.style.SUCCESS(f"Imported {len(report.created)} invoices from {report.index}.")
        )
