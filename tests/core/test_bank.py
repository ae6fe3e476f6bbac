"""Bank account numbers (core/bank.py): the IBAN's check digits as ISO 13616 computes them,
the groups of four people read, and the shape of a BIC."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from core.bank import bic_is_valid, iban_format, iban_is_valid, iban_normalise


@pytest.mark.parametrize(
    "iban",
    [
        "NL91ABNA0417164300",
        "nl91 abna 0417 1643 00",
        "NL44RABO0123456789",
        "BE68539007547034",
        "DE89370400440532013000",
        "GB29NWBK60161331926819",
    ],
)
def test_valid_ibans(iban):
    assert iban_is_valid(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "",
        None,
        "NL91ABNA0417164301",  # one digit off
        "NL19ABNA0417164300",  # check digits swapped
        "NLXXABNA0417164300",
        "NL91-ABNA-0417-1643-00",
        "91NLABNA0417164300",
        "NL91",
    ],
)
def test_invalid_ibans(iban):
    assert not iban_is_valid(iban)


BBAN = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=8, max_size=30)


@given(country=st.sampled_from(["NL", "BE", "DE", "FR", "GB"]), bban=BBAN)
def test_the_check_digits_are_those_python_stdnum_computes(country, bban):
    """python-stdnum (a dependency of django-localflavor) computes the same mod 97."""
    digits = stdnum_iban.calc_check_digits(f"{country}00{bban}")
    iban = f"{country}{digits}{bban}"
    assert iban_is_valid(iban)
    wrong = f"{country}{(int(digits) % 97) + 1:02d}{bban}"
    assert not iban_is_valid(wrong)


def test_an_iban_is_printed_in_groups_of_four():
    assert iban_format("nl91abna0417164300") == "NL91 ABNA 0417 1643 00"
    assert iban_format(" BE68 5390 0754 7034 ") == "BE68 5390 0754 7034"
    assert iban_normalise(" nl91 abna 0417164300\n") == "NL91ABNA0417164300"


@pytest.mark.parametrize(
    ("bic", "valid"),
    [
        ("RABONL2U", True),
        ("abnanl2a", True),
        ("INGBNL2AXXX", True),
        ("RABONL2", False),
        ("RABONL2UX", False),
        ("1ABONL2U", False),
        ("", False),
    ],
)
def test_the_shape_of_a_bic(bic, valid):
    assert bic_is_valid(bic) is valid
