from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from invoices.models import Invoice, invoice_number_normalise
from invoices.selectors import DEFAULT_SORT, SORTS, STATUS_UNPAID, InvoiceFilters


class InvoiceFilterForm(forms.Form):
    """The list's search and filters, read from the query string; a bad value is ignored."""

    q = forms.CharField(
        label=_("Invoice number"),
        required=False,
        max_length=32,
        widget=forms.SearchInput(attrs={"placeholder": _("Search by number")}),
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *Invoice.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            (STATUS_UNPAID, _("Unpaid")),
            *Invoice.Status.choices,
        ],
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]

    def filters(self) -> InvoiceFilters:
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        return InvoiceFilters(
            query=data.get("q") or "",
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            year=data.get("year"),
            sort=data.get("sort") or DEFAULT_SORT,
        )


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement"),
        help_text=_("A CAMT.053 XML file or a CSV with date, amount, reference, name, IBAN."),
    )

    def clean_file(self):
        """A statement larger than ``STATEMENT_UPLOAD_MAX_BYTES`` is refused before it is
        read: its bytes wait in the database for the task worker, whose import is one
        transaction. Import it with ``manage.py import_payments`` instead."""
        upload = self.cleaned_data["file"]
        limit = settings.STATEMENT_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is larger than %(limit)s MB. Split it, or import it with "
                    "manage.py import_payments."
                )
                % {"limit": f"{limit / 1_000_000:g}"},
                code="too_large",
            )
        return upload


class PaymentLinkForm(forms.Form):
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=32)

    def clean_invoice_number(self) -> Invoice:
        number = invoice_number_normalise(self.cleaned_data["invoice_number"])
        try:
            return Invoice.objects.select_related("organisation").get(number=number)
        except Invoice.DoesNotExist:
            raise forms.ValidationError(_("No invoice has this number.")) from None
