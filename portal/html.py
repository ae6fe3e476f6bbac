"""Markup that pages repeat many times, written in Python rather than in a template loop."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.urls.resolvers import RFC3986_SUBDELIMS
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.safestring import SafeString


def select_options(choices, selected) -> SafeString:
    """The ``<option>`` elements of a ``<select>``, the one whose value equals ``selected``
    (compared as text) marked ``selected``.

    A filter with hundreds of choices (the activity log's *Who*) costs a template loop
    iteration, a filter and a comparison per option; this is one join."""
    chosen = "" if selected is None else str(selected)
    return SafeString(
        "".join(
            '<option value="{}"{}>{}</option>'.format(
                escape_value(value),
                " selected" if str(value) == chosen else "",
                escape_value(label),
            )
            for value, label in choices
        )
    )


# --- Values as the templates' filters show them, for rows written in Python ---------------
#
# ``{{ x|floatformat:"2g" }}`` and ``{{ d|date:"SHORT_DATE_FORMAT" }}`` cost a filter lookup,
# a format-module lookup and Decimal arithmetic per cell; a list page has 50 to 100 of them.
# These formatters look the active language's formats up once and then format each value with
# plain string operations. tests/portal/test_html.py proves they write what the filters write.

_DATE_PARTS = {
    "d": lambda d: f"{d.day:02d}",
    "j": lambda d: str(d.day),
    "m": lambda d: f"{d.month:02d}",
    "n": lambda d: str(d.month),
    "Y": lambda d: f"{d.year:04d}",
    "H": lambda d: f"{d.hour:02d}",
    "i": lambda d: f"{d.minute:02d}",
}


def _local(value):
    """An aware datetime in the current time zone; a date or a naive datetime as it is."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date_formatter(format_name: str = "SHORT_DATE_FORMAT") -> Callable[[date], str]:
    """A function writing a date (or a datetime, in the current time zone) as
    ``{{ value|date:format_name }}`` does in the active language."""
    pattern = get_format(format_name)
    if any(char.isalpha() and char not in _DATE_PARTS for char in pattern) or "\\" in pattern:
        # A format these parts do not cover: Django's own formatter, value by value, given
        # the local time as the template engine gives it (``expects_localtime``).
        return lambda value: date_filter(_local(value), format_name)
    parts = [_DATE_PARTS.get(char, char) for char in pattern]

    def write(value) -> str:
        value = _local(value)
        return "".join(part if isinstance(part, str) else part(value) for part in parts)

    return write


def money_formatter() -> Callable[[Decimal], str]:
    """A function writing an amount as ``{{ value|floatformat:"2g" }}`` does in the active
    language: two decimals, thousands grouped (``1.234,50`` in Dutch, ``1,234.50`` in
    English), halves rounded up."""
    decimal_separator = get_format("DECIMAL_SEPARATOR")
    thousand_separator = get_format("THOUSAND_SEPARATOR")
    cent = Decimal("0.01")

    def write(value) -> str:
        value = Decimal(value).quantize(cent, rounding=ROUND_HALF_UP)
        text = f"{abs(value):,.2f}"
        if decimal_separator != "." or thousand_separator != ",":
            text = (
                text.replace(",", "\x00")
                .replace(".", decimal_separator)
                .replace("\x00", thousand_separator)
            )
        return f"-{text}" if value < 0 else text

    return write


# --- format_html for rows ----------------------------------------------------------------
#
# ``format_html`` escapes each value through ``conditional_escape`` and ``escape``; escape is
# wrapped to accept a lazy translation, and that check (a generator over its arguments)
# costs about six times the escaping itself (0.30 against 0.04 ms for 250 values). A row has
# five to twelve values and a page 25 to 50 rows. These do the same, value by value, without
# the wrapper; tests/portal/test_html.py proves they write what conditional_escape and
# format_html write.


def escape_value(value) -> str:
    """``conditional_escape(value)``: markup (anything with ``__html__``, e.g. SafeString)
    as it is, anything else (a lazy translation too) as text with ``& < > " '`` escaped."""
    if type(value) is str:  # the usual case: text from the database
        return html.escape(value)
    if isinstance(value, Promise):  # a lazy translation, or lazy markup
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_row(template: str, /, **values) -> SafeString:
    """``format_html(template, **values)``: the template is trusted markup, every value is
    escaped unless it is markup already."""
    return SafeString(template.format_map({key: escape_value(v) for key, v in values.items()}))


# What ``reverse`` leaves unquoted in a path argument.
_PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"


def url_maker(name: str, argument: str, example) -> Callable[[object], str]:
    """``reverse(name, kwargs={argument: value})`` for the many rows of a page at the price
    of one ``reverse``: the URL is reversed once with ``example`` (a value the route accepts
    and that appears nowhere else in it) and cut around it; each value is quoted as
    ``reverse`` quotes it."""
    marker = str(example)
    prefix, suffix = reverse(name, kwargs={argument: example}).rsplit(marker, 1)
    return lambda value: f"{prefix}{quote(str(value), safe=_PATH_SAFE)}{suffix}"
