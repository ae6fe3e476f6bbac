"""Staff admin for invoices, payments, the unmatched queue and statement uploads (R24)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from billing_address.countries import country_name
from core.admin_tools import ReadOnlyAdminMixin
from core.phones import phone_display
from invoices.forms import PaymentLinkForm, StatementUploadForm
from invoices.ledger import ledger_publish_due
from invoices.models import (
    Invoice,
    Payment,
    PaymentImport,
    StatementImport,
    invoice_number_normalise,
    is_pdf,
)
from invoices.selectors import (
    invoice_status_filter,
    invoice_stored_annotate,
    invoice_years_all,
)
from invoices.services import ImportResult, invoice_create, invoice_file_attach, payment_link
from invoices.statement_imports import statement_import_create


class InvoiceAdminForm(forms.ModelForm):
    class Meta:
        model = Invoice
        fields = [
            "organisation",
            "number",
            "kind",
            "corrects",
            "invoice_date",
            "due_date",
            "amount_excl_vat",
            "vat_amount",
            "amount_incl_vat",
            "currency",
            "file",
        ]

    def clean_number(self) -> str:
        # Numbers are stored in capitals so a search or a remittance text matches any case.
        return invoice_number_normalise(self.cleaned_data.get("number"))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        uploaded = upload and hasattr(upload, "read") and "file" in self.changed_data
        if uploaded and not is_pdf(upload):
            raise ValidationError(_("The file is not a PDF."))
        return upload


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Invoice.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Invoice.Status.values:
            return queryset.filter(invoice_status_filter(self.value(), today=timezone.localdate()))
        return queryset


class YearFilter(admin.SimpleListFilter):
    """Invoices of one year; the years from the oldest and the newest invoice date (two
    probes of ``invoice_date_idx``). Django's date hierarchy, which this replaces, read the
    distinct years of every invoice on each visit of the list."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in invoice_years_all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            year = int(self.value())
            start, end = date(year, 1, 1), date(year + 1, 1, 1)
        except ValueError:
            # Not a year a date can hold: the admin's "invalid filter" page, not a 500.
            raise IncorrectLookupParameters(self.value()) from None
        return queryset.filter(invoice_date__gte=start, invoice_date__lt=end)


