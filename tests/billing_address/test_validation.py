"""Billing address validation lives in the model (R12): postcodes per country, e-mail, phone."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from billing_address.postcodes import postcode_normalise
from tests.invoices.factories import BillingAddressFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("NL", "1234ab", "1234 AB"),
        ("NL", " 1017  ab ", "1017 AB"),
        ("NL", "1017 AB", "1017 AB"),
        ("BE", "1000", "1000"),
        ("BE", "9000", "9000"),
        ("DE", "10115", "10115"),
        ("FR", "75001", "75001"),
        ("LU", "1234", "L-1234"),
        ("LU", "l-2540", "L-2540"),
        ("GB", "sw1a1aa", "SW1A 1AA"),
        ("AT", "1010", "1010"),
    ],
)
def test_valid_postcodes_are_stored_as_written_in_the_country(country, typed, stored):
    address = BillingAddressFactory.build(
        organisation=BillingAddressFactory().organisation, country=country, postcode=typed
    )
    address.full_clean(exclude=["organisation"])
    assert address.postcode == stored


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        (
            "NL",
            "not a postcode",
            "Dit is geen geldige postcode in Nederland (bijvoorbeeld 1234 AB).",
        ),
        ("NL", "0123 AB", "Dit is geen geldige postcode in Nederland (bijvoorbeeld 1234 AB)."),
        ("NL", "12345", "Dit is geen geldige postcode in Nederland (bijvoorbeeld 1234 AB)."),
        ("BE", "0999", "Dit is geen geldige postcode in België (bijvoorbeeld 1000)."),
        ("BE", "10000", "Dit is geen geldige postcode in België (bijvoorbeeld 1000)."),
        ("DE", "1011", "Dit is geen geldige postcode in Duitsland (bijvoorbeeld 10115)."),
        ("FR", "7500", "Dit is geen geldige postcode in Frankrijk (bijvoorbeeld 75001)."),
        ("LU", "12345", "Dit is geen geldige postcode in Luxemburg (bijvoorbeeld L-1234)."),
        ("NL", "", "Vul de postcode in."),
    ],
)
def test_invalid_postcodes_are_refused_naming_the_country(country, typed, message):
    address = BillingAddressFactory.build(country=country, postcode=typed)
    with pytest.raises(ValidationError) as error:
        address.full_clean(exclude=["organisation"])
    assert message in error.value.message_dict["postcode"]


def test_a_country_without_a_check_keeps_what_was_typed():
    address = BillingAddressFactory.build(country="JP", postcode=" 100-0001 ")
    address.full_clean(exclude=["organisation"])
    assert address.postcode == "100-0001"


@pytest.mark.parametrize("phone", ["hello", "+31 123456789", "020 12"])
def test_a_phone_that_is_no_number_is_refused(phone):
    address = BillingAddressFactory.build(phone=phone)
    with pytest.raises(ValidationError) as error:
        address.full_clean(exclude=["organisation"])
    assert "phone" in error.value.message_dict


def test_a_phone_is_stored_as_e164():
    address = BillingAddressFactory(phone="020 123 4567")
    address.full_clean(exclude=["organisation"])
    address.save()
    address.refresh_from_db()
    assert address.phone.as_e164 == "+31201234567"


@pytest.mark.parametrize("email", ["invoices", "invoices@", "a b@example.com"])
def test_a_bad_email_is_refused(email):
    address = BillingAddressFactory.build(email=email)
    with pytest.raises(ValidationError) as error:
        address.full_clean(exclude=["organisation"])
    assert "email" in error.value.message_dict


@given(
    digits=st.integers(min_value=1000, max_value=9999),
    letters=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2).filter(
        lambda letters: letters not in {"SA", "SD", "SS"}
    ),
    spaces=st.sampled_from(["", " ", "  "]),
    lower=st.booleans(),
)
def test_every_way_of_typing_a_dutch_postcode_is_stored_one_way(digits, letters, spaces, lower):
    typed = f"{digits}{spaces}{letters}"
    if lower:
        typed = typed.lower()
    assert postcode_normalise(typed, "NL") == f"{digits} {letters}"


NEVER_ISSUED = (
    "Dit is geen geldige postcode in Nederland: postcodes met de letters SA, SD of SS worden "
    "niet uitgegeven."
)


@pytest.mark.parametrize("typed", ["1234 SA", "1234sd", " 9999 ss ", "1000SS"])
def test_dutch_postcodes_with_sa_sd_or_ss_are_refused(typed):
    """PostNL never issues these letter pairs (issue 17, section 5, item 5)."""
    with pytest.raises(ValidationError) as error:
        postcode_normalise(typed, "NL")
    assert error.value.messages == [NEVER_ISSUED]
    address = BillingAddressFactory.build(country="NL", postcode=typed)
    with pytest.raises(ValidationError) as error:
        address.full_clean(exclude=["organisation"])
    assert error.value.message_dict["postcode"] == [NEVER_ISSUED]


@given(
    digits=st.integers(min_value=1000, max_value=9999),
    letters=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
)
def test_a_dutch_postcode_is_refused_exactly_when_its_letters_are_never_issued(digits, letters):
    typed = f"{digits}{letters}"
    try:
        stored = postcode_normalise(typed, "NL")
    except ValidationError as error:
        assert letters in {"SA", "SD", "SS"}
        assert error.messages == [NEVER_ISSUED]
    else:
        assert letters not in {"SA", "SD", "SS"}
        assert stored == f"{digits} {letters}"


@pytest.mark.parametrize(("country", "postcode"), [("BE", "1000"), ("GB", "SS1 1AA")])
def test_the_letters_rule_is_dutch_only(country, postcode):
    assert postcode_normalise(postcode, country) == postcode
