"""billing_address_update: one write path with history, audit event and an optimistic check."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from billing_address.models import BillingAddress, BillingAddressChange
from billing_address.services import BillingAddressConflict, billing_address_update
from tests.invoices.factories import BillingAddressFactory

pytestmark = pytest.mark.django_db

VALUES = {
    "attention": "Afdeling Crediteurenadministratie",
    "organisation_name": "Rode Lente",
    "street": "Lange Gracht 16B",
    "postcode": "1234 AB",
    "city": "Amsterdam",
    "country": "NL",
    "email": "invoices@rodelente.example",
    "phone": "+31 20 123 4567",
}


def test_a_first_address_is_created_from_version_zero(organisation, admin):
    address = billing_address_update(
        organisation=organisation, by=admin, values=VALUES, expected_version=0
    )
    assert address.version == 1
    change = BillingAddressChange.objects.get(address=address)
    assert change.before == {name: "" for name in BillingAddress.EDITABLE_FIELDS}
    assert change.after["phone"] == "+31201234567"
    assert change.changed_by == admin


def test_a_change_keeps_who_when_and_each_changed_field_before_and_after(organisation, admin):
    BillingAddressFactory(organisation=organisation, postcode="1234 AB", city="Amsterdam")
    address = billing_address_update(
        organisation=organisation,
        by=admin,
        values={**VALUES, "postcode": "1017ab", "street": "Herengracht 1"},
        expected_version=1,
    )
    assert (address.version, address.postcode) == (2, "1017 AB")
    change = BillingAddressChange.objects.get(address=address)
    assert change.before == {"street": "Lange Gracht 16B", "postcode": "1234 AB"}
    assert change.after == {"street": "Herengracht 1", "postcode": "1017 AB"}
    assert (change.changed_by_name, change.changed_by_email, change.version) == (
        "Ruud Coon",
        "ruud@rodelente.example",
        2,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.BILLING_ADDRESS_CHANGED)
    assert event.organisation == organisation
    assert event.actor == admin
    assert event.before == change.before
    assert event.after == change.after


def test_saving_the_same_values_writes_nothing(organisation, admin):
    BillingAddressFactory(organisation=organisation, **{k: v for k, v in VALUES.items()})
    address = billing_address_update(
        organisation=organisation, by=admin, values=VALUES, expected_version=1
    )
    assert address.version == 1
    assert not BillingAddressChange.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_stale_edit_is_refused_and_changes_nothing(organisation, admin):
    BillingAddressFactory(organisation=organisation)
    billing_address_update(
        organisation=organisation, by=admin, values={"city": "Haarlem"}, expected_version=1
    )
    with pytest.raises(BillingAddressConflict) as conflict:
        billing_address_update(
            organisation=organisation, by=admin, values={"city": "Utrecht"}, expected_version=1
        )
    assert conflict.value.current.city == "Haarlem"
    assert BillingAddress.objects.get(organisation=organisation).city == "Haarlem"
    assert BillingAddressChange.objects.count() == 1
    assert AuditEvent.objects.count() == 1


def test_an_invalid_change_stores_nothing(organisation, admin):
    BillingAddressFactory(organisation=organisation)
    with pytest.raises(ValidationError) as error:
        billing_address_update(
            organisation=organisation,
            by=admin,
            values={"postcode": "not a postcode", "phone": "hello"},
            expected_version=1,
        )
    assert set(error.value.message_dict) == {"postcode", "phone"}
    address = BillingAddress.objects.get(organisation=organisation)
    assert (address.postcode, address.version) == ("1234 AB", 1)
    assert not BillingAddressChange.objects.exists()
    assert not AuditEvent.objects.exists()
