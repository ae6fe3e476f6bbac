"""The active organisation (R6): default, switching, foreign ids and revoked access."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.middleware import SESSION_KEY
from accounts.models import Membership
from tests.accounts.factories import MembershipFactory, OrganisationFactory
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def active_name(client) -> str:
    response = client.get(reverse("portal:organisation_home"))
    assert response.status_code == HTTPStatus.OK
    return response.context["request"].organisation.name


def test_default_is_first_organisation_by_name(admin_client_portal):
    assert active_name(admin_client_portal) == "Rode Lente"


def test_switch_to_another_allowed_organisation(admin_client_portal, second_organisation):
    response = admin_client_portal.post(
        reverse("portal:switch_organisation"),
        {"organisation": second_organisation.pk, "next": reverse("portal:organisation_home")},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["request"].organisation == second_organisation
    assert admin_client_portal.session[SESSION_KEY] == second_organisation.pk
    content = response.content.decode()
    assert "Rode Lente Services" in content
    # the confirmation is shown in the active language (Dutch by default)
    assert "Je werkt nu in Rode Lente Services" in content


def test_switch_to_foreign_organisation_is_404(admin_client_portal, other_organisation):
    response = admin_client_portal.post(
        reverse("portal:switch_organisation"), {"organisation": other_organisation.pk}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert active_name(admin_client_portal) == "Rode Lente"


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_switch_to_nonsense_is_404(admin_client_portal, value):
    response = admin_client_portal.post(
        reverse("portal:switch_organisation"), {"organisation": value}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_switch_ignores_an_external_next_url(admin_client_portal, second_organisation):
    response = admin_client_portal.post(
        reverse("portal:switch_organisation"),
        {"organisation": second_organisation.pk, "next": "https://evil.example/"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:organisation_home")


def test_switch_by_get_is_refused(admin_client_portal, second_organisation):
    response = admin_client_portal.get(
        reverse("portal:switch_organisation"), {"organisation": second_organisation.pk}
    )
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_revoked_mid_session_falls_back_on_next_request(admin, second_organisation):
    client = logged_in(admin)
    client.post(reverse("portal:switch_organisation"), {"organisation": second_organisation.pk})
    assert active_name(client) == "Rode Lente Services"
    Membership.objects.filter(user=admin, organisation=second_organisation).delete()
    assert active_name(client) == "Rode Lente"
    assert client.session[SESSION_KEY] != second_organisation.pk


def test_all_access_revoked_leaves_home_only(viewer):
    client = logged_in(viewer)
    assert active_name(client) == "Rode Lente"
    Membership.objects.filter(user=viewer).delete()
    assert client.get(reverse("portal:organisation_home")).status_code == HTTPStatus.FORBIDDEN
    response = client.get(reverse("portal:home"))
    assert response.status_code == HTTPStatus.OK
    assert "Je hebt nog geen toegang" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_role_change_takes_effect_on_next_request(viewer, organisation):
    client = logged_in(viewer)
    response = client.get(reverse("portal:organisation_home"))
    assert response.context["request"].membership.role == Membership.Role.VIEWER
    Membership.objects.filter(user=viewer).update(role=Membership.Role.ADMIN)
    response = client.get(reverse("portal:organisation_home"))
    assert response.context["can"].has("manage_users")


def test_user_menu_lists_organisations_with_roles(admin_client_portal):
    content = admin_client_portal.get(reverse("portal:organisation_home")).content.decode()
    assert content.count('name="organisation"') == 2
    assert "Rode Lente Services" in content
    assert "Admin" in content


@pytest.mark.parametrize("extra_organisations", [0, 20])
def test_organisation_context_costs_a_fixed_number_of_queries(
    admin, customer, extra_organisations, django_assert_max_num_queries
):
    for organisation in OrganisationFactory.create_batch(extra_organisations, customer=customer):
        MembershipFactory(user=admin, organisation=organisation, role=Membership.Role.VIEWER)
    client = logged_in(admin)
    client.get(reverse("portal:organisation_home"))  # the first request stores the choice
    # session, user, memberships with their organisations: whatever their number; then the
    # overview's own statement (tests/portal/test_overview.py)
    with django_assert_max_num_queries(3 + 1):
        response = client.get(reverse("portal:organisation_home"))
    assert len(response.context["request"].organisation_memberships) == 2 + extra_organisations
