"""Bank account numbers as people read and banks check them: IBAN (ISO 13616) and BIC
(ISO 9362). Used for the vendor's own account, which the payment instructions of an open
invoice show and its EPC QR code carries; settings check it when the app starts, so a typo
never reaches a customer's transfer.
"""

from __future__ import annotations

import re

# Two letters (the country), two check digits, then up to 30 letters and digits.
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$")
# Bank (4 letters), country (2 letters), location (2), optionally a branch (3).
_BIC_SHAPE = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def iban_normalise(value: str | None) -> str:
    """An IBAN as it is stored and checked: capitals, no spaces."""
    return "".join((value or "").split()).upper()


def iban_is_valid(value: str | None) -> bool:
    """Whether ``value`` (spaces allowed) is an IBAN whose check digits hold: the account
    with its first four characters moved to the end, letters counted as 10 to 35, leaves 1
    when divided by 97 (ISO 7064 mod 97-10)."""
    iban = iban_normalise(value)
    if not _IBAN_SHAPE.match(iban):
        return False
    digits = "".join(str(int(char, 36)) for char in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def iban_format(value: str | None) -> str:
    """An IBAN as it is printed for people: in groups of four (``NL91 ABNA 0417 1643 00``)."""
    iban = iban_normalise(value)
    return " ".join(iban[start : start + 4] for start in range(0, len(iban), 4))


def bic_normalise(value: str | None) -> str:
    return "".join((value or "").split()).upper()


def bic_is_valid(value: str | None) -> bool:
    """Whether ``value`` has the shape of a BIC: 8 or 11 characters (a BIC has no check
    digit; the shape is all that can be checked without the bank's register)."""
    return bool(_BIC_SHAPE.match(bic_normalise(value)))
