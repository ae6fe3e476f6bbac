"""Postcode checks per country (R12), on the maintained patterns of django-localflavor.

One function, used by the model's ``clean`` so the portal, admin and imports all get it. It
returns the postcode as it is written in that country (Dutch ones as ``1234 AB``) or raises a
ValidationError naming the country and an example. Countries without a check keep what was
typed, trimmed.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries
from localflavor.at.forms import ATZipCodeField
from localflavor.be.forms import BEPostalCodeField
from localflavor.ch.forms import CHZipCodeField
from localflavor.de.forms import DEZipCodeField
from localflavor.dk.forms import DKPostalCodeField
from localflavor.es.forms import ESPostalCodeField
from localflavor.fr.forms import FRZipCodeField
from localflavor.gb.forms import GBPostcodeField
from localflavor.it.forms import ITZipCodeField
from localflavor.nl.forms import NLZipCodeField
from localflavor.pl.forms import PLPostalCodeField


class LUPostalCodeField(forms.CharField):
    """Luxembourg: four digits, written ``L-1234`` (localflavor has no Luxembourg module)."""

    pattern = re.compile(r"^(?:L-?)?(\d{4})$")

    def clean(self, value):
        value = super().clean(value)
        match = self.pattern.match(value.upper().replace(" ", ""))
        if not match:
            raise ValidationError(_("Enter a valid postcode."), code="invalid")
        return f"L-{match.group(1)}"


# PostNL never issues these letter pairs (for their connotations from the occupation), so a
# Dutch postcode with them is a typo; localflavor's pattern lets them pass.
NL_LETTERS_NEVER_ISSUED = frozenset({"SA", "SD", "SS"})

# country code -> (form field doing the check and normalisation, an example for the message)
CHECKS: dict[str, tuple[type[forms.Field], str]] = {
    "NL": (NLZipCodeField, "1234 AB"),
    "BE": (BEPostalCodeField, "1000"),
    "DE": (DEZipCodeField, "10115"),
    "FR": (FRZipCodeField, "75001"),
    "LU": (LUPostalCodeField, "L-1234"),
    "GB": (GBPostcodeField, "SW1A 1AA"),
    "AT": (ATZipCodeField, "1010"),
    "CH": (CHZipCodeField, "8001"),
    "DK": (DKPostalCodeField, "1050"),
    "ES": (ESPostalCodeField, "28001"),
    "IT": (ITZipCodeField, "00118"),
    "PL": (PLPostalCodeField, "00-950"),
}


def postcode_normalise(postcode: str, country: str) -> str:
    """The postcode as written in ``country``; ValidationError when it cannot be one there."""
    value = " ".join((postcode or "").split())
    if not value:
        raise ValidationError(_("Enter the postcode."), code="required")
    check = CHECKS.get(country)
    if check is None:
        return value
    field_class, example = check
    try:
        normalised = field_class().clean(value)
    except ValidationError:
        raise ValidationError(
            _("This is not a valid postcode in %(country)s (for example %(example)s).")
            % {"country": countries.name(country), "example": example},
            code="invalid_postcode",
        ) from None
    if country == "NL" and normalised[-2:] in NL_LETTERS_NEVER_ISSUED:
        raise ValidationError(
            _(
                "This is not a valid postcode in %(country)s: postcodes with the letters SA, "
                "SD or SS are not issued."
            )
            % {"country": countries.name(country)},
            code="invalid_postcode",
        )
    return normalised
