"""The rows and sortable column headers of *Facturen*: the values they show, worked out once
per page.

The markup is ``templates/invoices/invoice_list.html``, which loops over these rows. What is
the same on every row (the kind and status labels, the date and number formats, the shape
of the download URL) is looked up once per page with the formatters and ``url_maker`` of
``core.formatters``; a row is then a dozen plain attributes for the template, where it used to
cost twenty variable lookups, four filters, a ``{% url %}`` and a ``{% blocktranslate %}``.

A column is added in the template (its header and cell), in ``InvoiceRow`` and
``invoice_rows``, and, when it needs a field the row does not read yet, in ``ROW_FIELDS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext

from core.formatters import TemplateRow, date_formatter, money_formatter, url_maker
from invoices.models import Invoice

# The columns a row reads (``QuerySet.only``): loading the other thirty, the billing address
# among them, of each invoice and of the one it corrects cost more than building the row.
ROW_FIELDS = (
    "number",
    "kind",
    "invoice_date",
    "due_date",
    "file",
    "ledger_signed",
    "ledger_open",
    "ledger_state",
    "corrects__number",
)


@dataclass(frozen=True, slots=True)
class InvoiceRow(TemplateRow):
    """One invoice as its row shows it, every value text in the active language."""

    number: str
    # The invoice's own page.
    url: str
    kind: str
    # The number of the invoice this one corrects, and its page; "" if none.
    corrects: str
    corrects_url: str
    invoice_date: str
    due_date: str
    # Amount incl. VAT and open amount, signed (a credit invoice negative), without the €.
    total: str
    open: str
    # The status and the Bootstrap class of its badge.
    status: str
    badge: str
    # The PDF's URL and the hidden words after "PDF" for screen readers; "" without a file.
    download_url: str
    download_name: str


def invoice_rows(invoices: Iterable[Invoice], *, today: date) -> list[InvoiceRow]:
    """The rows for invoices from ``invoice_list`` (``corrects`` selected, ``ROW_FIELDS``
    loaded), in the active language: the amounts and the status from the stored ledger,
    *Vervallen* as of ``today``."""
    kinds = dict(Invoice.Kind.choices)
    statuses = {status.value: (str(status.label), status.badge_class) for status in Invoice.Status}
    pdf_name = gettext("of invoice %(number)s")
    detail_url = url_maker("invoices:detail", "number", "NUMBER")
    download_url = url_maker("invoices:download", "number", "NUMBER")
    short_date = date_formatter()
    money = money_formatter()
    rows = []
    for invoice in invoices:
        number = invoice.number
        corrects = corrects_url = ""
        if invoice.corrects_id is not None:
            corrects = invoice.corrects.number
            corrects_url = detail_url(corrects)
        status, badge = statuses[invoice.ledger_status(today)]
        has_file = bool(invoice.file)
        rows.append(
            InvoiceRow(
                number=number,
                url=detail_url(number),
                kind=str(kinds[invoice.kind]),
                corrects=corrects,
                corrects_url=corrects_url,
                invoice_date=short_date(invoice.invoice_date),
                due_date=short_date(invoice.due_date),
                total=money(invoice.ledger_signed),
                open=money(invoice.ledger_open),
                status=status,
                badge=badge,
                download_url=download_url(number) if has_file else "",
                download_name=pdf_name % {"number": number} if has_file else "",
            )
        )
    return rows
