"""The rows of *Facturen*, written in Python.

The template wrote each of the 25 rows with about twenty variable lookups, two date and two
number filters, a ``{% url %}`` and a ``{% blocktranslate %}``: over half of the page's time.
Here the labels, formats and URLs are looked up once per page and each row is one
``format_html``. The markup is the template's (tests/invoices/test_rows.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import quote

from django.http import QueryDict
from django.template.defaulttags import querystring
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from invoices.models import Invoice
from portal.html import date_formatter, escape_value, format_row, money_formatter, url_maker

# The columns a row reads (``QuerySet.only``): loading the other thirty, the billing address
# among them, of each invoice and of the one it corrects cost more than writing the row.
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

_ROW = (
    '<tr data-testid="invoice-row">'
    '<td class="text-nowrap">{number}</td>'
    "<td>{kind}{corrects}</td>"
    '<td class="text-nowrap">{invoice_date}</td>'
    '<td class="text-nowrap">{due_date}</td>'
    '<td class="text-end text-nowrap">€&nbsp;{total}</td>'
    '<td class="text-end text-nowrap">€&nbsp;{open}</td>'
    '<td><span class="badge {badge}">{status}</span></td>'
    '<td class="text-end">{file}</td>'
    "</tr>"
)
_CORRECTS = '<div class="small">{label} <a href="{list_url}?q={query}">{number}</a></div>'
_PDF = (
    '<a class="btn btn-sm btn-outline-primary text-nowrap" href="{href}" download>'
    'PDF<span class="visually-hidden"> {name}</span></a>'
)
_NO_FILE = '<span class="small text-body-secondary">{}</span>'


def invoice_rows_html(invoices: Iterable[Invoice], *, today: date) -> SafeString:
    """The ``<tr>`` elements of the list for rows from ``invoice_list`` (``corrects``
    selected, ``ROW_FIELDS`` loaded), in the active language: the amounts and the status
    from the stored ledger, *Vervallen* as of ``today``."""
    # Labels escaped once per page.
    kinds = {value: escape_value(label) for value, label in Invoice.Kind.choices}
    statuses = {
        status.value: (status.badge_class, escape_value(status.label)) for status in Invoice.Status
    }
    corrects_label = gettext("corrects")
    no_file = format_html(_NO_FILE, gettext("no file yet"))
    pdf_name = gettext("of invoice %(number)s")
    list_url = reverse("invoices:list")
    download_url = url_maker("invoices:download", "number", "NUMBER")
    short_date = date_formatter()
    money = money_formatter()
    rows = []
    for invoice in invoices:
        number = invoice.number
        corrects = ""
        if invoice.corrects_id is not None:
            corrected = invoice.corrects.number
            corrects = format_row(
                _CORRECTS,
                label=corrects_label,
                list_url=list_url,
                query=quote(corrected, safe="/"),
                number=corrected,
            )
        if invoice.file:
            file = format_row(
                _PDF,
                href=download_url(number),
                name=pdf_name % {"number": number},
            )
        else:
            file = no_file
        badge, status = statuses[invoice.ledger_status(today)]
        rows.append(
            _ROW.format(
                number=escape_value(number),
                kind=kinds[invoice.kind],
                corrects=corrects,
                invoice_date=short_date(invoice.invoice_date),
                due_date=short_date(invoice.due_date),
                total=money(invoice.ledger_signed),
                open=money(invoice.ledger_open),
                badge=badge,
                status=status,
                file=file,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped or format_html


def sort_header_html(query: QueryDict, current: str, key: str, label, *, numeric=False) -> str:
    """The ``<th>`` of a sortable column: a link that sorts by it (descending first, then
    ascending), ``aria-sort`` and an arrow for the order in force; the other parameters of the
    query string kept, the page dropped."""
    descending = f"-{key}"
    if current == key:
        order, arrow, target = "ascending", " ▲", descending
    elif current == descending:
        order, arrow, target = "descending", " ▼", key
    else:
        order, arrow, target = "none", "", descending
    return format_html(
        '<th scope="col"{numeric} aria-sort="{order}"><a class="sort-link" href="{href}">'
        '{label}<span aria-hidden="true">{arrow}</span><span class="visually-hidden"> {hint}'
        "</span></a></th>",
        numeric=mark_safe(' class="text-end"') if numeric else "",  # noqa: S308 - a constant
        order=order,
        href=querystring(None, query, sort=target, page=None),
        label=label,
        arrow=arrow,
        hint=gettext("(sort)"),
    )
