"""No lockout from new browsers (issue 15, item 2): while guessers from many addresses hold
the account-wide ceiling, the owner gets in from a fresh browser with a one-time code mailed
to the account's address, which the guessers do not have (accounts/login_code.py)."""

from __future__ import annotations

import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from outbox.models import OutgoingEmail
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

OWNER_IP = "198.51.100.20"
LOGIN = reverse("account_login")
REQUEST = reverse("accounts:login_code_request")
CONFIRM = reverse("accounts:login_code_confirm")
CEILING_REFUSAL = "Te veel mislukte inlogpogingen voor dit account vanaf andere apparaten."
CODE = re.compile(r"Je inlogcode: ([A-Z]{4}-[A-Z]{4}-[A-Z]{2})")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password, ip=OWNER_IP):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def _attack(email, *, addresses=22, tries=6):
    """The issue's attack: 22 source addresses x 6 wrong passwords (about a minute)."""
    for address in range(addresses):
        guesser = Client()
        for attempt in range(tries):
            _login(guesser, email, f"guess-{address}-{attempt}", ip=f"203.0.113.{address + 1}")


def _mails():
    """The queued mails (sent after commit, which a test's transaction never reaches)."""
    return list(OutgoingEmail.objects.order_by("pk"))


def _codes_mailed_to(address):
    return [
        CODE.search(message.body_text).group(1)
        for message in _mails()
        if message.to == address and CODE.search(message.body_text)
    ]


def test_a_fresh_browser_is_refused_during_the_attack_and_offered_a_code(viewer):
    _attack(viewer.email)
    owner = Client()
    page = _login(owner, viewer.email.upper(), PASSWORD).content.decode()
    assert CEILING_REFUSAL in page
    assert "_auth_user_id" not in owner.session
    assert 'data-testid="login-code-offer"' in page
    assert "Log je in op een nieuw apparaat? Dan kunnen we een eenmalige inlogcode" in page
    # The offer carries the canonical address that was refused.
    assert f'<input type="hidden" name="email" value="{viewer.email}">' in page


def test_no_code_is_offered_without_an_attack(viewer):
    client = Client()
    page = _login(client, viewer.email, "wrong").content.decode()
    assert "niet correct" in page
    assert 'data-testid="login-code-offer"' not in page
    response = client.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Een inlogcode per e-mail is er alleen zolang" in response.content.decode()
    assert not _mails()


def test_the_owner_gets_in_from_a_fresh_browser_with_the_mailed_code(viewer):
    _attack(viewer.email)
    owner = Client()
    assert CEILING_REFUSAL in _login(owner, viewer.email, PASSWORD).content.decode()

    response = owner.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP)
    assert response["Location"] == CONFIRM
    page = owner.get(CONFIRM).content.decode()
    assert "hebben we er een inlogcode naartoe gemaild" in page
    (message,) = _mails()
    assert message.to == viewer.email
    assert message.subject == "Je inlogcode voor Mijn organisatie"
    (code,) = _codes_mailed_to(viewer.email)

    response = owner.post(CONFIRM, {"code": code.lower().replace("-", " ")}, REMOTE_ADDR=OWNER_IP)
    assert response.status_code == HTTPStatus.FOUND
    assert owner.session["_auth_user_id"] == str(viewer.pk)
    # This browser is a known device now; the ceiling still holds for every other new one.
    assert "portal_device" in owner.cookies
    assert CEILING_REFUSAL in _login(Client(), viewer.email, PASSWORD).content.decode()
    owner.post(reverse("account_logout"))
    assert _login(owner, viewer.email, PASSWORD).status_code == HTTPStatus.FOUND


def test_the_attacker_cannot_get_in_or_exhaust_the_code_path(viewer, settings):
    _attack(viewer.email)
    # The guessers ask for codes from all their addresses and try codes of their own.
    for address in range(22):
        guesser = Client()
        ip = f"203.0.113.{address + 1}"
        for _request in range(3):
            guesser.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=ip)
            for attempt in range(6):
                guesser.post(CONFIRM, {"code": f"BCDF-GHJK-{attempt:02d}"}, REMOTE_ADDR=ip)
            assert "_auth_user_id" not in guesser.session
    # However often they asked, the owner's mailbox got one code, and it still works.
    (code,) = _codes_mailed_to(viewer.email)
    assert len(_mails()) == 1
    owner = Client()
    owner.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP)
    assert len(_mails()) == 1  # the owner asked after them: the same code, no new mail
    owner.post(CONFIRM, {"code": code}, REMOTE_ADDR=OWNER_IP)
    assert owner.session["_auth_user_id"] == str(viewer.pk)


