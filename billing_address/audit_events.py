"""How the activity log tells this app's events (registered in ``apps.py``; audit.sentences)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.sentences import EventDescription, audit_events_describe, changes_text
from billing_address.countries import country_name
from billing_address.models import BillingAddress
from core.phones import phone_display

FIELDS = dict.fromkeys(BillingAddress.EDITABLE_FIELDS, BillingAddress)

EVENTS = {
    AuditEvent.Action.BILLING_ADDRESS_CHANGED: EventDescription(
        _("%(actor)s changed the billing address"), fields=FIELDS
    ),
}


VALUES = {"country": country_name, "phone": phone_display}


def billing_address_changes_text(before: dict[str, Any], after: dict[str, Any]) -> str:
    """A change of the address as the log tells it ("postcode 1234 AB → 1017 AB, …")."""
    return changes_text(FIELDS, before, after)


def register() -> None:
    audit_events_describe(EVENTS, values=VALUES)
