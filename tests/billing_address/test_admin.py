"""Staff edit billing addresses in admin through the same service: history, audit, rules."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from billing_address.models import BillingAddress, BillingAddressChange
from tests.conftest import logged_in
from tests.invoices.factories import BillingAddressFactory


@pytest.fixture
def staff_client(staff):
    return logged_in(staff)


def admin_data(address, **changes):
    data = {
        "attention": address.attention,
        "organisation_name": address.organisation_name,
        "street": address.street,
        "postcode": address.postcode,
        "city": address.city,
        "country": str(address.country),
        "email": address.email,
        "phone": "+31201234567",
        "expected_version": str(address.version),
        # The read-only history inline still sends its management form.
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_staff_edit_goes_through_the_service(staff_client, staff, organisation):
    address = BillingAddressFactory(organisation=organisation)
    url = reverse("admin:billing_address_billingaddress_change", args=[address.pk])
    response = staff_client.post(url, admin_data(address, postcode="1017ab"))
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    address.refresh_from_db()
    assert (address.postcode, address.version) == ("1017 AB", 2)
    change = BillingAddressChange.objects.get(address=address)
    assert (change.changed_by, change.before, change.after) == (
        staff,
        {"postcode": "1234 AB"},
        {"postcode": "1017 AB"},
    )
    assert AuditEvent.objects.get().actor == staff
    # The history shows inline, read-only.
    page = staff_client.get(url).content.decode()
    assert "1017 AB" in page
    assert 'name="changes-0-before"' not in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"postcode": "not a postcode"}, "postcode"),
        ({"phone": "hello"}, "phone"),
        ({"email": "nope"}, "email"),
    ],
)
def test_admin_refuses_invalid_values(staff_client, organisation, changes, field):
    address = BillingAddressFactory(organisation=organisation)
    url = reverse("admin:billing_address_billingaddress_change", args=[address.pk])
    response = staff_client.post(url, admin_data(address, **changes))
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["adminform"].form.errors
    address.refresh_from_db()
    assert address.version == 1
    assert not BillingAddressChange.objects.exists()


def test_admin_refuses_a_stale_edit(staff_client, organisation, admin):
    from billing_address.services import billing_address_update

    address = BillingAddressFactory(organisation=organisation)
    stale = admin_data(address, city="Utrecht")
    billing_address_update(
        organisation=organisation, by=admin, values={"city": "Haarlem"}, expected_version=1
    )
    url = reverse("admin:billing_address_billingaddress_change", args=[address.pk])
    response = staff_client.post(url, stale)
    assert response.status_code == HTTPStatus.OK
    assert "Iemand heeft dit factuuradres gewijzigd terwijl jij het bewerkte" in (
        response.content.decode()
    )
    address.refresh_from_db()
    assert address.city == "Haarlem"


def test_staff_add_an_address_through_the_service(staff_client, organisation):
    response = staff_client.post(
        reverse("admin:billing_address_billingaddress_add"),
        {
            "organisation": organisation.pk,
            "organisation_name": "Rode Lente",
            "street": "Lange Gracht 16B",
            "postcode": "1234ab",
            "city": "Amsterdam",
            "country": "NL",
            "email": "invoices@rodelente.example",
            "phone": "",
            "expected_version": "0",
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    address = BillingAddress.objects.get(organisation=organisation)
    assert (address.postcode, address.version) == ("1234 AB", 1)
    assert BillingAddressChange.objects.filter(address=address).count() == 1


def test_addresses_cannot_be_deleted_in_admin(staff_client, organisation):
    address = BillingAddressFactory(organisation=organisation)
    url = reverse("admin:billing_address_billingaddress_delete", args=[address.pk])
    assert staff_client.get(url).status_code == HTTPStatus.FORBIDDEN


def test_a_conflict_found_by_the_service_shows_one_message_and_saves_nothing(
    staff_client, organisation, monkeypatch
):
    """Between the form's version check and the save another edit landed (a race)."""
    from billing_address import admin as billing_admin
    from billing_address.services import BillingAddressConflict

    address = BillingAddressFactory(organisation=organisation)

    def conflict(**kwargs):
        raise BillingAddressConflict(address)

    monkeypatch.setattr(billing_admin, "billing_address_update", conflict)
    url = reverse("admin:billing_address_billingaddress_change", args=[address.pk])
    response = staff_client.post(url, admin_data(address, city="Utrecht"), follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert texts == ["Niets opgeslagen: iemand heeft dit factuuradres zojuist gewijzigd."]
    address.refresh_from_db()
    assert address.city == "Amsterdam"


def test_the_country_filter_lists_the_countries_in_use_once_each_by_name(
    staff_client, organisation, second_organisation, other_organisation
):
    """Not the world's 250 countries with the pick list's favourites (België, …) repeated on
    top, but the countries billing addresses are in (issue 17, section 5, item 7)."""
    BillingAddressFactory(organisation=organisation, country="NL")
    BillingAddressFactory(organisation=second_organisation, country="BE", postcode="1000")
    BillingAddressFactory(organisation=other_organisation, country="BE", postcode="9000")
    changelist = reverse("admin:billing_address_billingaddress_changelist")
    response = staff_client.get(changelist)
    [country_filter] = [f for f in response.context["cl"].filter_specs if f.title == "land"]
    choices = [c["display"] for c in country_filter.choices(response.context["cl"])]
    assert choices == ["Alle", "België", "Nederland"]
    content = response.content.decode()
    assert content.count(">België</a>") == 1
    assert "Duitsland" not in content

    response = staff_client.get(changelist, {"country": "BE"})
    assert {str(a.country) for a in response.context["cl"].result_list} == {"BE"}
    assert response.context["cl"].result_count == 2
