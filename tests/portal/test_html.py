"""The Python formatters of rows write exactly what the template filters and Django's
format_html write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from portal.html import date_formatter, escape_value, format_row, money_formatter, url_maker

amounts = st.decimals(
    min_value=Decimal("-99999999.99"),
    max_value=Decimal("99999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
many_places = st.decimals(
    min_value=Decimal("-9999999"),
    max_value=Decimal("9999999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


@pytest.mark.parametrize("language", ["nl", "en"])
@given(value=st.one_of(amounts, many_places))
def test_money_as_floatformat_2g(language, value):
    with translation.override(language):
        assert money_formatter()(value) == floatformat(value, "2g")


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [("nl", Decimal("-1234.5"), "-1.234,50"), ("en", Decimal("1234567.005"), "1,234,567.01")],
)
def test_money_examples(language, value, expected):
    with translation.override(language):
        assert money_formatter()(value) == expected


@pytest.mark.parametrize("language", ["nl", "en"])
@given(value=st.dates(min_value=dt.date(1000, 1, 1)))
def test_short_date_as_the_date_filter(language, value):
    with translation.override(language):
        assert date_formatter()(value) == date_filter(value, "SHORT_DATE_FORMAT")


@pytest.mark.parametrize("language", ["nl", "en"])
@given(value=st.datetimes(timezones=st.just(ZoneInfo("UTC")), min_value=dt.datetime(1900, 1, 2)))
def test_datetime_in_the_current_time_zone(language, value):
    # The template engine hands the filter the local time (``expects_localtime``).
    with translation.override(language):
        expected = date_filter(timezone.localtime(value), "SHORT_DATE_FORMAT")
        assert date_formatter()(value) == expected


def test_a_format_with_other_parts_falls_back_to_django():
    with translation.override("nl"):
        value = dt.date(2026, 3, 5)
        assert date_formatter("DATE_FORMAT")(value) == date_filter(value, "DATE_FORMAT")
        assert date_formatter("DATE_FORMAT")(value) == "5 maart 2026"
        # In the current time zone (Amsterdam), as the template engine shows it.
        late = dt.datetime(2026, 3, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
        assert date_formatter("DATE_FORMAT")(late) == "2 maart 2026"


@given(value=st.text())
def test_text_is_escaped_as_conditional_escape_does(value):
    assert escape_value(value) == conditional_escape(value)
    assert escape_value(mark_safe(value)) == value  # noqa: S308 - markup stays as it is


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('O\'Brien & <Zonen> "x"', "O&#x27;Brien &amp; &lt;Zonen&gt; &quot;x&quot;"),
        (SafeString("<b>bold</b>"), "<b>bold</b>"),
        (gettext_lazy("Yes"), "Ja"),
        (lazy(lambda: "<i>", str)(), "&lt;i&gt;"),
        (lazy(mark_safe, SafeString)("<i>"), "<i>"),
        (42, "42"),
        (None, "None"),
    ],
)
def test_values_of_every_kind_as_conditional_escape(value, expected):
    with translation.override("nl"):
        assert escape_value(value) == expected
        assert escape_value(value) == conditional_escape(value)


@given(first=st.text(), second=st.text())
def test_format_row_writes_what_format_html_writes(first, second):
    template = '<td class="x">{first}</td><td title="{second}">{first}{markup}</td>'
    markup = SafeString("<br>")
    written = format_row(template, first=first, second=second, markup=markup)
    assert written == format_html(template, first=first, second=second, markup=markup)
    assert isinstance(written, SafeString)


@given(
    number=st.text(
        # What a URL can carry: no surrogates (they cannot be encoded), no slash, no NUL.
        alphabet=st.characters(codec="utf-8", exclude_characters="/\x00"),
        min_size=1,
        max_size=12,
    )
)
def test_url_maker_writes_what_reverse_writes(number):
    make = url_maker("invoices:download", "number", "NUMBER")
    assert make(number) == reverse("invoices:download", kwargs={"number": number})


def test_url_maker_with_a_primary_key():
    make = url_maker("users:edit", "pk", 987654321)
    assert [make(pk) for pk in (1, 42)] == [
        reverse("users:edit", kwargs={"pk": pk}) for pk in (1, 42)
    ]
