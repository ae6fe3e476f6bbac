"""The portal's one CSV writer (``core.csv_export``): every text cell goes through the
formula guard inside the writer, so no export can forget it; the portal's own numbers and
dates are written as numbers and dates (issue 15, item 6)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from core.csv_export import FORMULA_PREFIXES, csv_response, csv_text_cell

# What OWASP lists as the start of a formula, and a line feed, which some programs skip
# like the carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

# Text as people and imports write it, with the formula characters made frequent.
texts = st.one_of(
    st.text(),
    st.tuples(st.sampled_from(FORMULA_STARTS), st.text()).map("".join),
)


def written(*rows: list[object], header: tuple[str, ...] = ("a",)) -> list[list[str]]:
    response = csv_response(name=["test"], header=header, rows=rows)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))


def test_the_guard_covers_every_formula_start():
    assert set(FORMULA_STARTS) <= set(FORMULA_PREFIXES)


@given(text=texts)
def test_a_text_cell_never_starts_a_formula(text):
    cell = csv_text_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    if text.startswith(FORMULA_STARTS):
        assert cell == f"'{text}"
    else:
        assert cell == text


@given(rows=st.lists(st.lists(texts, min_size=1, max_size=4), max_size=5))
def test_the_writer_guards_every_text_cell_itself(rows):
    assert written(*rows)[1:] == [[csv_text_cell(cell) for cell in row] for row in rows]


def test_translated_labels_are_text_too():
    with translation.override("en"):
        assert written([gettext_lazy("Yes"), None])[1] == ["Yes", ""]


@given(amount=st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_amounts_stay_numbers_in_both_languages(amount):
    with translation.override("nl"):
        dutch = written([amount])[1][0]
    with translation.override("en"):
        english = written([amount])[1][0]
    assert english == f"{amount:.2f}"
    assert dutch == english.replace(".", ",")
    assert not dutch.startswith("'")


def test_a_negative_amount_stays_a_number():
    with translation.override("nl"):
        assert written([Decimal("-12.50"), "-12,50"])[1] == ["-12,50", "'-12,50"]


def test_the_language_is_the_one_of_the_moment_the_export_was_asked():
    """The rows are written while the response streams, when the request's language may no
    longer be active: the writer keeps the language of the moment it was called."""
    with translation.override("nl"):
        response = csv_response(
            name=["test"], header=["a"], rows=([Decimal("1.50"), gettext_lazy("Yes")],)
        )
    with translation.override("en"):
        body = b"".join(response.streaming_content).decode("utf-8")
    assert body.endswith("1,50;Ja\r\n")


def test_numbers_and_dates_are_written_as_such():
    assert written([7, -3, dt.date(2026, 3, 1)])[1] == ["7", "-3", "2026-03-01"]


@pytest.mark.parametrize("value", [1.5, True, dt.datetime(2026, 3, 1, 12, 0), object()])
def test_a_value_of_another_kind_is_refused(value):
    with pytest.raises(TypeError):
        written([value])
