"""Mail subjects and plain-text bodies are text, not HTML (issue 15, item 8).

Every mail the portal sends is queued here with names full of characters HTML escapes, in
Dutch and in English, and read back from the queue: the subject and the text carry the names
as typed (``O'Brien``, not ``O&#x27;Brien``), the subject is one line, and an HTML body still
escapes them. A mail template without a sender in ``SENDERS`` fails
``test_every_mail_the_portal_has_is_sent_here``.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.login_code import login_code_send
from accounts.models import Membership
from accounts.services import user_send_welcome
from outbox.models import OutgoingEmail
from tests.accounts.factories import (
    CustomerFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from users.services import membership_remove

pytestmark = pytest.mark.django_db

# One value per name field a mail shows, each with characters HTML escapes.
PERSON_FIRST = "O'Brien"
PERSON_LAST = "<b>Jansen</b>"
PERSON_EMAIL = "o'brien@rodelente.example"
ADMIN_FIRST = '"Quotes"'
ADMIN_LAST = "Bakker & Zn"
CUSTOMER = "O'Brien & <b>Co</b>"
ORGANISATION = 'Bakker & Zn "Holding"'
SECOND_ORGANISATION = "<i>Jansen</i> & 'Zn'"
REASON = 'Werkt bij "Bakker & Zn" <b>niet</b> meer'
UNKNOWN_EMAIL = "o'brien&zn@elders.example"

# An HTML character reference: none may appear in a subject or a text body.
ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


@pytest.fixture
def people():
    customer = CustomerFactory(name=CUSTOMER, csm_email="csm@vendor.example")
    organisation = OrganisationFactory(customer=customer, name=ORGANISATION)
    second = OrganisationFactory(customer=customer, name=SECOND_ORGANISATION)
    admin = MembershipFactory(
        organisation=organisation,
        role=Membership.Role.ADMIN,
        user__first_name=ADMIN_FIRST,
        user__last_name=ADMIN_LAST,
        user__email="admin@rodelente.example",
    ).user
    person = MembershipFactory(
        organisation=organisation,
        user__first_name=PERSON_FIRST,
        user__last_name=PERSON_LAST,
        user__email=PERSON_EMAIL,
    ).user
    MembershipFactory(organisation=second, user=person)
    return {"admin": admin, "person": person, "organisation": organisation}


def _set_language(user, language):
    user.language = language
    user.save(update_fields=["language"])


def _send_welcome(people, language):
    person = people["person"]
    _set_language(person, language)
    person.set_unusable_password()
    person.save(update_fields=["password"])
    assert user_send_welcome(user=person)
    return [PERSON_FIRST, PERSON_EMAIL, ORGANISATION, SECOND_ORGANISATION]


def _csm_reads(language):
    # The CSM reads the language of the account with their address (Dutch without one).
    UserFactory(email="csm@vendor.example", customer=None, is_staff=True, language=language)


def _send_access_removed(people, language):
    _csm_reads(language)
    membership_remove(
        by=people["admin"],
        membership=people["person"].memberships.get(organisation=people["organisation"]),
        reason=REASON,
    )
    return [
        f"{ADMIN_FIRST} {ADMIN_LAST}",
        f"{PERSON_FIRST} {PERSON_LAST}",
        PERSON_EMAIL,
        CUSTOMER,
        ORGANISATION,
        REASON,
    ]


def _send_contact_deactivated(people, language):
    _csm_reads(language)
    membership_remove(
        by=people["admin"],
        membership=people["person"].memberships.get(organisation=people["organisation"]),
        reason=REASON,
        deactivate=True,
    )
    return [
        f"{ADMIN_FIRST} {ADMIN_LAST}",
        f"{PERSON_FIRST} {PERSON_LAST}",
        PERSON_EMAIL,
        CUSTOMER,
        ORGANISATION,
        SECOND_ORGANISATION,
        REASON,
    ]


def _request_reset(email, language):
    response = Client(headers={"accept-language": language}).post(
        reverse("account_reset_password"), {"email": email}
    )
    assert response.status_code == HTTPStatus.FOUND


def _send_password_reset_key(people, language):
    _set_language(people["person"], language)
    _request_reset(PERSON_EMAIL, language)
    return []  # the reset mail names nobody: only its link


def _send_unknown_account(people, language):
    _request_reset(UNKNOWN_EMAIL, language)
    return [UNKNOWN_EMAIL]


def _send_account_inactive(people, language, reason="deactivated"):
    person = people["person"]
    person.language, person.is_active, person.inactive_reason = language, False, reason
    person.save(update_fields=["language", "is_active", "inactive_reason"])
    _request_reset(PERSON_EMAIL, language)
    if reason == "blocked":
        return [PERSON_EMAIL, "csm@vendor.example"]
    # The Admins who can give the access back, with where each is Admin.
    return [PERSON_EMAIL, f"{ADMIN_FIRST} {ADMIN_LAST} ({ORGANISATION})"]


def _send_account_blocked(people, language):
    return _send_account_inactive(people, language, reason="blocked")


def _send_login_code(people, language):
    _set_language(people["person"], language)
    login_code_send(request=RequestFactory().post("/"), email=PERSON_EMAIL)
    return [PERSON_FIRST]


def _send_login_code_unknown(people, language):
    with translation.override(language):
        login_code_send(request=RequestFactory().post("/"), email=UNKNOWN_EMAIL)
    return [UNKNOWN_EMAIL]


# Template prefix -> (the kind queued, how it is sent, its subject in Dutch and English).
SENDERS = {
    "accounts/email/welcome": (
        "welcome",
        _send_welcome,
        {
            "nl": "Welkom bij Mijn organisatie: activeer je account",
            "en": "Welcome to Mijn organisatie: activate your account",
        },
    ),
    "users/email/access_removed": (
        "access_removed",
        _send_access_removed,
        {
            "nl": f"Toegang verwijderd: {PERSON_FIRST} {PERSON_LAST} ({ORGANISATION})",
            "en": f"Access removed: {PERSON_FIRST} {PERSON_LAST} ({ORGANISATION})",
        },
    ),
    "users/email/access_removed (deactivated)": (
        "access_removed",
        _send_contact_deactivated,
        {
            "nl": f"Contactpersoon gedeactiveerd: {PERSON_FIRST} {PERSON_LAST} ({ORGANISATION})",
            "en": f"Contact deactivated: {PERSON_FIRST} {PERSON_LAST} ({ORGANISATION})",
        },
    ),
    "account/email/password_reset_key": (
        "password_reset_key",
        _send_password_reset_key,
        {
            "nl": "Mijn organisatie: kies een nieuw wachtwoord",
            "en": "Mijn organisatie: choose a new password",
        },
    ),
    "accounts/email/account_inactive": (
        "account_inactive",
        _send_account_inactive,
        {
            "nl": "Mijn organisatie: je account is gedeactiveerd",
            "en": "Mijn organisatie: your account is deactivated",
        },
    ),
    "accounts/email/account_inactive (blocked)": (
        "account_inactive",
        _send_account_blocked,
        {
            "nl": "Mijn organisatie: je account is geblokkeerd",
            "en": "Mijn organisatie: your account is blocked",
        },
    ),
    "accounts/email/login_code": (
        "login_code",
        _send_login_code,
        {
            "nl": "Je inlogcode voor Mijn organisatie",
            "en": "Your login code for Mijn organisatie",
        },
    ),
    "accounts/email/login_code_unknown": (
        "login_code_unknown",
        _send_login_code_unknown,
        {
            "nl": "Mijn organisatie: inlogcode aangevraagd",
            "en": "Mijn organisatie: login code requested",
        },
    ),
    "account/email/unknown_account": (
        "unknown_account",
        _send_unknown_account,
        {
            "nl": "Mijn organisatie: nieuw wachtwoord aangevraagd",
            "en": "Mijn organisatie: password reset requested",
        },
    ),
}


def _mail_templates() -> set[str]:
    """Every mail the portal's own templates define (``<prefix>_subject.txt``)."""
    root = Path(settings.BASE_DIR) / "templates"
    return {
        str(path.relative_to(root)).removesuffix("_subject.txt")
        for path in root.rglob("*_subject.txt")
    }


