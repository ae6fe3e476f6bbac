"""How the portal shows a phone number (R12, R19): stored as E.164, shown readable."""

from __future__ import annotations

import phonenumbers


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
