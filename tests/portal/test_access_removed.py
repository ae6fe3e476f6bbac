"""The words of "no access" (issue 17, section 5 item 6): a person whose access was removed is
told it was removed, on Home and on the 403 page; someone who never had access is told "not
yet"; a role without the right is told about the role."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Membership
from portal.views import permission_denied
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import logged_in
from tests.users.factories import JobFunctionFactory
from users.services import membership_add, membership_remove

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
OVERVIEW = reverse("portal:organisation_home")
INVOICES = reverse("invoices:list")
ROLE = "Je rol staat dit niet toe."
NOT_YET_HOME = "Je hebt nog geen toegang tot een onderdeel van het portaal."
REMOVED_HOME = "Je toegang tot het portaal is verwijderd."
NOT_YET_403 = "Je hebt nog geen toegang tot Mijn organisatie."
REMOVED_403 = "Je toegang tot Mijn organisatie is verwijderd."


def _remove(admin, person) -> None:
    membership = Membership.objects.get(user=person, kind=Membership.Kind.ORGANISATION)
    membership_remove(by=admin, membership=membership, reason="Werkt hier niet meer.")


@pytest.fixture
def removed(viewer, admin):
    """Anne, a Viewer, logged in on the overview when an Admin removes her access."""
    client = logged_in(viewer)
    assert client.get(OVERVIEW).status_code == HTTPStatus.OK
    _remove(admin, viewer)
    return client


@pytest.mark.parametrize("url", [OVERVIEW, INVOICES])
def test_a_removed_person_is_told_the_access_was_removed(removed, url):
    response = removed.get(url)
    assert response.status_code == HTTPStatus.FORBIDDEN
    content = response.content.decode()
    assert REMOVED_403 in content
    assert ROLE not in content
    assert "nog geen" not in content


def test_home_tells_a_removed_person_the_access_was_removed(removed):
    response = removed.get(HOME)
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert REMOVED_HOME in content
    assert "nog geen" not in content


def test_the_removal_is_told_in_english_too(removed, viewer):
    viewer.language = "en"
    viewer.save()
    removed.cookies["django_language"] = "en"
    assert "Your access to Mijn organisatie was removed." in removed.get(OVERVIEW).content.decode()
    assert "Your access to the portal was removed." in removed.get(HOME).content.decode()


def test_someone_who_never_had_access_keeps_not_yet(organisation):
    newcomer = UserFactory(customer=organisation.customer)
    client = logged_in(newcomer)
    home = client.get(HOME).content.decode()
    assert NOT_YET_HOME in home
    assert "verwijderd" not in home
    refused = client.get(OVERVIEW)
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert NOT_YET_403 in refused.content.decode()
    assert ROLE not in refused.content.decode()


def test_a_support_user_never_in_mijn_organisatie_is_told_not_yet(support_user):
    refused = logged_in(support_user).get(OVERVIEW)
    assert refused.status_code == HTTPStatus.FORBIDDEN
    assert NOT_YET_403 in refused.content.decode()


def test_a_removed_support_access_is_not_a_removed_mijn_organisatie_access(
    organisation, admin, support_user
):
    """Sanne only ever had *Mijn support*: after its removal, Home says it was removed, and
    Mijn organisatie still says "not yet"."""
    membership = Membership.objects.get(user=support_user)
    membership_remove(by=admin, membership=membership, reason="Geen support meer.")
    client = logged_in(support_user)
    assert REMOVED_HOME in client.get(HOME).content.decode()
    assert NOT_YET_403 in client.get(OVERVIEW).content.decode()


def test_a_viewer_on_an_admin_page_is_told_about_the_role(viewer_client):
    refused = viewer_client.get(reverse("billing_address:edit"))
    assert refused.status_code == HTTPStatus.FORBIDDEN
    content = refused.content.decode()
    assert ROLE in content
    assert "verwijderd" not in content
    assert "nog geen" not in content


def test_access_given_again_opens_the_overview(removed, admin, organisation, viewer):
    membership_add(
        by=admin,
        organisation=organisation,
        email=viewer.email,
        kind=Membership.Kind.ORGANISATION,
        first_name=viewer.first_name,
        last_name=viewer.last_name,
        job_function=JobFunctionFactory(),
        role=Membership.Role.VIEWER,
    )
    assert removed.get(OVERVIEW).status_code == HTTPStatus.OK


def test_removed_from_one_organisation_works_on_in_the_other(
    admin, organisation, second_organisation
):
    """Ruud loses Rode Lente but keeps Rode Lente Services: no refusal, the other one opens."""
    other_admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    client = logged_in(admin)
    client.get(OVERVIEW)
    membership_remove(
        by=other_admin,
        membership=Membership.objects.get(user=admin, organisation=organisation),
        reason="Alleen nog Services.",
    )
    response = client.get(OVERVIEW)
    assert response.status_code == HTTPStatus.OK
    assert response.context["request"].organisation == second_organisation


def test_a_refusal_before_the_person_is_known_is_about_the_role(rf):
    """The handler answers a refusal even without a user or membership on the request."""
    request = rf.get("/anything/")
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert ROLE in response.content.decode()
