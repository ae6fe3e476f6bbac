"""Reads of the audit log. The portal's reads take the organisation they are about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max, Q, QuerySet

from audit.models import AuditEvent
from core.raw_rows import raw_datetime, raw_json

if TYPE_CHECKING:
    from accounts.models import Organisation


@dataclass(frozen=True)
class AuditActor:
    """Someone who acted in an organisation, named as on their latest event there."""

    id: int
    name: str
    email: str

    @property
    def label(self) -> str:
        if self.name and self.email:
            return f"{self.name} ({self.email})"
        return self.name or self.email


def audit_event_list(
    *, organisation: Organisation, action: str = "", actor_id: int | None = None, query: str = ""
) -> QuerySet[AuditEvent]:
    """The organisation's events, newest first, narrowed by action, actor and a search text.

    Only events recorded *for* this organisation: a person's security events (logins,
    password, two-factor login) belong to no organisation and are for staff in admin.
    The search looks in the actor's name and e-mail, the target's label and the values
    before and after (so a postcode or a name that was changed is found too).
    """
    events = AuditEvent.objects.filter(organisation=organisation)
    if action:
        events = events.filter(action=action)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    query = query.strip()
    if query:
        events = events.filter(
            Q(actor_name__icontains=query)
            | Q(actor_email__icontains=query)
            | Q(target_label__icontains=query)
            | Q(before__icontains=query)
            | Q(after__icontains=query)
        )
    return events.order_by("-created_at", "-pk")


def audit_event_actions(*, organisation: Organisation) -> list[str]:
    """The actions that occur in the organisation's log, in the order of the choices."""
    present = set(
        AuditEvent.objects.filter(organisation=organisation)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )
    return [value for value in AuditEvent.Action.values if value in present]


def audit_event_actors(*, organisation: Organisation) -> list[AuditActor]:
    """The people who acted in the organisation's log (one query, one row per person), sorted
    by name. A deleted account has no id left to filter on and is not offered."""
    rows = (
        AuditEvent.objects.filter(organisation=organisation, actor__isnull=False)
        .order_by()
        .values("actor_id")
        .annotate(latest=Max("pk"))
        .values_list("latest", flat=True)
    )
    actors = AuditEvent.objects.filter(pk__in=rows).values_list(
        "actor_id", "actor_name", "actor_email"
    )
    people = [AuditActor(id=pk, name=name, email=email) for pk, name, email in actors]
    return sorted(people, key=lambda person: (person.label.casefold(), person.id))


# The overview reads an organisation's latest events in its one statement (portal/overview.py):
# the named subquery (``%(events)s`` of them, newest first as ``audit_event_list`` orders
# them, from the index ``audit_org_created``), its order and a function reading a row back.
# The fields a sentence needs (``audit.rows.event_rows``), in the model's order, as
# ``Model.from_db`` takes them; not the IP address and user agent, which are for staff.
LATEST_EVENT_FIELDS = (
    "id",
    "created_at",
    "actor_email",
    "actor_name",
    "action",
    "target_label",
    "before",
    "after",
)
LATEST_EVENTS_CTE = f"""
latest_events AS (
  SELECT {", ".join(LATEST_EVENT_FIELDS)} FROM {AuditEvent._meta.db_table}
   WHERE organisation_id = %(organisation)s
   ORDER BY created_at DESC, id DESC LIMIT %(events)s
)"""  # noqa: S608 - column and table names from the model; every value is a parameter
LATEST_EVENTS_ORDER = "latest_events.created_at DESC, latest_events.id DESC"
LATEST_EVENTS_WIDTH = len(LATEST_EVENT_FIELDS)


def latest_event_from_row(values) -> AuditEvent | None:
    """An event (only ``LATEST_EVENT_FIELDS`` loaded) from those columns as raw SQL returns
    them; None for the empty columns where there is none."""
    pk, created_at, actor_email, actor_name, action, target_label, before, after = values
    if pk is None:
        return None
    return AuditEvent.from_db(
        AuditEvent.objects.db,
        LATEST_EVENT_FIELDS,
        (
            pk,
            raw_datetime(created_at),
            actor_email,
            actor_name,
            action,
            target_label,
            raw_json(before),
            raw_json(after),
        ),
    )