def test_every_mail_the_portal_has_is_sent_here():
    from allauth.account import app_settings as allauth_account

    covered = {prefix.split(" ")[0] for prefix in SENDERS}
    assert _mail_templates() == covered
    # allauth's security notices (password changed, two-factor login on, ...) would be mails
    # from allauth's own templates; switching them on means adding them to SENDERS.
    assert not allauth_account.EMAIL_NOTIFICATIONS
    assert allauth_account.EMAIL_VERIFICATION == allauth_account.EmailVerificationMethod.NONE


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("prefix", list(SENDERS))
def test_a_mail_shows_names_as_text_and_escapes_them_only_in_html(people, prefix, language):
    kind, send, subjects = SENDERS[prefix]
    shown = send(people, language)
    mail = OutgoingEmail.objects.get(kind=kind)

    assert mail.subject == subjects[language]
    assert not ENTITY.search(mail.subject), mail.subject
    assert not ENTITY.search(mail.body_text), mail.body_text
    for value in shown:
        assert value in mail.body_text
    if mail.body_html:
        for value in shown:
            assert escape(value) in mail.body_html
        assert "<b>" not in mail.body_html
        assert '<html lang="' + language + '">' in mail.body_html


def test_a_subject_is_one_line_whatever_the_names_hold(people):
    organisation = people["organisation"]
    organisation.name = "Bakker\n& Zn\r\n<Holding>"
    organisation.save(update_fields=["name"])
    _send_access_removed(people, "en")
    mail = OutgoingEmail.objects.get(kind="access_removed")
    assert mail.subject == f"Access removed: {PERSON_FIRST} {PERSON_LAST} (Bakker & Zn <Holding>)"
    assert "Organisation: Bakker\n& Zn\r\n<Holding>\n" in mail.body_text
