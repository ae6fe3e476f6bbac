"""Helpers for the values that list pages show many times: the options of a filter, dates
and amounts as the templates' filters write them, URLs of one route for many rows, and the
base of the rows a template loops over.

The markup is the templates'. What is the same on every row (a format, a URL's shape, a
translation) is looked up here once per page, so a row is a handful of plain attributes for
the template loop. No markup is written here (tests/test_markup_in_templates.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.urls.resolvers import RFC3986_SUBDELIMS
from django.utils import timezone
from django.utils.formats import get_format


class TemplateRow:
    """The base of the frozen dataclasses a template loops over (the rows of a list).

    For ``{{ row.number }}`` Django's template engine first tries ``row["number"]`` and only
    then the attribute; a dataclass answers the first try by raising TypeError, which costs
    about 0.1 ms on a page of 25 rows of a dozen cells. Answering the item lookup with the
    field saves it: ``row["number"]`` is ``row.number``."""

    __slots__ = ()

    def __getitem__(self, name: str):
        return getattr(self, name)


@dataclass(frozen=True, slots=True)
class Option(TemplateRow):
    """An ``option`` of a ``select``: ``templates/jinja2/portal/options.jinja`` writes them."""

    value: str
    label: str
    selected: bool


def select_options(choices, selected) -> list[Option]:
    """The options of a filter's ``select`` from a form field's ``choices``, the one whose
    value equals ``selected`` (compared as text) chosen.

    A filter may have hundreds of choices (the activity log's *Who*): compared here once per
    option, the template's loop only writes them."""
    chosen = "" if selected is None else str(selected)
    return [Option(str(value), str(label), str(value) == chosen) for value, label in choices]


# --- Values as the templates' filters show them -------------------------------------------
#
# ``{{ x|floatformat:"2g" }}`` and ``{{ d|date:"SHORT_DATE_FORMAT" }}`` cost a filter lookup,
# a format-module lookup and Decimal arithmetic per cell; a list page has 50 to 100 of them.
# These formatters look the active language's formats up once and then format each value with
# plain string operations. tests/core/test_formatters.py proves they write what the filters write.

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


def email_parts(address: str) -> tuple[str, str]:
    """An e-mail address cut after its (last) ``@``: ``("anne@", "example.com")``.

    The templates write the two parts as unbreakable pieces with a line-break opportunity
    between them (``portal/_email.html``, ``{{ address|email_parts }}`` in the Jinja2
    fragments), so a narrow column breaks an address only at the ``@``, never inside a word,
    and the address is still copied as one string. Text without ``@`` is one part."""
    local, at, domain = str(address).rpartition("@")
    return (f"{local}{at}", domain) if at else (domain, "")
