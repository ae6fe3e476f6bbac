"""A second way to compute what the selectors compute, for the tests to hold them equal."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Sum

from accounts.models import Organisation
from invoices.selectors import invoice_annotated


def invoice_open_balance(*, organisation: Organisation, now: datetime | None = None) -> Decimal:
    """The organisation's open balance (R9), summed row by row over the open amounts, where
    ``invoice_balance_summary`` takes two plain sums."""
    total = invoice_annotated(organisation=organisation, now=now).aggregate(
        total=Sum("open_amount")
    )["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))