def test_wrong_codes_are_bounded_per_request_and_per_client(viewer):
    _attack(viewer.email)
    guesser = Client()
    guesser.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR="203.0.113.50")
    for attempt in range(4):
        page = guesser.post(CONFIRM, {"code": f"WRONG{attempt}"}, REMOTE_ADDR="203.0.113.50")
        assert "Deze code is niet juist, of niet meer geldig." in page.content.decode()
    response = guesser.post(CONFIRM, {"code": "WRONG5"}, REMOTE_ADDR="203.0.113.50", follow=True)
    assert response.redirect_chain[-1][0] == REQUEST
    assert "Te veel verkeerde codes." in response.content.decode()
    assert guesser.get(CONFIRM)["Location"] == LOGIN  # must ask again first

    # 20 entries an hour per client address, whatever the sessions (asked for elsewhere).
    for attempt in range(15):
        browser = Client()
        browser.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=f"203.0.113.{100 + attempt}")
        page = browser.post(CONFIRM, {"code": f"W{attempt}"}, REMOTE_ADDR="203.0.113.60")
        assert "Deze code is niet juist, of niet meer geldig." in page.content.decode()
    (code,) = _codes_mailed_to(viewer.email)
    browser = Client()
    browser.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR="203.0.113.61")
    for attempt in range(5):
        browser.post(CONFIRM, {"code": f"X{attempt}"}, REMOTE_ADDR="203.0.113.60")
    browser.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR="203.0.113.61")
    page = browser.post(CONFIRM, {"code": code}, REMOTE_ADDR="203.0.113.60").content.decode()
    assert "Er zijn vanaf dit netwerk te veel inlogcodes ingevuld." in page
    assert "_auth_user_id" not in browser.session


def test_code_requests_are_limited_per_client_address(viewer):
    _attack(viewer.email)
    for _request in range(10):
        Client().post(REQUEST, {"email": viewer.email}, REMOTE_ADDR="203.0.113.70")
    page = Client().post(REQUEST, {"email": viewer.email}, REMOTE_ADDR="203.0.113.70")
    assert "Er zijn vanaf dit netwerk te veel inlogcodes aangevraagd." in page.content.decode()
    # Another client is not affected.
    response = Client().post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP)
    assert response["Location"] == CONFIRM


def test_the_code_works_once(viewer):
    _attack(viewer.email)
    first, second = Client(), Client()
    first.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP)
    second.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR="198.51.100.21")
    (code,) = _codes_mailed_to(viewer.email)
    first.post(CONFIRM, {"code": code}, REMOTE_ADDR=OWNER_IP)
    assert first.session["_auth_user_id"] == str(viewer.pk)
    page = second.post(CONFIRM, {"code": code}, REMOTE_ADDR="198.51.100.21").content.decode()
    assert "Deze code is niet juist, of niet meer geldig." in page
    assert "_auth_user_id" not in second.session


def test_the_code_lives_fifteen_minutes_then_a_new_one_can_be_sent(viewer, time_machine):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    _attack(viewer.email, tries=5)
    _login(Client(), viewer.email, "wrong", ip="203.0.113.200")
    owner = Client()
    owner.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP)
    (old,) = _codes_mailed_to(viewer.email)

    time_machine.move_to(start + timedelta(minutes=15, seconds=1), tick=False)
    page = owner.post(CONFIRM, {"code": old}, REMOTE_ADDR=OWNER_IP).content.decode()
    assert "Deze code is niet juist, of niet meer geldig." in page
    owner.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP)
    old_again, new = _codes_mailed_to(viewer.email)
    assert old_again == old != new
    owner.post(CONFIRM, {"code": new}, REMOTE_ADDR=OWNER_IP)
    assert owner.session["_auth_user_id"] == str(viewer.pk)


