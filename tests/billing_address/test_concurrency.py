"""Two Admins save the billing address at the same moment, on PostgreSQL with two real
connections: one save wins, the other is refused with the address as it is now (issue 11)."""

from __future__ import annotations

import pytest
from django.db import connection

from audit.models import AuditEvent
from billing_address.models import BillingAddress, BillingAddressChange
from billing_address.services import BillingAddressConflict, billing_address_update
from tests.accounts.factories import MembershipFactory, OrganisationFactory
from tests.concurrency_helpers import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

VALUES = {
    "attention": "Crediteuren",
    "organisation_name": "Rode Lente",
    "street": "Lange Gracht 16B",
    "postcode": "1234 AB",
    "city": "Amsterdam",
    "country": "NL",
    "email": "invoices@rodelente.example",
    "phone": "+31 20 123 4567",
}


def test_two_saves_of_the_same_version_at_once_one_wins_the_other_is_told():
    organisation = OrganisationFactory(name="Rode Lente")
    first = MembershipFactory(organisation=organisation, role="admin").user
    second = MembershipFactory(organisation=organisation, role="admin").user
    billing_address_update(organisation=organisation, by=first, values=VALUES, expected_version=0)
    changes_before = BillingAddressChange.objects.count()
    events_before = AuditEvent.objects.count()

    def save(by, city):
        return lambda: billing_address_update(
            organisation=organisation,
            by=by,
            values={**VALUES, "city": city},
            expected_version=1,
        )

    outcomes = race(save(first, "Utrecht"), save(second, "Rotterdam"))

    winners = [o for o in outcomes if isinstance(o, BillingAddress)]
    losers = [o for o in outcomes if isinstance(o, BillingAddressConflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    address = BillingAddress.objects.get(organisation=organisation)
    assert address.version == 2
    assert address.city == winners[0].city
    # The loser sees the address as it is now, the winner's.
    assert losers[0].current.city == address.city
    assert losers[0].current.version == 2
    assert BillingAddressChange.objects.count() == changes_before + 1
    assert AuditEvent.objects.count() == events_before + 1
