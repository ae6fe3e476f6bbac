"""Security events (R25): each writes exactly one event, about a person, with no
organisation, so staff see it in admin and *Activiteit* does not."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.tokens import activation_token_generator, activation_uid
from audit.models import AuditEvent
from tests.accounts.factories import PASSWORD
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
NEW_PASSWORD = "Lente-Zon-2026!"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Test/1.0"


def test_a_form_login_writes_one_login_event(viewer):
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.4")
    response = client.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    event = AuditEvent.objects.get()
    assert event.action == Action.LOGIN_SUCCEEDED
    assert (event.actor, event.actor_email) == (viewer, "anne@rodelente.example")
    assert (event.organisation_id, event.customer_id) == (None, viewer.customer_id)
    assert (event.ip_address, event.user_agent) == ("198.51.100.4", BROWSER)


def test_a_programmatic_login_in_tests_writes_nothing(viewer):
    # force_login is Django's login(), not allauth's: test set-ups leave the log empty.
    logged_in(viewer)
    assert not AuditEvent.objects.exists()


def test_a_failed_login_of_a_known_account_writes_one_event(viewer):
    client = Client(REMOTE_ADDR="198.51.100.5")
    response = client.post(
        reverse("account_login"), {"login": "ANNE@rodelente.example", "password": "wrong"}
    )
    assert response.status_code == HTTPStatus.OK
    event = AuditEvent.objects.get()
    assert event.action == Action.LOGIN_FAILED
    assert event.actor is None  # who tried is unknown
    assert (event.target_type, event.target_id) == ("user", str(viewer.pk))
    assert event.target_label == "Anne van Amersfoort (anne@rodelente.example)"
    assert (event.organisation_id, event.customer_id) == (None, viewer.customer_id)
    assert event.ip_address == "198.51.100.5"


def test_a_failed_login_of_an_unknown_address_writes_nothing(viewer):
    response = Client().post(
        reverse("account_login"), {"login": "nobody@rodelente.example", "password": "wrong"}
    )
    assert response.status_code == HTTPStatus.OK
    assert not AuditEvent.objects.exists()


def test_a_password_change_writes_one_event(viewer):
    client = logged_in(viewer)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.after) == (
        Action.PASSWORD_CHANGED,
        viewer,
        {"via": "change"},
    )
    assert event.organisation_id is None


def test_a_password_reset_writes_a_password_event_and_a_login(
    viewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": viewer.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body)
    client = Client()
    set_password_url = client.get(link.group(1))["Location"]
    client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor_id", "after"))
    assert events == [
        (Action.PASSWORD_CHANGED, viewer.pk, {"via": "reset"}),
        (Action.LOGIN_SUCCEEDED, viewer.pk, {}),  # ACCOUNT_LOGIN_ON_PASSWORD_RESET
    ]


def test_activation_writes_the_password_set_and_the_login(organisation, viewer):
    viewer.set_unusable_password()
    viewer.save()
    client = Client()
    client.get(
        reverse(
            "accounts:activate",
            kwargs={
                "uid": activation_uid(viewer),
                "token": activation_token_generator.make_token(viewer),
            },
        )
    )
    response = client.post(
        reverse("accounts:activate_password"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor_id", "after"))
    assert events == [
        (Action.PASSWORD_CHANGED, viewer.pk, {"via": "set"}),
        (Action.LOGIN_SUCCEEDED, viewer.pk, {}),
    ]


def _authenticator(user, kind):
    return Authenticator.objects.create(user=user, type=kind, data={})


def test_two_factor_login_on_and_off_write_one_event_each(viewer):
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.6")
    totp = _authenticator(viewer, Authenticator.Type.TOTP)
    codes = _authenticator(viewer, Authenticator.Type.RECOVERY_CODES)
    # allauth sends both when the app is activated; the recovery codes are no extra event
    for authenticator in (totp, codes):
        authenticator_added.send(
            sender=Authenticator, request=request, user=viewer, authenticator=authenticator
        )
    for authenticator in (totp, codes):
        authenticator_removed.send(
            sender=Authenticator, request=request, user=viewer, authenticator=authenticator
        )
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor_id", "ip_address"))
    assert events == [
        (Action.MFA_ENABLED, viewer.pk, "198.51.100.6"),
        (Action.MFA_DISABLED, viewer.pk, "198.51.100.6"),
    ]


def test_switching_organisation_writes_one_event_in_the_organisation_chosen(
    admin, organisation, second_organisation
):
    client = logged_in(admin)
    client.get(reverse("portal:organisation_home"))  # active: Rode Lente
    response = client.post(
        reverse("portal:switch_organisation"), {"organisation": second_organisation.pk}
    )
    assert response.status_code == HTTPStatus.FOUND
    event = AuditEvent.objects.get()
    assert event.action == Action.ORGANISATION_SWITCHED
    assert (event.actor, event.organisation) == (admin, second_organisation)
    assert event.target_label == "Rode Lente Services"
    assert event.before == {"organisation": "Rode Lente"}


def test_choosing_the_organisation_already_active_writes_nothing(admin, organisation):
    client = logged_in(admin)
    client.post(reverse("portal:switch_organisation"), {"organisation": organisation.pk})
    assert not AuditEvent.objects.exists()
