"""The *Facturen* section: list, open balance, an invoice's page, PDF and ZIP downloads, CSV
export (R7-R9)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import organisation_required
from core.downloads import file_download
from core.formatters import money_formatter, select_options, url_maker
from core.sorting import sort_header
from invoices.detail import invoice_detail
from invoices.exports import invoice_list_csv, invoice_pdfs_zip
from invoices.forms import InvoiceFilterForm
from invoices.ledger import ledger_publish_due
from invoices.paging import IndexPaginator
from invoices.payment_instructions import payment_instructions
from invoices.rows import ROW_FIELDS, invoice_rows
from invoices.selectors import (
    invoice_balance_summary,
    invoice_corrections,
    invoice_get,
    invoice_get_with_corrected,
    invoice_list,
    invoice_payments_visible,
)

PAGE_SIZE = 25


def _zip_limit() -> int:
    return getattr(settings, "INVOICE_ZIP_MAX_FILES", 100)


def _filtered(request: HttpRequest, now=None, *, annotated: bool = True):
    """The filter form, the filters in force, the filtered list and the summary above it.

    Payments that became visible (R10) enter the ledger before it is read: the summary's one
    query says whether any have come due, and only then are they published and the summary
    read again."""
    now = now or timezone.now()
    organisation = request.organisation
    summary = invoice_balance_summary(organisation=organisation, now=now)
    if summary.publish_due:
        ledger_publish_due(organisation=organisation, now=now)
        summary = invoice_balance_summary(organisation=organisation, now=now)
    form = InvoiceFilterForm(request.GET, years=summary.years)
    filters = form.filters()
    invoices = invoice_list(
        organisation=organisation, filters=filters, now=now, annotated=annotated
    )
    return form, filters, invoices, summary


@require_GET
@organisation_required
def invoice_list_view(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form, filters, invoices, summary = _filtered(request, now, annotated=False)
    filtered = any([filters.query, filters.kind, filters.status, filters.year])
    # Unfiltered, the list is every invoice of the organisation, which the organisation row
    # (loaded by the middleware) counts: no COUNT(*). A filtered list is counted.
    count = None if filtered else request.organisation.invoice_count
    page = IndexPaginator(invoices.only(*ROW_FIELDS), PAGE_SIZE, count=count).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "invoices/invoice_list.html",
        {
            # The bound form gives the labels and choices; ``filters`` the values in force.
            "form": form,
            "filters": filters,
            "kind_options": select_options(form.fields["kind"].choices, filters.kind),
            "status_options": select_options(form.fields["status"].choices, filters.status),
            "year_options": select_options(form.fields["year"].choices, filters.year or ""),
            "rows": invoice_rows(page.object_list, today=timezone.localdate(now)),
            "sort_by_date": sort_header(
                request.GET, filters.sort, "date", _("Invoice date"), descending_first=True
            ),
            "sort_by_amount": sort_header(
                request.GET,
                filters.sort,
                "amount",
                _("Amount incl. VAT"),
                numeric=True,
                descending_first=True,
            ),
            "filtered": filtered,
            "page": page,
            "summary": summary,
            "zip_limit": _zip_limit(),
        },
    )


@require_GET
@organisation_required
def invoice_detail_view(request: HttpRequest, number: str) -> HttpResponse:
    """An invoice's page: its fields, the address printed on it, related invoices, the lines
    to its open amount and, while it is open, how to pay it. Foreign or unknown: 404."""
    now = timezone.now()
    organisation = request.organisation
    # Payments that became visible (R10) enter the ledger first, as on Facturen.
    ledger_publish_due(organisation=organisation, now=now)
    invoice = invoice_get_with_corrected(organisation=organisation, number=number)
    detail = invoice_detail(
        invoice,
        corrections=invoice_corrections(invoice=invoice),
        payments=invoice_payments_visible(invoice=invoice, now=now),
        today=timezone.localdate(now),
        download=url_maker("invoices:download", "number", "NUMBER"),
    )
    return render(
        request,
        "invoices/invoice_detail.html",
        {
            "invoice": detail,
            "payment": payment_instructions(invoice, money=money_formatter()),
        },
    )


@require_GET
@organisation_required
def invoice_download(request: HttpRequest, number: str) -> FileResponse:
    """The invoice's PDF, named after its number (R8). Foreign or missing: 404."""
    invoice = invoice_get(organisation=request.organisation, number=number)
    if not invoice.file:
        raise Http404(_("This invoice has no file."))
    try:
        handle = invoice.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This invoice has no file.")) from None
    return file_download(handle, invoice.number, extension="pdf", content_type="application/pdf")


@require_GET
@organisation_required
def invoice_download_zip(request: HttpRequest) -> HttpResponse:
    """A ZIP of the PDFs of the invoices the current filter shows, at most a bounded number."""
    _form, _filters, invoices, _summary = _filtered(request)
    back = f"{reverse('invoices:list')}?{request.GET.urlencode()}"
    with_files = invoices.exclude(file="")
    count = with_files.count()
    limit = _zip_limit()
    if count == 0:
        messages.info(request, _("None of the invoices shown has a file to download."))
        return redirect(back)
    if count > limit:
        messages.error(
            request,
            _("A ZIP holds at most %(limit)s invoices; narrow the filter (for example by year).")
            % {"limit": limit},
        )
        return redirect(back)
    buffer = invoice_pdfs_zip(invoices=with_files)
    return file_download(
        buffer,
        _("invoices"),
        request.organisation.debtor_number,
        extension="zip",
        content_type="application/zip",
    )


@require_GET
@organisation_required
def invoice_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV with the list's columns."""
    _form, _filters, invoices, _summary = _filtered(request)
    return invoice_list_csv(invoices=invoices, organisation=request.organisation)
