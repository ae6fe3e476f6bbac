"""The payment visibility rule (R10), by table."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from invoices.visibility import AMSTERDAM, payment_visible_from


@pytest.mark.parametrize(
    ("booked", "visible_on", "why"),
    [
        (date(2026, 3, 2), date(2026, 3, 3), "Monday -> Tuesday"),
        (date(2026, 3, 6), date(2026, 3, 9), "Friday -> Monday"),
        (date(2026, 3, 7), date(2026, 3, 9), "Saturday -> Monday"),
        (date(2026, 3, 8), date(2026, 3, 9), "Sunday -> Monday"),
        (date(2026, 4, 26), date(2026, 4, 28), "the day before King's Day (Mon 27 April)"),
        (date(2026, 4, 24), date(2026, 4, 28), "Friday before King's Day Monday"),
        (date(2026, 12, 24), date(2026, 12, 28), "Christmas Eve: Christmas, Boxing Day, Sunday"),
        (date(2025, 12, 24), date(2025, 12, 29), "Christmas and Boxing Day on Thu and Fri"),
        (date(2026, 4, 2), date(2026, 4, 7), "Good Friday, the weekend and Easter Monday"),
        (date(2026, 4, 4), date(2026, 4, 7), "Easter Saturday -> Tuesday after Easter Monday"),
        (date(2026, 5, 13), date(2026, 5, 15), "Ascension Day (Thu 14 May)"),
        (date(2026, 5, 22), date(2026, 5, 26), "Whit Monday (25 May)"),
        (date(2025, 12, 31), date(2026, 1, 2), "New Year's Day"),
    ],
)
def test_visible_from_the_next_dutch_working_day_at_10_30(booked, visible_on, why):
    visible = payment_visible_from(booked)
    assert visible == datetime(
        visible_on.year, visible_on.month, visible_on.day, 10, 30, tzinfo=AMSTERDAM
    ), why
    assert visible.tzinfo == AMSTERDAM


@pytest.mark.parametrize(
    ("booked", "utc_hour", "why"),
    [
        (date(2026, 3, 26), 9, "Fri 27 March, still winter time (CET, UTC+1)"),
        (date(2026, 3, 27), 8, "Mon 30 March, after the spring switch (CEST, UTC+2)"),
        (date(2026, 10, 23), 9, "Mon 26 October, after the autumn switch (CET, UTC+1)"),
        (date(2026, 10, 22), 8, "Fri 23 October, still summer time (CEST)"),
    ],
)
def test_daylight_saving_switches_keep_10_30_local_time(booked, utc_hour, why):
    visible = payment_visible_from(booked).astimezone(UTC)
    assert (visible.hour, visible.minute) == (utc_hour, 30), why
