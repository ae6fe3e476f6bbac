"""The rows of the *Activiteit* table as audit.rows writes them: when (local time, in the
reader's date format, as the template's date filters wrote it), who, and the sentence."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import time as time_filter
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from audit.models import AuditEvent
from audit.rows import event_row, event_rows

Action = AuditEvent.Action
UTC = dt.UTC


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


def write(events, language="nl") -> str:
    with translation.override(language):
        return str(event_rows([event_row(item) for item in events]))


def when(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<time datetime="([^"]*)">([^<]*)</time>', html)


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
    assert when(write([event(moment)], language)) == [expected]


@pytest.mark.parametrize("language", ["nl", "en"])
@given(moment=st.datetimes(timezones=st.just(ZoneInfo("UTC")), min_value=dt.datetime(1900, 1, 2)))
def test_when_as_the_templates_date_and_time_filters_wrote_it(language, moment):
    with translation.override(language):
        local = timezone.localtime(moment)  # the template engine's ``expects_localtime``
        expected = (
            date_filter(local, "c"),
            f"{date_filter(local, 'SHORT_DATE_FORMAT')} {time_filter(local, 'H:i')}",
        )
    assert when(write([event(moment)], language)) == [expected]


def test_a_row_is_when_who_and_the_sentence_in_the_readers_language():
    moment = dt.datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
    assert write([event(moment)]) == (
        '<tr data-testid="event-row"><td class="text-nowrap">'
        '<time datetime="2026-03-04T12:00:00+01:00">4-3-2026 12:00</time></td>'
        "<td>Ruud Coon</td>"
        '<td data-testid="event-sentence">'
        "Ruud Coon wijzigde het factuuradres: postcode 1234 AB → 1017 AB</td></tr>\n"
    )
    assert (
        '<td data-testid="event-sentence">'
        "Ruud Coon changed the billing address: postcode 1234 AB → 1017 AB</td>"
    ) in write([event(moment)], "en")


def test_someone_without_a_name_is_named_by_email_or_as_someone():
    moment = dt.datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
    html = write([event(moment, actor=""), event(moment, actor="", actor_email="")], "en")
    actors = re.findall(r"</time></td><td>([^<]*)</td>", html)
    assert actors == ["ruud@rodelente.example", "Someone"]


def test_names_and_values_are_escaped():
    moment = dt.datetime(2026, 3, 4, 11, 0, tzinfo=UTC)
    hostile = event(
        moment,
        actor='<script>alert("x")</script> & Co',
        before={"city": "<b>Stad</b> &"},
        after={"city": "Dorp"},
    )
    html = write([hostile])
    assert "<script>" not in html
    assert "<b>" not in html
    assert "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</td>" in html
    assert (
        '<td data-testid="event-sentence">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; '
        "&amp; Co wijzigde het factuuradres: plaats &lt;b&gt;Stad&lt;/b&gt; &amp; → Dorp</td>"
    ) in html


def test_event_row_names_the_event_its_actor_and_sentence():
    item = event(dt.datetime(2026, 3, 4, 11, 0, tzinfo=UTC))
    with translation.override("en"):
        assert event_row(item) == {
            "event": item,
            "actor": "Ruud Coon",
            "sentence": "Ruud Coon changed the billing address: postcode 1234 AB → 1017 AB",
        }


def test_no_events_write_nothing():
    assert write([]) == ""