def test_a_second_factor_is_still_required(staff, time_machine):
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    time_machine.move_to(timezone.now(), tick=False)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    _attack(staff.email)
    browser = Client()
    browser.post(REQUEST, {"email": staff.email}, REMOTE_ADDR=OWNER_IP)
    (code,) = _codes_mailed_to(staff.email)
    response = browser.post(CONFIRM, {"code": code}, REMOTE_ADDR=OWNER_IP)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in browser.session
    assert browser.get(reverse("admin:index")).status_code == HTTPStatus.FOUND

    totp = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    browser.post(reverse("mfa_authenticate"), {"code": totp}, REMOTE_ADDR=OWNER_IP)
    assert browser.session["_auth_user_id"] == str(staff.pk)
    assert browser.get(reverse("admin:index")).status_code == HTTPStatus.OK


def test_unknown_addresses_get_the_same_answer_and_the_same_work():
    address = "nobody@rodelente.example"
    _attack(address)
    client = Client()
    page = _login(client, address, "x").content.decode()
    assert CEILING_REFUSAL in page and 'data-testid="login-code-offer"' in page
    response = client.post(REQUEST, {"email": address}, REMOTE_ADDR=OWNER_IP)
    assert response["Location"] == CONFIRM
    assert "hebben we er een inlogcode naartoe gemaild" in client.get(CONFIRM).content.decode()
    (message,) = _mails()
    assert message.to == address
    assert message.subject == "Mijn organisatie: inlogcode aangevraagd"
    assert "Er is geen account met dit adres." in message.body_text
    # Bounded like a real code: asking again within 15 minutes sends nothing.
    Client().post(REQUEST, {"email": address}, REMOTE_ADDR="198.51.100.30")
    assert len(_mails()) == 1
    page = client.post(CONFIRM, {"code": "BCDF-GHJK-LM"}, REMOTE_ADDR=OWNER_IP)
    assert "Deze code is niet juist, of niet meer geldig." in page.content.decode()


def test_an_inactive_person_gets_no_code(viewer):
    viewer.is_active, viewer.inactive_reason = False, "deactivated"
    viewer.save(update_fields=["is_active", "inactive_reason"])
    _attack(viewer.email)
    client = Client()
    client.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP)
    assert not _codes_mailed_to(viewer.email)
    assert "Er is geen account met dit adres." in _mails()[0].body_text


def test_the_code_path_is_audited_for_staff(viewer):
    _attack(viewer.email)
    owner = Client()
    owner.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP)
    owner.post(CONFIRM, {"code": "WRONG"}, REMOTE_ADDR=OWNER_IP)
    (code,) = _codes_mailed_to(viewer.email)
    owner.post(CONFIRM, {"code": code}, REMOTE_ADDR=OWNER_IP)
    events = AuditEvent.objects.filter(target_id=str(viewer.pk)).exclude(
        action=AuditEvent.Action.LOGIN_FAILED
    )
    assert [(e.action, e.actor_id, e.organisation_id) for e in events.order_by("pk")] == [
        (AuditEvent.Action.LOGIN_CODE_SENT, None, None),
        (AuditEvent.Action.LOGIN_CODE_FAILED, None, None),
        (AuditEvent.Action.LOGIN_CODE_USED, viewer.pk, None),
        (AuditEvent.Action.LOGIN_SUCCEEDED, viewer.pk, None),
    ]
    assert {e.customer_id for e in events} == {viewer.customer_id}
    assert events.filter(ip_address=OWNER_IP).count() == 4


def test_the_pages_and_the_mail_speak_the_persons_language(viewer):
    viewer.language = "en"
    viewer.save(update_fields=["language"])
    _attack(viewer.email)
    browser = Client(headers={"accept-language": "en"})
    page = _login(browser, viewer.email, PASSWORD).content.decode()
    assert "Logging in on a new device? We can e-mail a one-time login code" in page
    browser.post(REQUEST, {"email": viewer.email}, REMOTE_ADDR=OWNER_IP)
    page = browser.get(CONFIRM).content.decode()
    assert "we have e-mailed a login code to it" in page
    (message,) = _mails()
    assert message.subject == "Your login code for Mijn organisatie"
    assert re.search(r"Your login code: [A-Z]{4}-[A-Z]{4}-[A-Z]{2}", message.body_text)
