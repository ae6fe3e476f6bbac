"""When a payment starts to count in the portal (R10).

The bank statement of a day is processed on the next Dutch working day; the portal shows a
payment from 10:30 Amsterdam time that day, so customers never see a payment that finance has
not booked yet. Weekends and Dutch public holidays (the ``holidays`` package) are skipped.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
VISIBLE_AT = time(10, 30)


@cache
def _dutch_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    candidate = day + timedelta(days=1)
    while not is_working_day(candidate):
        candidate += timedelta(days=1)
    return candidate


def payment_visible_from(booking_date: date) -> datetime:
    """The moment a payment booked on ``booking_date`` starts to count (aware, Amsterdam).

    Built with ``datetime.combine`` in the Amsterdam zone, so 10:30 stays 10:30 local time on
    both sides of a daylight-saving switch (08:30 UTC in summer, 09:30 UTC in winter).
    """
    return datetime.combine(next_working_day(booking_date), VISIBLE_AT, tzinfo=AMSTERDAM)
