"""Shared fixtures: one customer with two organisations, its people, and a stranger."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership
from tests.accounts.factories import (
    PASSWORD,
    CustomerFactory,
    MembershipFactory,
    OrganisationFactory,
    SupportMembershipFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the portal's default language: a request of a test before it
    (an English browser, say) leaves its language active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def customer(db):
    return CustomerFactory(name="Rode Lente", csm_email="csm@vendor.example")


@pytest.fixture
def organisation(customer):
    return OrganisationFactory(customer=customer, name="Rode Lente")


@pytest.fixture
def second_organisation(customer):
    return OrganisationFactory(customer=customer, name="Rode Lente Services")


@pytest.fixture
def other_organisation(db):
    """An organisation of another customer: its data must never show."""
    return OrganisationFactory(name="Blauwe Herfst")


@pytest.fixture
def viewer(organisation):
    return MembershipFactory(
        organisation=organisation,
        role=Membership.Role.VIEWER,
        user__email="anne@rodelente.example",
        user__first_name="Anne",
        user__last_name="van Amersfoort",
    ).user


@pytest.fixture
def admin(organisation, second_organisation):
    membership = MembershipFactory(
        organisation=organisation,
        role=Membership.Role.ADMIN,
        user__email="ruud@rodelente.example",
        user__first_name="Ruud",
        user__last_name="Coon",
    )
    MembershipFactory(
        organisation=second_organisation, user=membership.user, role=Membership.Role.ADMIN
    )
    return membership.user


@pytest.fixture
def support_user(organisation):
    return SupportMembershipFactory(
        organisation=organisation,
        user__email="sanne@rodelente.example",
        user__first_name="Sanne",
        user__last_name="de Vries",
    ).user


@pytest.fixture
def other_organisation_admin(other_organisation):
    return MembershipFactory(organisation=other_organisation, role=Membership.Role.ADMIN).user


@pytest.fixture
def staff(db):
    return UserFactory(
        customer=None, is_staff=True, is_superuser=True, email="staff@vendor.example"
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def logged_in_by_form(user) -> Client:
    """A client logged in through the real login form (allauth records the login method,
    which some pages, like two-factor set-up, require)."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    return client


@pytest.fixture
def viewer_client(viewer):
    return logged_in(viewer)


@pytest.fixture
def admin_client_portal(admin):
    return logged_in(admin)
