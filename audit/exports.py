"""*Activiteit* as a file for auditors (issue 17): the view answers the request, this builds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext

from audit.models import AuditEvent
from audit.sentences import event_actor, event_sentence
from core.csv_export import csv_response

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import StreamingHttpResponse

    from accounts.models import Organisation

# Events read from the database at a time while the file streams: the whole log of a large
# organisation is never in memory at once.
CHUNK_SIZE = 500


def audit_event_csv(
    *, events: QuerySet[AuditEvent], organisation: Organisation
) -> StreamingHttpResponse:
    """The events (every one the filter finds, not a page) as the page tells them, newest
    first: when (local date and time), who, their e-mail address as it was, what (the kind
    of activity) and the sentence with its changes, in the language of the request. No IP
    address or user agent, as on the page. Every cell is text or a date, guarded by the
    writer (``core.csv_export``): names and values were typed by people."""
    actions = dict(AuditEvent.Action.choices)
    header = [
        gettext("Date"),
        gettext("Time"),
        gettext("Who"),
        gettext("E-mail"),
        gettext("Activity"),
        gettext("What"),
    ]

    def rows():
        for event in events.iterator(chunk_size=CHUNK_SIZE):
            moment = timezone.localtime(event.created_at)
            yield [
                moment.date(),
                f"{moment:%H:%M:%S}",
                event_actor(event),
                event.actor_email,
                str(actions.get(event.action, event.action)),
                event_sentence(event),
            ]

    name = [gettext("activity"), organisation.debtor_number, timezone.localdate()]
    return csv_response(name=name, header=header, rows=rows())
