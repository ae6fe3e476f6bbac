"""*Factuuradres*: the card every organisation user sees, and *Bewerk* for Admins (R12, R21)."""

from __future__ import annotations

from copy import copy

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import capability_required, organisation_required
from accounts.permissions import EDIT_BILLING_ADDRESS
from billing_address.forms import BillingAddressForm
from billing_address.models import BillingAddress
from billing_address.selectors import billing_address_get, billing_address_last_change
from billing_address.services import BillingAddressConflict, billing_address_update


@require_GET
@organisation_required
def billing_address_detail(request: HttpRequest) -> HttpResponse:
    address = billing_address_get(organisation=request.organisation)
    return render(
        request,
        "billing_address/detail.html",
        {"address": address, "last_change": billing_address_last_change(address=address)},
    )


@require_http_methods(["GET", "POST"])
@capability_required(EDIT_BILLING_ADDRESS)
def billing_address_edit(request: HttpRequest) -> HttpResponse:
    stored = billing_address_get(organisation=request.organisation)
    # The form validates a copy: the stored row changes only through the service.
    draft = copy(stored) if stored else BillingAddress(organisation=request.organisation)
    version = stored.version if stored else 0
    conflict = None
    if request.method == "POST":
        form = BillingAddressForm(request.POST, instance=draft)
        if form.is_valid():
            try:
                billing_address_update(
                    organisation=request.organisation,
                    by=request.user,
                    values=form.values(),
                    expected_version=form.cleaned_data["version"],
                    request=request,
                )
            except BillingAddressConflict as error:
                # Never a silent overwrite: show what is stored now, keep what was typed, and
                # let a second save (from the newer version) be a deliberate choice.
                conflict = error.current
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = BillingAddressForm(data, instance=copy(conflict))
                form.is_valid()
            else:
                messages.success(
                    request,
                    _("The billing address is saved. The next invoice goes to this address."),
                )
                return redirect("billing_address:detail")
    else:
        form = BillingAddressForm(instance=draft, initial={"version": version})
    return render(
        request,
        "billing_address/edit.html",
        {
            "form": form,
            "conflict": conflict,
            "last_change": billing_address_last_change(address=stored),
        },
    )
