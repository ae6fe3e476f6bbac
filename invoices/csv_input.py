"""Reading the CSV files people export from other systems: bank statements and invoice exports.

One place for the two guesses both importers make, so they read a file the same way.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def csv_delimiter(text: str) -> str:
    """``;`` when the header line has more semicolons than commas (as Dutch spreadsheets
    write), else ``,``."""
    first_line = text.splitlines()[0] if text else ""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def parse_amount(value: str) -> Decimal:
    """An amount in cents written either way: ``1234.56``, ``1234,56`` or ``1.234,56``.

    Raises ``ValueError`` for anything else, including more than two decimals.
    """
    cleaned = value.strip().replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,56
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
        # 1e30 cannot be rounded to cents at all (InvalidOperation): not an amount either.
        exact = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(value) from None
    if not exact:
        raise ValueError(value)
    return amount
