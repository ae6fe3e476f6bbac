"""Deactivation (R4): login stops and every open session ends at once."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.services import user_deactivate
from tests.accounts.factories import PASSWORD
from tests.conftest import logged_in_by_form

pytestmark = pytest.mark.django_db


def test_deactivation_ends_every_open_session_at_once(viewer, staff):
    laptop = logged_in_by_form(viewer)
    phone = Client()
    phone.force_login(viewer)  # any login is tracked, not only allauth's
    keys = [laptop.session.session_key, phone.session.session_key]
    assert UserSession.objects.filter(user=viewer).count() == 2

    user_deactivate(user=viewer, by=staff, reason="blocked")

    # The sessions are gone from the store, not merely refused at the next login.
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=viewer).exists()
    for client in (laptop, phone):
        response = client.get(reverse("portal:organisation_home"))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("account_login"))


def test_a_deactivated_user_cannot_log_in(viewer, staff):
    user_deactivate(user=viewer, by=staff, reason="blocked")
    client = Client()
    client.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_other_users_keep_their_sessions(viewer, admin, staff):
    other = logged_in_by_form(admin)
    user_deactivate(user=viewer, by=staff, reason="blocked")
    assert other.get(reverse("portal:organisation_home")).status_code == HTTPStatus.OK


def test_staff_deactivate_from_the_admin_list(client, staff, viewer):
    victim = logged_in_by_form(viewer)
    client.force_login(staff)
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [viewer.pk]},
    )
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert victim.get(reverse("portal:organisation_home")).status_code == HTTPStatus.FOUND


def test_unticking_active_in_the_admin_ends_the_sessions(client, staff, viewer):
    victim = logged_in_by_form(viewer)
    key = victim.session.session_key
    client.force_login(staff)
    url = reverse("admin:accounts_user_change", args=[viewer.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"password", "groups", "user_permissions"}
    }
    data.update(
        {
            "is_active": "",
            "last_login_0": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if k not in {"is_active", "last_login", "date_joined"}}
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "10:00:00"
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert not Session.objects.filter(session_key=key).exists()
