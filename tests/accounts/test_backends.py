"""accounts.backends: the user and the memberships of a request in one query, by either way
of logging in, and nothing kept from one request to the next."""

from __future__ import annotations

import importlib
from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.backends import AuthenticationBackend, ModelBackend
from accounts.models import Membership
from tests.conftest import logged_in, logged_in_by_form

HOME = reverse("portal:organisation_home")


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_user_comes_with_the_memberships_by_name(backend, admin, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = backend().get_user(admin.pk)
        names = [m.organisation.name for m in user.organisation_memberships]
        assert all(m.user is user for m in user.organisation_memberships)
    assert user == admin
    assert names == sorted(names)
    assert len(names) == 2


def test_a_person_without_memberships_is_read_alone(staff, django_assert_num_queries):
    # No membership row to join the user to: the memberships, then the user (as before).
    with django_assert_num_queries(2):
        user = ModelBackend().get_user(staff.pk)
    assert user == staff
    assert user.organisation_memberships == []


def test_an_inactive_or_unknown_person_is_nobody(viewer):
    viewer.is_active, viewer.inactive_reason = False, "blocked"
    viewer.save(update_fields=["is_active", "inactive_reason"])
    assert ModelBackend().get_user(viewer.pk) is None
    assert ModelBackend().get_user(10**9) is None


def test_only_mijn_organisatie_memberships_are_handed_on(support_user):
    user = ModelBackend().get_user(support_user.pk)
    assert user == support_user
    assert all(m.kind == Membership.Kind.ORGANISATION for m in user.organisation_memberships)


@pytest.mark.parametrize("login", [logged_in, logged_in_by_form])
def test_a_page_reads_the_session_and_then_user_and_memberships_at_once(
    login, viewer, django_assert_num_queries
):
    client = login(viewer)
    client.get(HOME)
    # The session, then the user with its memberships; the overview's own statement follows
    # (tests/portal/test_overview.py).
    with django_assert_num_queries(2 + 1):
        response = client.get(HOME)
    assert response.status_code == HTTPStatus.OK
    assert response.context["request"].organisation.name in response.content.decode()
    assert client.session[SESSION_KEY] == str(viewer.pk)


def test_a_role_changed_between_requests_counts_on_the_next(admin, organisation):
    client = logged_in(admin)
    assert client.get(HOME).context["request"].membership.role == Membership.Role.ADMIN
    Membership.objects.filter(user=admin, organisation=organisation).update(
        role=Membership.Role.VIEWER
    )
    client.post(reverse("portal:switch_organisation"), {"organisation": organisation.pk})
    assert client.get(HOME).context["request"].membership.role == Membership.Role.VIEWER


def test_sessions_of_the_former_backends_stay_logged_in(viewer):
    """Migration accounts/0007 renames the backend stored in each session."""
    migration = importlib.import_module("accounts.migrations.0007_sessions_use_portal_backends")
    sessions = {}
    for old in migration.RENAMED:
        store = SessionStore()
        store[SESSION_KEY] = str(viewer.pk)
        store[BACKEND_SESSION_KEY] = old
        store[HASH_SESSION_KEY] = viewer.get_session_auth_hash()
        store.create()
        sessions[old] = store.session_key
    unreadable = SessionStore()
    unreadable.create()
    Session.objects.filter(pk=unreadable.session_key).update(session_data="not a session")

    client = Client()
    client.cookies["sessionid"] = sessions["django.contrib.auth.backends.ModelBackend"]
    assert client.get(HOME).status_code == HTTPStatus.FOUND  # logged out before the rename

    migration.forwards(apps, None)
    for old, key in sessions.items():
        stored = SessionStore(session_key=key).load()
        assert stored[BACKEND_SESSION_KEY] == migration.RENAMED[old]
        client = Client()
        client.cookies["sessionid"] = key
        response = client.get(HOME)
        assert response.status_code == HTTPStatus.OK
        assert response.context["user"] == viewer
    assert Session.objects.get(pk=unreadable.session_key).session_data == "not a session"
    migration.backwards(apps, None)
    assert SessionStore(session_key=key).load()[BACKEND_SESSION_KEY] in migration.RENAMED
