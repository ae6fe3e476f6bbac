"""The rows of the *Activiteit* table (audit/rows.py): when (local time, in the reader's date
format, as the template's date filters wrote it), who, and the sentence; and how the page
writes them (escaped, in templates/audit/event_list.html). The whole page's markup is held by
tests/test_golden_html.py."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from audit.models import AuditEvent
from audit.rows import EventRow, event_rows
from tests.accounts.factories import UserFactory
from tests.audit.factories import AuditEventFactory
from tests.html_rows import table_rows

Action = AuditEvent.Action
UTC = dt.UTC
LIST = reverse("audit:list")


def event(created_at, *, actor="Ruud Coon", **fields) -> AuditEvent:
    values = {
        "action": Action.BILLING_ADDRESS_CHANGED,
        "actor_name": actor,
        "actor_email": "ruud@rodelente.example",
        "target_label": "Rode Lente, Amsterdam",
        "before": {"postcode": "1234 AB"},
        "after": {"postcode": "1017 AB"},
    }
    return AuditEvent(created_at=created_at, **values | fields)


def rows(events, language="nl") -> list[EventRow]:
    with translation.override(language):
        return event_rows(events)


@pytest.mark.parametrize(
    ("language", "moment", "expected"),
    [
        # winter and summer time in Amsterdam; the microseconds stay in the machine's moment
        (
            "nl",
            dt.datetime(2026, 1, 19, 14, 5, 0, 72806, tzinfo=UTC),
            ("2026-01-19T15:05:00.072806+01:00", "19-1-2026 15:05"),
        ),
        (
            "en",
            dt.datetime(2026, 1, 19, 14, 5, 0, 72806, tzinfo=UTC),
            ("2026-01-19T15:05:00.072806+01:00", "19/01/2026 15:05"),
        ),
        (
            "nl",
            dt.datetime(2026, 7, 31, 22, 30, tzinfo=UTC),
            ("2026-08-01T00:30:00+02:00", "1-8-2026 00:30"),
        ),
    ],
)
def test_when_in_local_time_and_the_readers_date_format(language, moment, expected):
    (row,) = rows([event(moment)], language)
    assert (row.moment, row.when) == expected


@pytest.mark.parametrize("language", ["nl", "en"])
@given(moment=st.datetimes(timezones=st.just(ZoneInfo("UTC")), min_value=dt.datetime(1900, 1, 2)))
def test_when_as_the_templates_date_and_time_filters_wrote_it(language, moment):
    with translation.override(language):
        local = timezone.localtime(moment)  # the template engine's ``expects_localtime``
        expected = (
            date_filter(local, "c"),
            f"{date_filter(local, 'SHORT_DATE_FORMAT')} {time_filter(local, 'H:i')}",
        )
    (row,) = rows([event(moment)], language)
    assert (row.moment, row.when) == expected


def test_a_row_is_when_who_and_the_sentence_in_the_readers_language():
    moment = dt.datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
    assert rows([event(moment)]) == [
        EventRow(
            moment="2026-03-04T12:00:00+01:00",
            when="4-3-2026 12:00",
            actor="Ruud Coon",
            sentence="Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB",
        )
    ]
    (english,) = rows([event(moment)], "en")
    assert english.sentence == "Ruud Coon changed the billing address: postcode 1234 AB → 1017 AB"


def test_someone_without_a_name_is_named_by_email_or_as_someone():
    moment = dt.datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
    events = [event(moment, actor=""), event(moment, actor="", actor_email="")]
    assert [row.actor for row in rows(events, "en")] == ["ruud@rodelente.example", "Someone"]


def test_no_events_no_rows():
    assert rows([]) == []


def test_the_page_writes_the_rows_escaped(admin_client_portal, organisation):
    hostile = UserFactory(first_name='<script>alert("x")</script>', last_name="& Co")
    AuditEventFactory(
        organisation=organisation,
        actor=hostile,
        before={"city": "<b>Stad</b> &"},
        after={"city": "Dorp"},
        created_at=dt.datetime(2026, 3, 4, 11, 0, tzinfo=UTC),
    )
    html = admin_client_portal.get(LIST).content.decode()
    assert "<script>" not in html
    assert "<b>" not in html
    name = '<script>alert("x")</script> & Co'
    # The cells read as stored (every <, > and & arrived as a character reference).
    assert table_rows(html, "event-row") == [
        [
            "4-3-2026 12:00",
            name,
            f"{name} wijzigde het factuuradres: plaats <b>Stad</b> & → Dorp",
        ]
    ]
    assert '<time datetime="2026-03-04T12:00:00+01:00">' in html
    # The person is a choice of the *Who* filter, escaped there too.
    (option,) = re.findall(rf'<option value="{hostile.pk}">([^<]*)</option>', html)
    assert html_module.unescape(option) == f"{name} ({hostile.email})"
