"""A little history in *Rode Lente*'s activity log, so *Activiteit* is not empty (demo only).

Written once: when the log already holds Anne's access being granted, nothing is added. The
billing address's history is the billing_address demo's own.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from audit.models import AuditEvent
from audit.services import audit_own_account, audit_person_label, audit_record

Action = AuditEvent.Action


@transaction.atomic
def seed() -> int:
    """Adds the demo events; returns how many (0 when they exist already)."""
    organisation = Organisation.objects.filter(debtor_number="100001").first()
    services = Organisation.objects.filter(debtor_number="100002").first()
    ruud = User.objects.filter(email="ruud.coon@example.com").first()
    anne = User.objects.filter(email="anne.vanamersfoort@example.com").first()
    if None in (organisation, services, ruud, anne):
        return 0  # accounts.demo has not run
    anne_label = audit_person_label(anne)
    if AuditEvent.objects.filter(
        organisation=organisation, action=Action.ACCESS_GRANTED, target_label=anne_label
    ).exists():
        return 0
    membership = Membership.objects.filter(
        user=anne, organisation=organisation, kind=Membership.Kind.ORGANISATION
    ).first()
    organisation_kind = Membership.Kind.ORGANISATION.value
    history = [
        (
            92,
            {
                "action": Action.ACCESS_GRANTED,
                "organisation": organisation,
                "after": {"kind": organisation_kind, "role": "admin", "security_contact": True},
            },
        ),
        (92, {"action": Action.WELCOME_SENT, "organisation": organisation}),
        (
            61,
            {
                "action": Action.ACCESS_CHANGED,
                "organisation": organisation,
                "before": {"kind": organisation_kind, "role": "admin"},
                "after": {"kind": organisation_kind, "role": "viewer"},
            },
        ),
        (
            33,
            {
                "action": Action.CONTACT_CHANGED,
                "organisation": organisation,
                "before": {"job_title": "", "phone": ""},
                "after": {"job_title": "Senior controller", "phone": "+31201234568"},
            },
        ),
    ]
    now = timezone.now()
    for days_ago, fields in history:
        event = audit_record(
            actor=ruud, target=membership or anne, target_label=anne_label, **fields
        )
        AuditEvent.objects.filter(pk=event.pk).update(created_at=now - timedelta(days=days_ago))
    return len(history) + _security_history(ruud, organisation, services, now=now)


def _security_history(ruud: User, organisation, services, *, now) -> int:
    """Ruud's own security history: a login (staff see it in admin) and a switch to the other
    organisation (its Admins see it in *Activiteit*). Returns how many events."""
    login = audit_own_account(action=Action.LOGIN_SUCCEEDED, user=ruud)
    switch = audit_record(
        action=Action.ORGANISATION_SWITCHED,
        actor=ruud,
        organisation=services,
        target=services,
        target_label=services.name,
        before={"organisation": organisation.name},
    )
    AuditEvent.objects.filter(pk=login.pk).update(created_at=now - timedelta(days=2))
    AuditEvent.objects.filter(pk=switch.pk).update(
        created_at=now - timedelta(days=2) + timedelta(minutes=3)
    )
    return 2
