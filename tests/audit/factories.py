from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from audit.models import AuditEvent


class AuditEventFactory(DjangoModelFactory):
    """An event as audit_record writes it; pass ``organisation`` (and ``actor``) as needed."""

    class Meta:
        model = AuditEvent

    action = AuditEvent.Action.BILLING_ADDRESS_CHANGED
    actor = None
    actor_email = factory.LazyAttribute(lambda o: o.actor.email if o.actor else "")
    actor_name = factory.LazyAttribute(lambda o: o.actor.get_full_name() if o.actor else "")
    customer = factory.LazyAttribute(lambda o: o.organisation.customer if o.organisation else None)
    organisation = None
    target_type = "billingaddress"
    target_label = "Rode Lente, Amsterdam"
    before = factory.LazyFunction(lambda: {"postcode": "1234 AB"})
    after = factory.LazyFunction(lambda: {"postcode": "1017 AB"})
