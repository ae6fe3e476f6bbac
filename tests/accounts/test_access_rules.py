"""The access decorators, mixins and capabilities (R21), tested directly."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.views import View

from accounts.decorators import (
    AdminRequiredMixin,
    OrganisationRequiredMixin,
    admin_required,
    capability_required,
    organisation_required,
)
from accounts.models import Membership
from accounts.permissions import Capabilities, UnknownCapabilityError

pytestmark = pytest.mark.django_db


def _request(user, membership):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.membership = membership
    request.organisation = membership.organisation if membership else None
    request.can = Capabilities.for_membership(membership)
    return request


@organisation_required
def organisation_view(request):
    return HttpResponse("seen")


@admin_required
def admin_view(request):
    return HttpResponse("changed")


class OrganisationPage(OrganisationRequiredMixin, View):
    def get(self, request):
        return HttpResponse("seen")


class AdminPage(AdminRequiredMixin, View):
    def get(self, request):
        return HttpResponse("changed")


@pytest.mark.parametrize(
    "view", [organisation_view, admin_view, OrganisationPage.as_view(), AdminPage.as_view()]
)
def test_anonymous_is_sent_to_login(view):
    request = _request(AnonymousUser(), None)
    response = view(request)
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/?next=/somewhere/" in response["Location"]


@pytest.mark.parametrize("view", [organisation_view, OrganisationPage.as_view()])
def test_viewer_may_see(view, viewer):
    membership = viewer.memberships.get()
    assert view(_request(viewer, membership)).status_code == HTTPStatus.OK


@pytest.mark.parametrize("view", [admin_view, AdminPage.as_view()])
def test_viewer_may_not_change(view, viewer):
    membership = viewer.memberships.get()
    with pytest.raises(PermissionDenied):
        view(_request(viewer, membership))


@pytest.mark.parametrize("view", [admin_view, AdminPage.as_view()])
def test_admin_may_change(view, admin, organisation):
    membership = admin.memberships.get(organisation=organisation)
    assert view(_request(admin, membership)).status_code == HTTPStatus.OK


@pytest.mark.parametrize("view", [organisation_view, OrganisationPage.as_view()])
def test_without_organisation_access_is_forbidden(view, support_user):
    with pytest.raises(PermissionDenied):
        view(_request(support_user, None))


def test_unknown_capability_in_a_decorator_fails_at_import():
    with pytest.raises(ValueError, match="Unknown capability"):
        capability_required("delete_everything")


def test_capabilities_per_role():
    viewer = Capabilities.for_membership(Membership(kind="organisation", role="viewer"))
    admin = Capabilities.for_membership(Membership(kind="organisation", role="admin"))
    support = Capabilities.for_membership(Membership(kind="support", role=None))
    assert viewer.has("view_organisation") and not viewer.has("manage_users")
    assert admin.has("manage_users") and admin.has("edit_billing_address")
    assert not support.has("view_organisation")
    assert not Capabilities.for_membership(None).has("view_organisation")


def test_unknown_capability_raises_in_code_and_templates():
    can = Capabilities({"view_organisation"})
    with pytest.raises(UnknownCapabilityError):
        can.has("manage_user")  # a typo must not read as "no"
    template = Template("{% if can.manage_user %}yes{% endif %}")
    with pytest.raises(UnknownCapabilityError):
        template.render(Context({"can": can}))
    assert (
        Template("{% if can.view_organisation %}yes{% endif %}").render(Context({"can": can}))
        == "yes"
    )
