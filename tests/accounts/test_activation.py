"""Welcome e-mail and activation (R2): a 24-hour, single-use link to choose a password."""

from __future__ import annotations

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from accounts.services import user_send_welcome
from accounts.tokens import activation_token_generator, activation_uid
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lente-Zon-2026!"
LINK = re.compile(r"http://testserver(/activate/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def newcomer(organisation):
    """A contact just given access who never activated: no usable password, never logged in."""
    user = MembershipFactory(
        organisation=organisation,
        role=Membership.Role.ADMIN,
        user__email="nieuw@rodelente.example",
        user__first_name="Noor",
    ).user
    user.set_unusable_password()
    user.save()
    return user


def _welcome(user, capture) -> str:
    with capture(execute=True):
        assert user_send_welcome(user=user)
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    return message


def _link(message) -> str:
    return LINK.search(message.body).group(1)


def test_welcome_mail_in_dutch(newcomer, django_capture_on_commit_callbacks):
    message = _welcome(newcomer, django_capture_on_commit_callbacks)
    assert message.subject == "Welkom bij Mijn organisatie: activeer je account"
    assert "Hallo Noor," in message.body
    assert "Rode Lente: Mijn organisatie (Admin)" in message.body
    assert "24 uur" in message.body
    assert "Wachtwoord vergeten" in message.body
    html = message.alternatives[0].content
    assert "Activeer je account" in html
    assert _link(message) in html


def test_welcome_mail_in_english(newcomer, django_capture_on_commit_callbacks):
    newcomer.language = "en"
    newcomer.save()
    message = _welcome(newcomer, django_capture_on_commit_callbacks)
    assert message.subject == "Welcome to Mijn organisatie: activate your account"
    assert "Hello Noor," in message.body
    assert "valid for 24 hours and works once" in message.body


def test_activation_sets_the_password_logs_in_and_lands_on_home(
    newcomer, django_capture_on_commit_callbacks
):
    client = Client()
    link = _link(_welcome(newcomer, django_capture_on_commit_callbacks))
    response = client.get(link)
    # the token leaves the address bar: it cannot leak through Referer or history
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("accounts:activate_password")
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert "nieuw@rodelente.example" in page.content.decode()
    response = client.post(
        reverse("accounts:activate_password"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:home")
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)
    # and the password works for a normal login
    assert Client().login(email=newcomer.email, password=NEW_PASSWORD)


def test_password_rules_are_djangos_validators_in_both_languages(newcomer):
    client = Client()
    client.get(_direct_link(newcomer))
    response = client.post(
        reverse("accounts:activate_password"),
        {"new_password1": "12345678", "new_password2": "12345678"},
    )
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Dit wachtwoord is te algemeen." in page
    assert "Je wachtwoord moet minstens 8 tekens lang zijn." in page  # the rules are shown
    newcomer.language = "en"  # the page speaks the person's language (see below)
    newcomer.save(update_fields=["language"])
    page = client.post(
        reverse("accounts:activate_password"),
        {"new_password1": "12345678", "new_password2": "12345678"},
    ).content.decode()
    assert "This password is too common." in page
    assert "Your password must contain at least 8 characters." in page
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def _direct_link(user, token=None) -> str:
    return reverse(
        "accounts:activate",
        kwargs={
            "uid": activation_uid(user),
            "token": token or activation_token_generator.make_token(user),
        },
    )


@pytest.mark.parametrize(
    ("elapsed", "works"),
    [(timedelta(hours=23, minutes=59), True), (timedelta(hours=24, minutes=1), False)],
    ids=["23h59-valid", "24h01-expired"],
)
def test_link_is_valid_for_24_hours(newcomer, time_machine, elapsed, works):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    link = _direct_link(newcomer)
    time_machine.move_to(start + elapsed, tick=False)
    response = Client().get(link)
    if works:
        assert response.status_code == HTTPStatus.FOUND
    else:
        assert response.status_code == HTTPStatus.OK
        page = response.content.decode()
        assert "Deze link werkt niet meer" in page
        assert "verlopen of al gebruikt" in page


def test_activation_lifetime_is_its_own_setting(newcomer, settings, time_machine):
    settings.PASSWORD_RESET_TIMEOUT = 60  # the reset lifetime does not touch activation
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    link = _direct_link(newcomer)
    time_machine.move_to(start + timedelta(hours=2), tick=False)
    assert Client().get(link).status_code == HTTPStatus.FOUND
    settings.ACCOUNT_ACTIVATION_TIMEOUT = 3600
    assert Client().get(link).status_code == HTTPStatus.OK


def test_link_works_once(newcomer):
    link = _direct_link(newcomer)
    client = Client()
    client.get(link)
    client.post(
        reverse("accounts:activate_password"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    again = Client().get(link)
    assert again.status_code == HTTPStatus.OK
    assert "Deze link werkt niet meer" in again.content.decode()


def test_expired_link_offers_forgot_password_with_the_address_prefilled(newcomer, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    link = _direct_link(newcomer)
    time_machine.move_to(start + timedelta(days=2), tick=False)
    page = Client().get(link).content.decode()
    reset = reverse("account_reset_password") + "?email=nieuw%40rodelente.example"
    assert f'href="{reset}"' in page
    assert "Wachtwoord vergeten" in page
    form = Client().get(reset).content.decode()
    assert 'value="nieuw@rodelente.example"' in form


def test_a_token_for_one_user_does_not_work_for_another(newcomer, viewer):
    token = activation_token_generator.make_token(newcomer)
    response = Client().get(_direct_link(viewer, token=token))
    assert response.status_code == HTTPStatus.OK
    assert "Deze link werkt niet meer" in response.content.decode()


def test_a_forged_user_id_is_refused_and_reveals_no_address(newcomer):
    token = activation_token_generator.make_token(newcomer)
    forged = reverse("accounts:activate", kwargs={"uid": f"{newcomer.pk}:forged", "token": token})
    page = Client().get(forged).content.decode()
    assert "Deze link werkt niet meer" in page
    assert newcomer.email not in page
    assert "?email=" not in page


def test_a_password_reset_token_is_no_activation_token(newcomer):
    from django.contrib.auth.tokens import default_token_generator

    token = default_token_generator.make_token(newcomer)
    assert Client().get(_direct_link(newcomer, token=token)).status_code == HTTPStatus.OK


def test_a_deactivated_person_cannot_activate(newcomer):
    link = _direct_link(newcomer)
    newcomer.is_active, newcomer.inactive_reason = False, "deactivated"
    newcomer.save()
    assert Client().get(link).status_code == HTTPStatus.OK
    assert not user_send_welcome(user=newcomer)


def test_set_password_page_without_a_link_says_it_no_longer_works(client):
    response = client.get(reverse("accounts:activate_password"))
    assert "Deze link werkt niet meer" in response.content.decode()


def test_no_welcome_for_a_person_who_already_activated(viewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert not user_send_welcome(user=viewer)
    assert mail.outbox == []


def test_staff_resend_the_welcome_mail_from_admin(
    client, staff, newcomer, viewer, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_welcome", "_selected_action": [newcomer.pk, viewer.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert viewer.email in page  # named as skipped: already activated


def test_staff_giving_a_new_contact_access_sends_the_welcome(
    client, staff, customer, organisation, django_capture_on_commit_callbacks
):
    # Access needs a first and last name (the users services refuse a nameless contact).
    person = User.objects.create_user(
        "later@rodelente.example", customer=customer, first_name="Lot", last_name="Later"
    )
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_membership_add"),
            {
                "user": person.pk,
                "organisation": organisation.pk,
                "kind": "organisation",
                "role": "viewer",
            },
        )
    assert response.status_code == HTTPStatus.FOUND
    assert [m.to for m in mail.outbox] == [[person.email]]
    person.refresh_from_db()
    assert person.welcome_sent_at is not None


def test_demo_users_are_activated(db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for user in User.objects.all():
        assert user.has_usable_password()
        assert not user_send_welcome(user=user)


@pytest.mark.parametrize(
    ("stored", "browser", "heading", "welcome"),
    [
        ("nl", "en", "Activeer je account", "Welkom! Je account is actief."),
        ("en", "nl", "Activate your account", "Welcome! Your account is active."),
    ],
)
def test_activation_speaks_the_persons_stored_language_not_the_browsers(
    newcomer, stored, browser, heading, welcome
):
    """The welcome mail was in the stored language; the page it opens is too (issue 9)."""
    newcomer.language = stored
    newcomer.save(update_fields=["language"])
    client = Client(headers={"accept-language": browser})
    client.cookies["django_language"] = browser
    client.get(_direct_link(newcomer))
    response = client.get(reverse("accounts:activate_password"))
    assert response["Content-Language"] == stored
    assert heading in response.content.decode()
    response = client.post(
        reverse("accounts:activate_password"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == [welcome]


def test_an_expired_link_speaks_the_persons_language_and_states_the_lifetime(newcomer, settings):
    settings.ACCOUNT_ACTIVATION_TIMEOUT = 48 * 3600
    newcomer.language = "en"
    newcomer.save(update_fields=["language"])
    client = Client(headers={"accept-language": "nl"})
    page = client.get(_direct_link(newcomer, token="bad-token")).content.decode()
    assert "A link is valid for 48 hours and works once." in page
