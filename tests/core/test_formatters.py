"""The helpers of list pages (core/formatters.py): the formatters write exactly what the template
filters write, the URL maker what reverse writes, the options of a filter mark the chosen
one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from core.formatters import (
    Option,
    date_formatter,
    email_parts,
    money_formatter,
    select_options,
    url_maker,
)

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


def test_select_options_mark_the_chosen_value_compared_as_text():
    choices = [("", "Iedereen"), (7, "Ruud Coon"), ("12", '<b>"Anne"</b> & co')]
    assert select_options(choices, "7") == [
        Option("", "Iedereen", False),
        Option("7", "Ruud Coon", True),
        Option("12", '<b>"Anne"</b> & co', False),
    ]
    assert [option.selected for option in select_options(choices, None)] == [True, False, False]
    assert [option.selected for option in select_options(choices, 12)] == [False, False, True]


def test_select_options_with_lazy_labels_are_text_in_the_active_language():
    with translation.override("nl"):
        (option,) = select_options([("unpaid", gettext_lazy("Unpaid"))], "")
    assert option == Option("unpaid", "Niet betaald", False)
    assert type(option.label) is str


def test_the_options_fragment_writes_them_escaped():
    options = select_options([("", "Everyone"), ('1"', '<b>"A"</b> & co')], '1"')
    html = engines["django"].from_string(
        '{% load portal_fragments %}{% fragment "portal/options.jinja" options=options %}'
    )
    assert html.render({"options": options}).strip() == (
        '<option value="">Everyone</option>'
        '<option value="1&#34;" selected>&lt;b&gt;&#34;A&#34;&lt;/b&gt; &amp; co</option>'
    )


def test_a_template_row_answers_item_lookups_with_its_fields():
    option = Option("1", "Een", True)
    assert (option["value"], option["label"], option["selected"]) == ("1", "Een", True)
    with pytest.raises(AttributeError):
        option["missing"]
    rendered = engines["django"].from_string("{{ o.label }}|{{ o.missing }}|{{ o.0 }}")
    assert rendered.render({"o": option}) == "Een||"


# Lone surrogates (category Cs) are no text a URL can carry: reverse() itself cannot encode them.
@given(
    number=st.text(
        alphabet=st.characters(exclude_characters="/\x00", exclude_categories=["Cs"]),
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


# --- e-mail addresses that break only at the @ (issue 17, section 3) -------------------------


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        ("anne@rodelente.example", ("anne@", "rodelente.example")),
        ('"a@b"@example.com', ('"a@b"@', "example.com")),  # a quoted local part may hold an @
        ("no-address", ("no-address", "")),
        ("", ("", "")),
    ],
)
def test_email_parts_cut_after_the_last_at(address, parts):
    assert email_parts(address) == parts


@given(address=st.text(max_size=40))
def test_email_parts_keep_every_character_and_the_domain_has_no_at(address):
    local, domain = email_parts(address)
    assert local + domain == address
    assert "@" not in domain
    assert local.endswith("@") or "@" not in address


def test_the_email_include_writes_two_unbreakable_parts_with_a_break_between():
    template = engines["django"].from_string(
        '{% include "portal/_email.html" with email=address %}'
    )
    assert template.render({"address": "o'brien&co@<rodelente>.example"}) == (
        '<span class="email-address"><span class="email-part">o&#x27;brien&amp;co@</span>'
        '<wbr><span class="email-part">&lt;rodelente&gt;.example</span></span>'
    )


def test_the_fragments_have_the_email_parts_filter():
    template = engines["fragments"].from_string(
        "{% set local, domain = address|email_parts %}{{ local }}|{{ domain }}"
    )
    assert template.render({"address": "anne@<x>.example"}) == "anne@|&lt;x&gt;.example"
