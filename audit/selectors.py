"""Reads of the audit log. The portal's reads take the organisation they are about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max, Q, QuerySet

from audit.models import AuditEvent

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
