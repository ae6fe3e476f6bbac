from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from billing_address.models import BillingAddress
from core.forms import FocusFirstErrorMixin
from core.phones import PhoneNumberFormField


class BillingAddressForm(FocusFirstErrorMixin, forms.ModelForm):
    """The *Bewerk* form. Validation is the model's (postcode per country, e-mail, phone), so
    the portal and admin say the same; ``version`` carries where the edit began. After a
    refused save the focus is on the first field with an error."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    phone = PhoneNumberFormField(
        label=_("Phone"),
        required=False,
        region="NL",
        help_text=_(
            "With the country code for a number outside the Netherlands, e.g. +32 2 234 56 78."
        ),
    )

    class Meta:
        model = BillingAddress
        fields = list(BillingAddress.EDITABLE_FIELDS)
        labels = {
            "attention": _("Attention line"),
            "organisation_name": _("Organisation name"),
            "street": _("Street and number"),
            "postcode": _("Postcode"),
            "city": _("City"),
            "country": _("Country"),
            "email": _("E-mail address"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        autocomplete = {
            "organisation_name": "organization",
            "street": "street-address",
            "postcode": "postal-code",
            "city": "address-level2",
            "country": "country",
            "email": "email",
            "phone": "tel",
        }
        for name, token in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = token

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in BillingAddress.EDITABLE_FIELDS}