class InvoiceAdminPaginator(Paginator):
    """The list of every invoice counts them from the organisations' stored counts (kept by
    triggers, ``Organisation.invoice_count``) instead of a COUNT over every invoice; a
    filtered or searched list counts its rows."""

    @cached_property
    def count(self) -> int:
        if not self.object_list.query.where:
            return Organisation.objects.aggregate(total=Sum("invoice_count"))["total"] or 0
        return super().count


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    form = InvoiceAdminForm
    refused_permissions = frozenset({"delete"})  # invoices are never deleted
    list_display = [
        "number",
        "organisation",
        "kind",
        "invoice_date",
        "due_date",
        "amount_incl_vat",
        "open_amount_display",
        "status_display",
        "has_file",
    ]
    list_filter = ["organisation", "kind", StatusFilter, YearFilter, "invoice_date"]
    search_fields = ["number", "organisation__name", "organisation__debtor_number"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "corrects"]
    # The filtered count only, not a second count of every invoice ("of N in all").
    show_full_result_count = False
    paginator = InvoiceAdminPaginator
    BILLING_FIELDS = [
        "billing_attention",
        "billing_organisation_name",
        "billing_street",
        "billing_postcode",
        "billing_city",
        "billing_country",
        "billing_email",
        "billing_phone",
    ]
    # The copy as people read it: the country by name, the phone as the portal shows phones.
    BILLING_FIELDS_SHOWN = [
        "billing_attention",
        "billing_organisation_name",
        "billing_street",
        "billing_postcode",
        "billing_city",
        "billing_country_name",
        "billing_email",
        "billing_phone_display",
    ]
    fieldsets = [
        (None, {"fields": ["organisation", "number", "kind", "corrects"]}),
        (_("Dates"), {"fields": ["invoice_date", "due_date"]}),
        (
            _("Amounts"),
            {"fields": ["amount_excl_vat", "vat_amount", "amount_incl_vat", "currency"]},
        ),
        (_("File"), {"fields": ["file"]}),
        (
            _("Billing address when the invoice was made"),
            {"fields": BILLING_FIELDS_SHOWN},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The stored ledger, with what became visible since brought in first (R10).
        ledger_publish_due()
        return invoice_stored_annotate(super().get_queryset(request), today=timezone.localdate())

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            # The address is copied from the organisation's billing address on save.
            return self.BILLING_FIELDS
        # An invoice is a record: only a missing PDF may still be attached.
        editable = set() if obj.file else {"file"}
        return [
            *(f.name for f in Invoice._meta.fields if f.name not in editable),
            "billing_country_name",
            "billing_phone_display",
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets[:-1]
        return fieldsets

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            invoice_create(invoice=obj)
        elif "file" in form.changed_data and form.cleaned_data.get("file"):
            fresh = Invoice.objects.get(pk=obj.pk)
            invoice_file_attach(invoice=fresh, file=form.cleaned_data["file"])
            obj.file = fresh.file

    @admin.display(description=_("country"))
    def billing_country_name(self, obj: Invoice) -> str:
        return country_name(obj.billing_country)

    @admin.display(description=_("phone"))
    def billing_phone_display(self, obj: Invoice) -> str:
        return phone_display(obj.billing_phone)

    @admin.display(description=_("open amount"), ordering="ledger_open")
    def open_amount_display(self, obj: Invoice):
        return obj.open_amount

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj: Invoice) -> str:
        return Invoice.Status(obj.status).label

    @admin.display(description=_("PDF"), boolean=True)
    def has_file(self, obj: Invoice) -> bool:
        return bool(obj.file)


class MatchedFilter(admin.SimpleListFilter):
    title = _("matched")
    parameter_name = "matched"

    def lookups(self, request, model_admin):
        return [("no", _("Unmatched (queue)")), ("yes", _("Matched"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(invoice__isnull=True)
        if self.value() == "yes":
            return queryset.filter(invoice__isnull=False)
        return queryset


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    change_list_template = "admin/invoices/payment/change_list.html"
    list_display = [
        "booking_date",
        "amount",
        "counterparty_name",
        "remittance_text",
        "invoice",
        "matched_by",
        "visible_from",
    ]
    list_filter = [MatchedFilter, "matched_by", "booking_date"]
    search_fields = [
        "bank_reference",
        "remittance_text",
        "counterparty_name",
        "counterparty_iban",
        "invoice__number",
    ]
    list_select_related = ["invoice"]
    date_hierarchy = "booking_date"
    actions = ["link_to_invoice"]
    readonly_fields = [f.name for f in Payment._meta.fields]
    # Payments come from bank statements only, and a booked bank entry is a record; staff
    # change only the invoice an unmatched one pays (*Link to an invoice*).
    refused_permissions = frozenset({"add", "delete"})

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_statement_view),
                name="invoices_payment_import",
            ),
            *super().get_urls(),
        ]

    def import_statement_view(self, request: HttpRequest) -> HttpResponse:
        """Stores the upload and queues its import for the task worker, then shows the
        upload's record, which follows the import to its result: a large file no longer runs
        inside the request (and times it out)."""
        if not request.user.has_perm("invoices.add_statementimport"):
            raise PermissionDenied
        form = StatementUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            record = statement_import_create(
                file_name=upload.name, content=upload.read(), uploaded_by=request.user
            )
            self.message_user(
                request,
                gettext(
                    "The file %(file)s was uploaded and is imported by the task worker. This "
                    "page shows the progress and the result."
                )
                % {"file": record.file_name},
                messages.INFO,
            )
            return HttpResponseRedirect(
                reverse("admin:invoices_statementimport_change", args=[record.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": gettext("Import a bank statement"),
            "recent_uploads": StatementImport.objects.defer("content")[:5],
        }
        return render(request, "admin/invoices/payment/import.html", context)

    @admin.action(description=_("Link the selected payments to an invoice"))
    def link_to_invoice(self, request: HttpRequest, queryset: QuerySet):
        form = PaymentLinkForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            invoice = form.cleaned_data["invoice_number"]
            try:
                linked = payment_link(payments=list(queryset), invoice=invoice)
            except ValidationError as exc:
                # Nothing was linked: say why on the form, so staff can pick another invoice.
                form.add_error("invoice_number", exc)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)s payment linked to invoice %(number)s.",
                        "%(count)s payments linked to invoice %(number)s.",
                        len(linked),
                    )
                    % {"count": len(linked), "number": invoice.number},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "payments": queryset,
            "title": gettext("Link payments to an invoice"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/invoices/payment/link.html", context)


@admin.register(PaymentImport)
class PaymentImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "file_name",
        "format",
        "imported_at",
        "imported_by",
        "entries",
        "added",
        "matched",
        "skipped",
    ]
    list_filter = ["format", "imported_at"]
    search_fields = ["file_name", "sha256"]
    readonly_fields = [f.name for f in PaymentImport._meta.fields]


@admin.register(StatementImport)
class StatementImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Statement uploads with their progress and result: a read-only record. Its page reloads
    itself while the worker is busy (a meta refresh: the CSP allows no inline script)."""

    REFRESH_SECONDS = 3
    list_display = [
        "uploaded_at",
        "file_name",
        "uploaded_by",
        "status_display",
        "progress_display",
        "added",
        "matched",
        "unmatched",
    ]
    list_display_links = ["uploaded_at", "file_name"]
    list_filter = ["status", "uploaded_at"]
    search_fields = ["file_name"]
    list_select_related = ["uploaded_by"]
    fields = [
        "file_name",
        "size",
        "uploaded_by",
        "uploaded_at",
        "status_display",
        "progress_display",
        "started_at",
        "finished_at",
        "result_display",
        "payment_import_link",
        "error",
        "error_location",
    ]
    # A record: every field is shown, none is edited. Uploads come through *Payments ->
    # Import a bank statement*.
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The file's bytes (up to the upload limit each) are never shown: leave them unread.
        return super().get_queryset(request).defer("content")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "refresh_seconds": self.REFRESH_SECONDS}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj: StatementImport) -> str:
        if obj.is_stale and obj.status == StatementImport.Status.QUEUED:
            return gettext(
                "Stalled: no worker has picked the file up. Check that the task worker "
                "(manage.py run_worker) runs; it imports the file when it starts."
            )
        if obj.is_stale:
            return gettext(
                "Stalled: the worker stopped during the import, whose transaction was then "
                "rolled back. Upload the file again: what was imported before is not added "
                "twice."
            )
        return StatementImport.Status(obj.status).label

    @admin.display(description=_("progress"))
    def progress_display(self, obj: StatementImport) -> str:
        if obj.status == StatementImport.Status.DONE and not obj.duplicate_file:
            return ngettext(
                "%(processed)s of %(total)s entry processed",
                "%(processed)s of %(total)s entries processed",
                # Unknown (None) for a record of before the count was kept: the plural.
                obj.entries_total or 0,
            ) % {"processed": obj.entries_processed, "total": obj.entries_total}
        if obj.status == StatementImport.Status.IMPORTING and not obj.is_stale:
            return ngettext(
                "%(total)s entry in the file, being imported in one transaction: it appears "
                "once the import is done",
                "%(total)s entries in the file, being imported in one transaction: they appear "
                "all at once",
                obj.entries_total or 0,
            ) % {"total": obj.entries_total}
        return self.get_empty_value_display()

    @admin.display(description=_("result"))
    def result_display(self, obj: StatementImport) -> str:
        if obj.status == StatementImport.Status.FAILED:
            return gettext("Nothing was imported.")
        if obj.status != StatementImport.Status.DONE:
            return self.get_empty_value_display()
        return ImportResult(
            file_name=obj.file_name,
            duplicate_file=obj.duplicate_file,
            entries=obj.entries_processed,
            added=obj.added,
            matched=obj.matched,
            unmatched=obj.unmatched,
            already_known=obj.already_known,
            skipped_outgoing=obj.skipped_outgoing,
        ).summary()

    @admin.display(description=_("bank statement import"))
    def payment_import_link(self, obj: StatementImport) -> str:
        if obj.payment_import_id is None:
            return self.get_empty_value_display()
        return render_to_string(
            "admin/invoices/statementimport/_payment_import_link.html",
            {
                "import_url": reverse(
                    "admin:invoices_paymentimport_change", args=[obj.payment_import_id]
                ),
                "file_name": obj.file_name,
                "unmatched": obj.unmatched,
                "queue_url": reverse("admin:invoices_payment_changelist"),
            },
        )
