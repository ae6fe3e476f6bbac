from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing_address.audit_events import billing_address_changes_text
from billing_address.countries import country_name
from billing_address.models import BillingAddress, BillingAddressChange
from billing_address.services import BillingAddressConflict, billing_address_update
from core.admin_tools import PhoneAdminMixin, ReadOnlyAdminMixin, ServiceRefusalMixin


class CountryInUseFilter(admin.SimpleListFilter):
    """The countries that billing addresses are in, by name: not every country in the world,
    nor the pick list's favourites a second time above them (``COUNTRIES_FIRST``)."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = BillingAddress.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
        return queryset


class BillingAddressChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The history, read-only: it is written by the service only."""

    model = BillingAddressChange
    extra = 0
    fields = ["changed_at", "changed_by_label", "version", "changes"]
    readonly_fields = fields
    ordering = ["-changed_at", "-pk"]

    @admin.display(description=_("changed by"))
    def changed_by_label(self, obj: BillingAddressChange) -> str:
        return obj.changed_by_label

    @admin.display(description=_("changes"))
    def changes(self, obj: BillingAddressChange) -> str:
        return billing_address_changes_text(obj.before, obj.after)


class BillingAddressAdminForm(forms.ModelForm):
    # Where the edit began; the service refuses the save if the address moved on meanwhile.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = BillingAddress
        fields = ["organisation", *BillingAddress.EDITABLE_FIELDS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version") or 0
        if self.instance.pk:
            current = BillingAddress.objects.get(pk=self.instance.pk)
            if current.version != expected:
                raise ValidationError(
                    gettext(
                        "Someone changed this billing address while you were editing it "
                        "(now: %(address)s). Reload the page to see the change, then edit again."
                    )
                    % {"address": ", ".join(v for v in current.values().values() if v)}
                )
        return cleaned


@admin.register(BillingAddress)
class BillingAddressAdmin(
    PhoneAdminMixin, ReadOnlyAdminMixin, ServiceRefusalMixin, admin.ModelAdmin
):
    form = BillingAddressAdminForm
    list_display = ["organisation", "organisation_name", "postcode", "city", "country", "email"]
    list_filter = [CountryInUseFilter, "organisation__customer"]
    search_fields = ["organisation__name", "organisation_name", "city", "email", "postcode"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["version", "updated_at"]
    inlines = [BillingAddressChangeInline]
    # Invoices copy the address; there is always one to copy once it exists.
    refused_permissions = frozenset({"delete"})

    def get_fields(self, request, obj=None):
        return [
            "organisation",
            *BillingAddress.EDITABLE_FIELDS,
            "expected_version",
            *self.readonly_fields,
        ]

    def get_readonly_fields(self, request, obj=None):
        # An address belongs to its organisation for good.
        return [*self.readonly_fields, "organisation"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        """Admin edits go through the same service as the portal (history, audit event)."""
        organisation = obj.organisation if change else form.cleaned_data["organisation"]
        try:
            saved = billing_address_update(
                organisation=organisation,
                by=request.user,
                values={name: form.cleaned_data.get(name) for name in obj.EDITABLE_FIELDS},
                expected_version=form.cleaned_data.get("expected_version") or 0,
                request=request,
            )
        except BillingAddressConflict:
            # Raised, not only said: the admin's transaction is rolled back and its "changed
            # successfully" never shown (ServiceRefusalMixin).
            raise ValidationError(
                gettext("Nothing saved: someone changed this billing address a moment ago.")
            ) from None
        # The admin carries on with the stored row (for its message and redirect).
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False
