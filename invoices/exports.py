"""Files built from a list of invoices: the views answer the request, this builds the files."""

from __future__ import annotations

import tempfile
import zipfile
from typing import IO, TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import get_language, gettext

from portal.csv_export import csv_response

if TYPE_CHECKING:
    from decimal import Decimal

    from django.db.models import QuerySet
    from django.http import StreamingHttpResponse

    from accounts.models import Organisation

# A ZIP stays in memory while small and goes to a temporary file for a large batch.
ZIP_MEMORY_LIMIT = 10 * 1024 * 1024


def _money(value: Decimal) -> str:
    # Dutch spreadsheets read a decimal comma; the separator follows the interface language.
    text = f"{value:.2f}"
    return text.replace(".", ",") if get_language() == "nl" else text


def invoice_list_csv(*, invoices: QuerySet, organisation: Organisation) -> StreamingHttpResponse:
    """The list as CSV with the list's columns, streamed row by row. Every cell is the
    portal's own (numbers, dates, amounts, labels), so none is free text to escape."""
    header = [
        gettext("Number"),
        gettext("Type"),
        gettext("Invoice date"),
        gettext("Due date"),
        gettext("Amount incl. VAT"),
        gettext("Open amount"),
        gettext("Status"),
        gettext("Corrects"),
    ]
    rows = (
        [
            invoice.number,
            invoice.get_kind_display(),
            invoice.invoice_date.isoformat(),
            invoice.due_date.isoformat(),
            _money(invoice.signed_amount),
            _money(invoice.open_amount),
            invoice.status_choice.label,
            invoice.corrects.number if invoice.corrects_id else "",
        ]
        for invoice in invoices.iterator(chunk_size=500)
    )
    stamp = timezone.localdate().isoformat()
    name = f"{gettext('invoices')}-{organisation.debtor_number}-{stamp}.csv"
    return csv_response(filename=name, header=header, rows=rows)


def invoice_pdfs_zip(*, invoices: QuerySet) -> IO[bytes]:
    """The PDFs of the invoices that have one, as ``<number>.pdf`` in a ZIP, read from the
    start. A file lost from storage is left out: the others still download."""
    buffer = tempfile.SpooledTemporaryFile(max_size=ZIP_MEMORY_LIMIT)  # noqa: SIM115
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices.exclude(file="").select_related(None).only("number", "file"):
            try:
                with invoice.file.open("rb") as handle:
                    archive.writestr(f"{invoice.number}.pdf", handle.read())
            except FileNotFoundError:
                continue
    buffer.seek(0)
    return buffer
