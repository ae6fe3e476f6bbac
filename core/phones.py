"""How the portal shows a phone number (R12, R19): stored as E.164, shown readable, in
lists, the activity log, admin and the forms that edit it alike."""

from __future__ import annotations

import phonenumbers
from phonenumber_field.formfields import PhoneNumberField
from phonenumber_field.widgets import RegionalPhoneNumberWidget


def phone_display(value) -> str:
    """Dutch numbers in national format (020 123 4567), others internationally
    (+32 2 234 56 78); a value that is not a valid number is shown as stored."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(str(value), "NL")
    except phonenumbers.NumberParseException:
        return str(value)
    if not phonenumbers.is_valid_number(number):
        return str(value)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == "NL"
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


class PhoneNumberInput(RegionalPhoneNumberWidget):
    """A phone field showing the number as the rest of the portal does (``phone_display``):
    a stored ``+3225010211`` is edited as ``+32 2 501 02 11``, a Dutch one as
    ``020 123 4567``. Text that is no number is shown as typed, so nothing typed is lost."""

    def format_value(self, value):
        return phone_display(value) or None


class AdminPhoneNumberInput(PhoneNumberInput):
    """The same in Django admin, with the admin's text field width."""

    def __init__(self, region=None, attrs=None) -> None:
        super().__init__(region=region, attrs={"class": "vTextField", **(attrs or {})})


class PhoneNumberFormField(PhoneNumberField):
    """The phone field of every portal and admin form (R12, R19): validated as
    django-phonenumber-field does (a number without a country code is Dutch:
    ``PHONENUMBER_DEFAULT_REGION``), shown as the portal shows phones everywhere else."""

    widget = PhoneNumberInput
