"""Values as raw SQL returns them, in the types the ORM would give.

A statement written as SQL (a page's figures in one round trip) gets what the database driver
makes of each column: PostgreSQL's driver returns dates, aware datetimes and decimals; SQLite
returns text for a column whose type it does not know (a subquery's, a CTE's), floats for
decimals, and JSON as text. These functions take either.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

CENT = Decimal("0.01")


def raw_datetime(value) -> datetime | None:
    """An aware datetime: aware on PostgreSQL; naive UTC on SQLite (a datetime, or its text)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


def raw_date(value) -> date | None:
    """A date: a date, or its ISO text."""
    return parse_date(value) if isinstance(value, str) else value


def raw_amount(value) -> Decimal:
    """An amount in cents: a Decimal, a float or an integer (a sum over no rows: None, 0)."""
    return Decimal(str(value or 0)).quantize(CENT)


def raw_json(value) -> Any:
    """A JSON column: its text decoded (Django's PostgreSQL backend also hands raw SQL the
    text), or the value already decoded."""
    return json.loads(value) if isinstance(value, str | bytes) else value
