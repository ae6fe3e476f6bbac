"""Stored phone numbers become E.164 and postcodes take their country's spelling (R12).

A value that cannot be read is left as it was, never lost: the next edit asks for a valid one.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import migrations


def forward(apps, schema_editor):
    from billing_address.postcodes import postcode_normalise

    BillingAddress = apps.get_model("billing_address", "BillingAddress")
    for address in BillingAddress.objects.all():
        changed = []
        if address.phone:
            try:
                number = phonenumbers.parse(str(address.phone), "NL")
            except phonenumbers.NumberParseException:
                number = None
            if number is not None and phonenumbers.is_valid_number(number):
                address.phone = phonenumbers.format_number(
                    number, phonenumbers.PhoneNumberFormat.E164
                )
                changed.append("phone")
        try:
            postcode = postcode_normalise(address.postcode, str(address.country))
        except ValidationError:
            postcode = address.postcode
        if postcode != address.postcode:
            address.postcode = postcode
            changed.append("postcode")
        if changed:
            address.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("billing_address", "0002_history_version_validated_fields")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
