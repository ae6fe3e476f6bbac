"""A refusal (403) is one log line, a server error keeps its traceback (issue 15).

A Viewer clicking around met a 403 now and then, and each wrote a full ``PermissionDenied``
traceback to the log: 58 in one session. A refusal is ordinary; the log says who was refused
what and why, in one line at WARNING.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path, reverse

from portal.urls import urlpatterns as portal_urlpatterns
from tests.accounts.factories import PASSWORD
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@login_not_required
def broken(request):
    raise RuntimeError("boom")


@login_not_required
def refusing(request):
    raise PermissionDenied("the door is\nshut")


urlpatterns = [path("broken/", broken), path("refusing/", refusing), *portal_urlpatterns]


def _django_records(caplog):
    return [record for record in caplog.records if record.name.startswith("django")]


def _the_one_line(caplog) -> logging.LogRecord:
    records = _django_records(caplog)
    assert len(records) == 1, [record.getMessage() for record in records]
    (record,) = records
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.exc_text is None
    assert "Traceback" not in caplog.text
    assert "\n" not in record.getMessage()
    return record


def test_a_viewer_refused_an_admin_page_is_one_line_with_user_path_and_reason(viewer, caplog):
    client = logged_in(viewer)
    with caplog.at_level(logging.INFO):
        response = client.post(reverse("users:add"), {"email": "x@rodelente.example"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    record = _the_one_line(caplog)
    assert record.getMessage() == (
        f"Refused POST /organisation/users/add/ for user {viewer.pk}: the role lacks manage_users"
    )
    assert record.name == "django.request"
    assert record.status_code == HTTPStatus.FORBIDDEN


def test_a_person_without_organisation_access_is_refused_in_one_line(support_user, caplog):
    client = logged_in(support_user)
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("invoices:list"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _the_one_line(caplog).getMessage() == (
        f"Refused GET /invoices/ for user {support_user.pk}: no Mijn organisatie access"
    )


def test_a_csrf_refusal_is_one_line_for_an_anonymous_visitor(viewer, caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.INFO):
        response = client.post(
            reverse("account_login"), {"login": viewer.email, "password": PASSWORD}
        )
    assert response.status_code == HTTPStatus.FORBIDDEN
    record = _the_one_line(caplog)
    assert record.getMessage() == (
        "Refused POST /accounts/login/ for anonymous: CSRF cookie not set."
    )
    assert record.name == "django.security.csrf"


@override_settings(ROOT_URLCONF=__name__)
def test_a_refusal_reason_cannot_add_lines_to_the_log(caplog):
    with caplog.at_level(logging.INFO):
        response = Client().get("/refusing/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert _the_one_line(caplog).getMessage() == (
        "Refused GET /refusing/ for anonymous: the door is\\nshut"
    )


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_still_logs_its_traceback(caplog):
    with caplog.at_level(logging.INFO):
        response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    (record,) = _django_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "Internal Server Error: /broken/"
    assert record.exc_info is not None
    assert "Traceback (most recent call last)" in caplog.text
    assert 'raise RuntimeError("boom")' in caplog.text
