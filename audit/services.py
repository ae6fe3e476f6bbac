"""The one way into the audit log (R25)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import Customer, Organisation, User

USER_AGENT_MAX = AuditEvent._meta.get_field("user_agent").max_length


def _client_ip(request: HttpRequest) -> str | None:
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return None


def audit_person_label(user: User) -> str:
    """How a person is named as an event's target: name and e-mail, as they are now."""
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


def _target_label(target: Any) -> str:
    """A person, or a person's access, is named the same way everywhere: name and e-mail."""
    from accounts.models import Membership, User

    if target is None:
        return ""
    if isinstance(target, User):
        return audit_person_label(target)
    if isinstance(target, Membership):
        return audit_person_label(target.user)
    return str(target)


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    organisation: Organisation | None = None,
    customer: Customer | None = None,
    target: Any = None,
    target_type: str = "",
    target_label: str = "",
    before: dict | None = None,
    after: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Writes one event. Call it inside the transaction of the change it records, so an
    event exists exactly when the change does.

    ``target`` (a model instance) fills the target's type, id and label unless they are given.
    ``before``/``after`` hold only JSON-safe values (strings, numbers, booleans, None).
    The IP address and user agent come from ``request`` and are shown to staff only.
    The customer is the organisation's, else ``customer``, else the actor's: an event about a
    person without an organisation (a failed login) still belongs to their customer.
    """
    if action not in AuditEvent.Action.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    customer_id = None
    if organisation is not None:
        customer_id = organisation.customer_id
    elif customer is not None:
        customer_id = customer.pk
    elif actor is not None:
        customer_id = actor.customer_id
    event = AuditEvent(
        action=action,
        actor=actor,
        actor_email=actor.email if actor is not None else "",
        actor_name=actor.get_full_name() if actor is not None else "",
        customer_id=customer_id,
        organisation=organisation,
        target_type=target_type or (target._meta.model_name if target is not None else ""),
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=(target_label or _target_label(target))[:300],
        before=before or {},
        after=after or {},
    )
    if request is not None:
        event.ip_address = _client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
    event.save()
    return event


def audit_own_account(
    *,
    action: str,
    user: User,
    request: HttpRequest | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Writes one event of a person acting on their own account: a login, a password set
    or changed, two-factor login turned on or off, a login code used.

    The person is both the actor and the target, named as they are now. The event belongs
    to no organisation, only to the person's customer: staff find it in admin, and
    *Activiteit* (an organisation's log) does not show it.
    """
    return audit_record(action=action, actor=user, target=user, after=after, request=request)


PRUNE_BATCH_SIZE = 1000


def audit_event_prune(
    *, older_than_days: int, dry_run: bool = False, batch_size: int = PRUNE_BATCH_SIZE
) -> int:
    """Deletes the events older than ``older_than_days`` days (the retention period) and
    returns how many there were. Deleted in batches of ``batch_size``, each in its own short
    transaction, so pruning a large backlog never locks the table for long."""
    if older_than_days < 1:
        raise ValueError("The retention period is at least one day.")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    expired = AuditEvent.objects.filter(created_at__lt=cutoff)
    if dry_run:
        return expired.count()
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not batch:
                return deleted
            deleted += AuditEvent.objects.filter(pk__in=batch).delete()[0]
