"""One display format for phone numbers everywhere (issue 17, section 5, item 4): the portal's
edit forms and Django admin show a stored ``+3225010211`` as *Activiteit* does,
``+32 2 501 02 11``, and a Dutch one as ``020 123 4567``; saving it unchanged changes nothing."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import Membership, User
from audit.models import AuditEvent
from tests.conftest import logged_in
from tests.invoices.factories import BillingAddressFactory
from tests.users.factories import JobFunctionFactory

pytestmark = pytest.mark.django_db

BELGIAN = "+3225010211"
BELGIAN_SHOWN = "+32 2 501 02 11"


@pytest.fixture
def anne(viewer, organisation):
    function = JobFunctionFactory(name_nl="Controller", name_en="Controller")
    User.objects.filter(pk=viewer.pk).update(
        job_function=function, phone=BELGIAN, mobile="+31612345678"
    )
    return Membership.objects.get(user=viewer, organisation=organisation)


def test_the_users_edit_form_shows_the_phones_as_the_activity_does(admin_client_portal, anne):
    html = admin_client_portal.get(reverse("users:edit", kwargs={"pk": anne.pk})).content.decode()
    assert f'name="phone" value="{BELGIAN_SHOWN}"' in html
    assert 'name="mobile" value="06 12345678"' in html
    assert BELGIAN not in html


def test_saving_the_shown_number_unchanged_changes_nothing(admin_client_portal, anne, viewer):
    data = {
        "first_name": viewer.first_name,
        "last_name": viewer.last_name,
        "email": viewer.email,
        "role": "viewer",
        "job_function": User.objects.get(pk=viewer.pk).job_function_id,
        "job_title": "",
        "phone": BELGIAN_SHOWN,
        "mobile": "06 12345678",
    }
    response = admin_client_portal.post(reverse("users:edit", kwargs={"pk": anne.pk}), data)
    assert response.status_code == HTTPStatus.FOUND
    viewer.refresh_from_db()
    assert (viewer.phone.as_e164, viewer.mobile.as_e164) == (BELGIAN, "+31612345678")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CONTACT_CHANGED).exists()


def test_the_billing_address_form_shows_a_foreign_phone_internationally(
    admin_client_portal, organisation
):
    BillingAddressFactory(organisation=organisation, country="BE", postcode="1000", phone=BELGIAN)
    html = admin_client_portal.get(reverse("billing_address:edit")).content.decode()
    assert f'name="phone" value="{BELGIAN_SHOWN}"' in html


def test_admin_user_page_shows_the_phones_formatted(staff, anne, viewer):
    html = (
        logged_in(staff)
        .get(reverse("admin:accounts_user_change", args=[viewer.pk]))
        .content.decode()
    )
    assert f'value="{BELGIAN_SHOWN}"' in html
    assert 'value="06 12345678"' in html
    assert BELGIAN not in html


def test_admin_billing_address_page_shows_the_phone_formatted(staff, organisation):
    address = BillingAddressFactory(
        organisation=organisation, country="BE", postcode="1000", phone=BELGIAN
    )
    html = (
        logged_in(staff)
        .get(reverse("admin:billing_address_billingaddress_change", args=[address.pk]))
        .content.decode()
    )
    assert f'name="phone" value="{BELGIAN_SHOWN}"' in html
    assert 'class="vTextField"' in html
