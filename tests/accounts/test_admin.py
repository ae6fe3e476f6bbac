"""Django admin for staff (R24): the accounts pages load, search and filter."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("customer", {"q": "Rode"}),
        ("organisation", {"q": "Services"}),
        ("user", {"q": "anne", "is_active__exact": "1"}),
        ("membership", {"q": "ruud", "kind__exact": "organisation"}),
    ],
)
def test_changelists_search_and_filter(staff, viewer, admin, model, query):
    client = logged_in(staff)
    url = reverse(f"admin:accounts_{model}_changelist")
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.get(url, query)
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count >= 1


def test_user_change_page_shows_memberships_inline(staff, admin):
    client = logged_in(staff)
    response = client.get(reverse("admin:accounts_user_change", args=[admin.pk]))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Rode Lente Services" in content
    assert admin.email in content


def test_staff_adds_a_contact_with_access_in_admin(staff, customer, organisation):
    client = logged_in(staff)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Example.com",
            "first_name": "New",
            "last_name": "Person",
            "customer": customer.pk,
            "language": "en",
            "usable_password": "false",
            "password1": "",
            "password2": "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-organisation": organisation.pk,
            "memberships-0-kind": "organisation",
            "memberships-0-role": "viewer",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    from accounts.models import User

    user = User.objects.get(email="new.person@example.com")
    assert user.customer == customer
    assert not user.has_usable_password()
    membership = user.memberships.get()
    assert (membership.organisation, membership.role) == (organisation, "viewer")


def test_portal_users_cannot_open_the_admin(viewer_client):
    response = viewer_client.get(reverse("admin:index"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_allauths_models_are_named_in_dutch_in_admin(staff):
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    client = logged_in(staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Inlogsessies" in page
    assert "Methoden voor inloggen in twee stappen" in page
    assert "User sessions" not in page and "Authenticators" not in page
    UserSession.objects.create(
        user=staff,
        ip="127.0.0.1",
        session_key="k" * 32,
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
    )
    Authenticator.objects.create(user=staff, type="totp", data={})
    sessions = client.get(reverse("admin:accounts_loginsession_changelist")).content.decode()
    assert "Chrome op Windows" in sessions
    assert "Begonnen op" in sessions
    methods = client.get(reverse("admin:accounts_twofactormethod_changelist"))
    assert methods.status_code == HTTPStatus.OK


def test_organisation_page_shows_the_stored_invoice_count_read_only(staff, organisation):
    from accounts.models import Organisation
    from tests.invoices.factories import InvoiceFactory

    for _ in range(3):
        InvoiceFactory(organisation=organisation)
    client = logged_in(staff)
    url = reverse("admin:accounts_organisation_change", args=[organisation.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "invoice_count" not in response.context["adminform"].form.fields
    content = " ".join(response.content.decode().split())
    assert '<label>Facturen:</label> <div class="readonly">3</div>' in content
    changelist = client.get(reverse("admin:accounts_organisation_changelist")).content.decode()
    assert '<td class="field-invoice_count">3</td>' in changelist

    response = client.post(
        url,
        {
            "customer": organisation.customer_id,
            "name": "Rode Lente B.V.",
            "debtor_number": organisation.debtor_number,
            "invoice_count": "99",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert (organisation.name, organisation.invoice_count) == ("Rode Lente B.V.", 3)
