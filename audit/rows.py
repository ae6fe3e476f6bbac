"""The rows of the *Activiteit* table, written in Python rather than in a template loop.

Rendered by the template, a page of 50 events cost three date filters per row (each a
filter lookup, a format lookup and a time-zone conversion). Here the date format is looked
up once per page and each row is one ``format_row`` (format_html without its per-value
overhead, see portal.html). The HTML is what the template wrote
(tests/audit/test_rows.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.utils import timezone
from django.utils.safestring import SafeString

from audit.sentences import event_actor, event_sentence
from portal.html import date_formatter, format_row

if TYPE_CHECKING:
    from collections.abc import Iterable

    from audit.models import AuditEvent

ROW = (
    '<tr data-testid="event-row"><td class="text-nowrap"><time datetime="{iso}">{date} {time}'
    '</time></td><td>{actor}</td><td data-testid="event-sentence">{sentence}</td></tr>\n'
)


class EventRow(TypedDict):
    event: AuditEvent
    actor: str
    sentence: str


def event_row(event: AuditEvent) -> EventRow:
    """An event with who did it and what it says, in the active language."""
    return {"event": event, "actor": event_actor(event), "sentence": event_sentence(event)}


def event_rows(rows: Iterable[EventRow]) -> SafeString:
    """The ``<tr>`` elements of the *Activiteit* table: when (local time, the date in the
    language's short format, as ``|date:"SHORT_DATE_FORMAT"`` and ``|time:"H:i"`` write it,
    with the ISO moment for machines), who, and the sentence."""
    short_date = date_formatter("SHORT_DATE_FORMAT")
    html = []
    for row in rows:
        # Converted once: the ISO moment (``|date:'c'``, microseconds included), the date
        # (of the local day, so the formatter need not convert again) and the time.
        moment = timezone.localtime(row["event"].created_at)
        html.append(
            format_row(
                ROW,
                iso=moment.isoformat(),
                date=short_date(moment.date()),
                time=f"{moment.hour:02d}:{moment.minute:02d}",
                actor=row["actor"],
                sentence=row["sentence"],
            )
        )
    return SafeString("".join(html))
