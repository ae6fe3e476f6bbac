"""The *Facturen* section: list, open balance, PDF and ZIP downloads, CSV export (R7-R9)."""

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
from invoices.exports import invoice_list_csv, invoice_pdfs_zip
from invoices.forms import InvoiceFilterForm
from invoices.ledger import ledger_publish_due
from invoices.paging import IndexPaginator
from invoices.selectors import (
    invoice_balance_summary,
    invoice_get,
    invoice_list,
    invoice_years,
)

PAGE_SIZE = 25


def _zip_limit() -> int:
    return getattr(settings, "INVOICE_ZIP_MAX_FILES", 100)


def _filtered(request: HttpRequest, now=None):
    # Payments that became visible (R10) enter the ledger before it is read: one indexed
    # query when nothing has come due.
    ledger_publish_due(organisation=request.organisation, now=now)
    form = InvoiceFilterForm(request.GET, years=invoice_years(organisation=request.organisation))
    filters = form.filters()
    return form, filters, invoice_list(organisation=request.organisation, filters=filters, now=now)


@require_GET
@organisation_required
def invoice_list_view(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form, filters, invoices = _filtered(request, now)
    page = IndexPaginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any([filters.query, filters.kind, filters.status, filters.year])
    return render(
        request,
        "invoices/invoice_list.html",
        {
            "form": form.display_form(),
            "filters": filters,
            "filtered": filtered,
            "page": page,
            "invoices": page.object_list,
            "summary": invoice_balance_summary(organisation=request.organisation, now=now),
            "zip_limit": _zip_limit(),
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
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{invoice.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@organisation_required
def invoice_download_zip(request: HttpRequest) -> HttpResponse:
    """A ZIP of the PDFs of the invoices the current filter shows, at most a bounded number."""
    _form, _filters, invoices = _filtered(request)
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
    name = f"{_('invoices')}-{request.organisation.debtor_number}.zip"
    response = FileResponse(
        buffer, as_attachment=True, filename=name, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@organisation_required
def invoice_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV with the list's columns."""
    _form, _filters, invoices = _filtered(request)
    response = invoice_list_csv(invoices=invoices, organisation=request.organisation)
    response["Cache-Control"] = "private, no-store"
    return response
