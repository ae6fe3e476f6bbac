"""One display format for phone numbers (issue 17, section 5, item 4): the fields that edit a
number show it as lists, cards and *Activiteit* do (``core.phones.phone_display``)."""

from __future__ import annotations

import phonenumbers
import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st
from phonenumber_field.phonenumber import PhoneNumber

from core.phones import AdminPhoneNumberInput, PhoneNumberFormField, phone_display

# Regions whose numbers customers give: the Netherlands and the neighbours, and further away.
REGIONS = ["NL", "BE", "DE", "LU", "FR", "GB", "US", "CH", "AT", "ES", "IT", "PL"]
NUMBER_TYPES = [
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
]


class PhoneForm(forms.Form):
    phone = PhoneNumberFormField(required=False)


def rendered_value(form: forms.Form) -> str:
    html = str(form["phone"])
    assert 'type="tel"' in html
    start = html.find('value="')
    return "" if start < 0 else html[start + 7 : html.index('"', start + 7)]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+3225010211", "+32 2 501 02 11"),  # the Belgian number
        ("+31201234567", "020 123 4567"),
        ("+31612345678", "06 12345678"),
        ("+4930123456", "+49 30 123456"),
        ("", ""),
    ],
)
def test_a_stored_number_is_edited_as_it_is_shown(stored, shown):
    initial = PhoneNumber.from_string(stored) if stored else ""
    assert rendered_value(PhoneForm(initial={"phone": initial})) == shown
    assert rendered_value(PhoneForm(initial={"phone": stored})) == shown
    assert phone_display(stored) == shown


def test_text_that_is_no_number_is_shown_as_typed_with_its_error():
    form = PhoneForm({"phone": "hello"})
    assert not form.is_valid()
    assert rendered_value(form) == "hello"


def test_the_admin_widget_keeps_the_admins_field_width():
    html = AdminPhoneNumberInput().render("phone", PhoneNumber.from_string("+3225010211"))
    assert 'class="vTextField"' in html
    assert 'value="+32 2 501 02 11"' in html


@given(region=st.sampled_from(REGIONS), number_type=st.sampled_from(NUMBER_TYPES))
def test_what_the_field_shows_it_reads_back_as_the_same_number(region, number_type):
    """Showing a stored number and saving the form unchanged stores the same number."""
    example = phonenumbers.example_number_for_type(region, number_type)
    if example is None:
        return
    stored = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    shown = rendered_value(PhoneForm(initial={"phone": stored}))
    assert shown == phone_display(stored)
    form = PhoneForm({"phone": shown})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"].as_e164 == stored
