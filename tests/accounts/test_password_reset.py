"""Forgot password (R3): no enumeration, a 24-hour single-use link, mails in the user's language."""

from __future__ import annotations

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Herfst-Blad-2026!"
LINK = re.compile(r"http://testserver(/accounts/password/reset/key/\S+/)")


def _request_reset(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("account_reset_password"), {"email": email})


def test_known_and_unknown_addresses_get_the_same_answer(viewer):
    """Same status, same redirect, same page; and the same work on the server: one lookup,
    one rendered mail queued, no mail server inside the request (no timing difference)."""
    known = Client().post(reverse("account_reset_password"), {"email": viewer.email})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == HTTPStatus.FOUND
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    # Both queued one mail each (to the address entered), neither was sent in the request.
    assert OutgoingEmail.objects.filter(to=viewer.email).count() == 1
    assert OutgoingEmail.objects.filter(to="nobody@example.com").count() == 1
    assert mail.outbox == []
    done = Client().get(known["Location"]).content.decode()
    assert "Als er een account bestaat" in done


def test_reset_mail_in_dutch_with_a_link_that_logs_in(viewer, django_capture_on_commit_callbacks):
    _request_reset(Client(), viewer.email, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "Mijn organisatie: kies een nieuw wachtwoord"
    assert "24 uur geldig en werkt één keer" in message.body
    client = Client()
    set_password_url = client.get(LINK.search(message.body).group(1))["Location"]
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(viewer.pk)


def test_reset_mail_in_english_for_an_english_user(viewer, django_capture_on_commit_callbacks):
    viewer.language = "en"
    viewer.save()
    _request_reset(Client(), viewer.email, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == "Mijn organisatie: choose a new password"
    assert "valid for 24 hours and works once" in message.body


def test_unknown_address_mail_offers_no_sign_up(django_capture_on_commit_callbacks):
    _request_reset(Client(), "nobody@example.com", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "Er is geen account met dit adres" in message.body
    assert "signup" not in message.body


def _reset_link(user, capture) -> str:
    _request_reset(Client(), user.email, capture)
    return LINK.search(mail.outbox[-1].body).group(1)


@pytest.mark.parametrize(
    ("elapsed", "works"),
    [(timedelta(hours=23, minutes=59), True), (timedelta(hours=24, minutes=1), False)],
    ids=["23h59-valid", "24h01-expired"],
)
def test_reset_link_is_valid_for_24_hours(
    viewer, time_machine, django_capture_on_commit_callbacks, elapsed, works
):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    link = _reset_link(viewer, django_capture_on_commit_callbacks)
    time_machine.move_to(start + elapsed, tick=False)
    client = Client()
    response = client.get(link, follow=True)
    page = response.content.decode()
    if works:
        assert "Kies een nieuw wachtwoord" in page
    else:
        assert "Deze link werkt niet meer" in page
        assert "Wachtwoord vergeten" in page


def test_reset_link_works_once(viewer, django_capture_on_commit_callbacks):
    link = _reset_link(viewer, django_capture_on_commit_callbacks)
    client = Client()
    set_password_url = client.get(link)["Location"]
    client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    page = Client().get(link, follow=True).content.decode()
    assert "Deze link werkt niet meer" in page


def test_weak_password_is_refused_with_djangos_rules(viewer, django_capture_on_commit_callbacks):
    link = _reset_link(viewer, django_capture_on_commit_callbacks)
    client = Client()
    set_password_url = client.get(link)["Location"]
    response = client.post(set_password_url, {"password1": "password", "password2": "password"})
    assert response.status_code == HTTPStatus.OK
    assert "Dit wachtwoord is te algemeen." in response.content.decode()


def test_a_never_activated_person_can_use_forgot_password(
    organisation, django_capture_on_commit_callbacks
):
    from accounts.models import User

    person = User.objects.create_user("fresh@rodelente.example", customer=organisation.customer)
    _request_reset(Client(), person.email, django_capture_on_commit_callbacks)
    assert LINK.search(mail.outbox[-1].body)


def test_login_page_links_to_forgot_password(client):
    page = client.get(reverse("account_login")).content.decode()
    assert f'href="{reverse("account_reset_password")}"' in page
