"""The rows of the *Activiteit* table: the values each row shows, worked out once per page.

The markup is ``templates/audit/event_list.html``, which loops over these rows. The date
format is looked up once per page (``core.formatters.date_formatter``) and each moment converted
to local time once, where the template's three date filters per row (each a filter lookup, a
format lookup and a time-zone conversion) were most of the page's time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from audit.models import AuditEvent
from audit.sentences import event_actor, event_sentence
from core.formatters import TemplateRow, date_formatter


@dataclass(frozen=True, slots=True)
class EventRow(TemplateRow):
    """One event as its row shows it, in the reader's language and time zone."""

    # The moment for machines (the time element's ``datetime``: ISO 8601 with microseconds
    # and offset) and for people: the date in the language's short format and the time
    # (``4-3-2026 12:00``).
    moment: str
    when: str
    actor: str
    sentence: str


def event_rows(events: Iterable[AuditEvent]) -> list[EventRow]:
    """The rows for ``events``: when (local time, as ``|date:"SHORT_DATE_FORMAT"`` and
    ``|time:"H:i"`` write it, with the ISO moment), who, and the sentence."""
    short_date = date_formatter("SHORT_DATE_FORMAT")
    rows = []
    for event in events:
        # Converted once: the ISO moment (``|date:'c'``), the date (of the local day, so the
        # formatter need not convert again) and the time.
        moment = timezone.localtime(event.created_at)
        rows.append(
            EventRow(
                moment=moment.isoformat(),
                when=f"{short_date(moment.date())} {moment.hour:02d}:{moment.minute:02d}",
                actor=event_actor(event),
                sentence=event_sentence(event),
            )
        )
    return rows
