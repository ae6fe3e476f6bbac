"""Files built from a list of invoices: the views answer the request, this builds the files."""

from __future__ import annotations

import tempfile
import zipfile
from typing import IO, TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext

from core.csv_export import csv_response

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import StreamingHttpResponse

    from accounts.models import Organisation

# A ZIP stays in memory while small and goes to a temporary file for a large batch.
ZIP_MEMORY_LIMIT = 10 * 1024 * 1024


def invoice_list_csv(*, invoices: QuerySet, organisation: Organisation) -> StreamingHttpResponse:
    """The list as CSV with the list's columns, streamed in chunks. Amounts are written as
    numbers (``Decimal``, a credit's amount negative) and dates as dates; the rest is text
    that the writer (``core.csv_export``) guards, though the portal wrote it: invoice
    numbers and labels.

    The rows are read as tuples (no model instances) and the labels and the money format are
    looked up once per download, not once per row: 22,000 rows take well under a second."""
    from invoices.models import Invoice

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
    kinds = {value: str(label) for value, label in Invoice.Kind.choices}
    statuses = {value: str(label) for value, label in Invoice.Status.choices}
    credit = Invoice.Kind.CREDIT
    values = invoices.values_list(
        "number",
        "kind",
        "invoice_date",
        "due_date",
        "amount_incl_vat",
        "open_amount",
        "status",
        "corrects__number",
    )
    rows = (
        (
            number,
            kinds[kind],
            invoice_date,
            due_date,
            -amount if kind == credit else amount,
            open_amount,
            statuses[status],
            corrects or "",
        )
        for number, kind, invoice_date, due_date, amount, open_amount, status, corrects in (
            values.iterator(chunk_size=2000)
        )
    )
    name = [gettext("invoices"), organisation.debtor_number, timezone.localdate()]
    return csv_response(name=name, header=header, rows=rows)


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
