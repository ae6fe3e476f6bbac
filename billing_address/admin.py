from __future__ import annotations

from django.contrib import admin

from billing_address.models import BillingAddress


@admin.register(BillingAddress)
class BillingAddressAdmin(admin.ModelAdmin):
    list_display = ["organisation", "organisation_name", "postcode", "city", "country", "email"]
    list_filter = ["country"]
    search_fields = ["organisation__name", "organisation_name", "city", "email", "postcode"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["updated_at"]
