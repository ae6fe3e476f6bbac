"""``manage.py import_payments FILE [FILE ...]``: bank statements (CAMT.053 or CSV), R10."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from invoices.services import payment_statement_import
from invoices.statements import StatementError


class Command(BaseCommand):
    help = (
        "Import bank statements (CAMT.053 XML or CSV with date, amount, reference, name, iban, "
        "remittance). Each file is imported in one transaction; a file imported before adds "
        "nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", type=Path)

    # Command output speaks one language, English, like every command here (and Django's).
    @no_translations
    def handle(self, *args, files: list[Path], **options) -> None:
        failed = []
        for path in files:
            if not path.is_file():
                failed.append(f"{path}: not a file")
                continue
            try:
                result = payment_statement_import(file_name=path.name, content=path.read_bytes())
            except StatementError as exc:
                failed.append(f"{path.name}: {exc}")
                self.stderr.write(self.style.ERROR(f"{path.name}: nothing imported. {exc}"))
                continue
            style = self.style.WARNING if result.duplicate_file else self.style.SUCCESS
            self.stdout.write(style(result.summary()))
        if failed:
            raise CommandError("Not imported: " + "; ".join(failed))
