"""*Factuuradres*: every organisation user sees the card; only an Admin edits it (R12, R21)."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from billing_address.models import BillingAddress, BillingAddressChange
from tests.conftest import logged_in
from tests.invoices.factories import BillingAddressFactory

DETAIL = reverse("billing_address:detail")
EDIT = reverse("billing_address:edit")


def text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def form_data(**changes) -> dict:
    data = {
        "attention": "Afdeling Crediteurenadministratie",
        "organisation_name": "Rode Lente",
        "street": "Lange Gracht 16B",
        "postcode": "1234 AB",
        "city": "Amsterdam",
        "country": "NL",
        "email": "invoices@rodelente.example",
        "phone": "020 123 4567",
        "version": "1",
    }
    return {**data, **changes}


@pytest.fixture
def address(organisation):
    return BillingAddressFactory(organisation=organisation, phone="+31201234567")


def test_a_viewer_sees_the_card_as_in_the_guide_without_edit(viewer_client, address):
    response = viewer_client.get(DETAIL)
    assert response.status_code == HTTPStatus.OK
    assert (
        "Factuuradres Afdeling Crediteurenadministratie Rode Lente Lange Gracht 16B "
        "1234 AB Amsterdam Nederland invoices@rodelente.example 020 123 4567"
    ) in text(response)
    assert EDIT not in response.content.decode()


def test_a_foreign_phone_is_shown_internationally(viewer_client, organisation):
    BillingAddressFactory(
        organisation=organisation, country="BE", postcode="1000", phone="+3222345678"
    )
    assert "+32 2 234 56 78" in text(viewer_client.get(DETAIL))


def test_an_admin_sees_edit(admin_client_portal, address):
    response = admin_client_portal.get(DETAIL)
    assert f'href="{EDIT}"' in response.content.decode()
    assert "Bewerk factuuradres" in text(response)


def test_the_edit_form_says_when_a_change_applies_and_who_changed_it_last(
    admin_client_portal, admin, address, organisation
):
    admin_client_portal.post(EDIT, form_data(city="Haarlem"))
    response = admin_client_portal.get(EDIT)
    page = text(response)
    assert (
        "Een wijziging geldt vanaf de volgende factuur. Facturen die al verstuurd zijn, houden "
        "het adres waarnaar ze gestuurd zijn."
    ) in page
    assert re.search(r"Laatst gewijzigd door Ruud Coon op \d+ \w+ \d{4} om \d\d:\d\d\.", page)


def test_an_admin_edits_the_address(admin_client_portal, address):
    response = admin_client_portal.post(EDIT, form_data(postcode="1017ab", phone="+32 2 234 56 78"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == DETAIL
    address.refresh_from_db()
    assert (address.postcode, address.phone.as_e164, address.version) == (
        "1017 AB",
        "+3222345678",
        2,
    )
    page = text(admin_client_portal.get(DETAIL))
    assert "Het factuuradres is opgeslagen. De volgende factuur gaat naar dit adres." in page
    assert "1017 AB Amsterdam" in page


def test_invalid_input_is_explained_and_nothing_changes(admin_client_portal, address):
    response = admin_client_portal.post(
        EDIT, form_data(postcode="not a postcode", email="invoices@", phone="hello")
    )
    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "Dit is geen geldige postcode in Nederland (bijvoorbeeld 1234 AB)." in page
    assert "Voer een geldig e-mailadres in." in page
    assert "Vul een geldig telefoonnummer in" in page
    assert 'value="not a postcode"' in response.content.decode()  # the input is kept
    address.refresh_from_db()
    assert (address.postcode, address.version) == ("1234 AB", 1)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_viewer_cannot_edit(viewer_client, address, method):
    response = getattr(viewer_client, method)(EDIT, form_data(city="Haarlem"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    address.refresh_from_db()
    assert (address.city, address.version) == ("Amsterdam", 1)
    assert not BillingAddressChange.objects.exists()


def test_two_admins_editing_at_once_the_second_is_refused_with_the_newer_address(
    admin_client_portal, organisation, address
):
    from accounts.models import Membership
    from tests.accounts.factories import MembershipFactory

    other_admin = MembershipFactory(
        organisation=organisation, role=Membership.Role.ADMIN, user__first_name="Els"
    ).user
    second = logged_in(other_admin)
    # Both opened the form at version 1.
    assert 'name="version" value="1"' in admin_client_portal.get(EDIT).content.decode()
    assert 'name="version" value="1"' in second.get(EDIT).content.decode()
    assert admin_client_portal.post(EDIT, form_data(city="Haarlem")).status_code == 302

    response = second.post(EDIT, form_data(city="Utrecht", street="Oudegracht 1"))
    assert response.status_code == HTTPStatus.OK
    page = text(response)
    assert "Iemand anders heeft het factuuradres gewijzigd terwijl jij het bewerkte." in page
    assert "Lange Gracht 16B 1234 AB Haarlem" in page  # what is stored now
    html = response.content.decode()
    assert 'value="Utrecht"' in html and 'value="Oudegracht 1"' in html  # theirs kept
    address.refresh_from_db()
    assert address.city == "Haarlem"
    # A second save is a deliberate choice, made from the newer version.
    assert 'name="version" value="2"' in html
    assert second.post(EDIT, form_data(city="Utrecht", version="2")).status_code == 302
    address.refresh_from_db()
    assert (address.city, address.version) == ("Utrecht", 3)


def test_an_organisation_without_an_address_gets_one(admin_client_portal, organisation):
    page = text(admin_client_portal.get(DETAIL))
    assert "Voor deze organisatie is nog geen factuuradres vastgelegd." in page
    response = admin_client_portal.post(EDIT, form_data(version="0"))
    assert response.status_code == HTTPStatus.FOUND
    assert BillingAddress.objects.get(organisation=organisation).version == 1


def test_another_organisations_address_never_shows(viewer_client, address, other_organisation):
    BillingAddressFactory(organisation=other_organisation, street="Geheime Straat 9")
    assert "Geheime Straat 9" not in text(viewer_client.get(DETAIL))


@pytest.mark.parametrize("changes", [5, 5000])
def test_both_pages_run_a_fixed_number_of_queries(
    admin_client_portal, address, admin, changes, django_assert_num_queries
):
    BillingAddressChange.objects.bulk_create(
        BillingAddressChange(address=address, changed_by=admin, version=n + 2, after={"city": "X"})
        for n in range(changes)
    )
    # session, user with memberships, the address, its last change (and on the first
    # request of the session, storing the active organisation)
    admin_client_portal.get(DETAIL)
    with django_assert_num_queries(4):
        assert admin_client_portal.get(DETAIL).status_code == HTTPStatus.OK
    with django_assert_num_queries(4):
        assert admin_client_portal.get(EDIT).status_code == HTTPStatus.OK
