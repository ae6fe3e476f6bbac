"""Requests that used to answer 500 (issue 11), now a 4xx or a form message, storing nothing.
The NUL cases failed on PostgreSQL, which refuses NUL characters in any text."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from outbox.models import OutgoingEmail
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_staff(staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    return client


def test_a_nul_character_in_an_invoice_number_of_the_pdf_url_is_a_400(viewer):
    client = logged_in(viewer)
    response = client.get("/invoices/X%00.pdf")
    assert response.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(
    "url",
    [
        "/admin/invoices/invoice/?q=%00",
        "/admin/invoices/payment/?q=%00",
        "/admin/accounts/user/?q=%00",
        "/admin/accounts/membership/?q=%00",
        "/admin/audit/auditevent/?q=%00",
        "/admin/invoices/invoice/?number=%00",
        "/admin/invoices/invoice/?organisation__id__exact=%00",
        "/admin/accounts/user/?is_active__exact=%00",
        "/admin/autocomplete/?term=%00&app_label=accounts&model_name=membership&field_name=user",
        "/admin/?%00=1",
    ],
)
def test_a_nul_character_in_admin_filters_and_autocomplete_is_a_400(strict_staff, url):
    assert strict_staff.get(url).status_code == HTTPStatus.BAD_REQUEST


def test_a_nul_character_in_a_portal_search_is_a_400(viewer):
    response = logged_in(viewer).get(reverse("invoices:list"), {"q": "F2026\x00"})
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_password_reset_for_a_262_character_address_is_a_form_message(client):
    address = "a" * 250 + "@example.com"
    assert len(address) == 262
    response = client.post(reverse("account_reset_password"), {"email": address})
    assert response.status_code == HTTPStatus.OK
    assert (
        "Zorg dat deze waarde niet meer dan 254 tekens bevat (het zijn er nu 262)."
        in response.content.decode()
    )
    assert OutgoingEmail.objects.count() == 0


def test_the_reset_form_says_how_long_an_address_may_be(client):
    page = client.get(reverse("account_reset_password")).content.decode()
    assert 'maxlength="254"' in page
