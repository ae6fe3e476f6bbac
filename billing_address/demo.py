"""Demo billing addresses of *Rode Lente*'s organisations, with a short history (demo only).

Rode Lente's is the guide's card, with a valid phone number (the guide's +31 123456789 is not
one). The history is made through the service, as an Admin would, and dated in the past; it is
written once: an address edited later in the portal is kept as it is.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from audit.models import AuditEvent
from billing_address.models import BillingAddress, BillingAddressChange
from billing_address.services import billing_address_update

ADDRESSES = {
    "100001": {
        "attention": "Afdeling Crediteurenadministratie",
        "organisation_name": "Rode Lente",
        "street": "Lange Gracht 16B",
        "postcode": "1234 AB",
        "city": "Amsterdam",
        "country": "NL",
        "email": "invoices@rodelente.nl",
        "phone": "+31201234567",
    },
    "100002": {
        "attention": "Afdeling Financiën",
        "organisation_name": "Rode Lente Services",
        "street": "Kanaalweg 8",
        "postcode": "3526 KL",
        "city": "Utrecht",
        "country": "NL",
        "email": "finance@rodelenteservices.nl",
        "phone": "+31307654321",
    },
}
# Earlier states of Rode Lente's address, oldest first: (days ago, values that differed).
HISTORY = {
    "100001": [
        (400, {"street": "Herengracht 1", "postcode": "1015 BA", "email": "finance@rodelente.nl"}),
        (120, {"email": "finance@rodelente.nl"}),
    ],
}
EDITOR = "ruud.coon@example.com"


@transaction.atomic
def seed() -> None:
    editor = User.objects.filter(email=EDITOR).first()
    for debtor_number, address in ADDRESSES.items():
        organisation = Organisation.objects.get(debtor_number=debtor_number)
        if BillingAddress.objects.filter(organisation=organisation).exists():
            continue
        states = [{**address, **earlier} for _days, earlier in HISTORY.get(debtor_number, [])]
        days = [days for days, _earlier in HISTORY.get(debtor_number, [])]
        version = 0
        for state in [*states, address]:
            saved = billing_address_update(
                organisation=organisation, by=editor, values=state, expected_version=version
            )
            version = saved.version
        _backdate(saved, days)


def _backdate(address: BillingAddress, days: list[int]) -> None:
    """Spreads the demo history over the past (the last change a month ago)."""
    now = timezone.now()
    moments = [now - dt.timedelta(days=d) for d in days] + [now - dt.timedelta(days=30)]
    changes = list(BillingAddressChange.objects.filter(address=address).order_by("version"))
    events = list(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.BILLING_ADDRESS_CHANGED, organisation=address.organisation
        ).order_by("pk")
    )
    for change, moment in zip(changes, moments, strict=False):
        change.changed_at = moment
        change.save(update_fields=["changed_at"])
    for event, moment in zip(events, moments, strict=False):
        event.created_at = moment
        event.save(update_fields=["created_at"])
