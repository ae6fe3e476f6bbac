"""One voice in both languages (issue 9): every page a person sees speaks one language, in the
portal's tone ("je") and words, whoever asks. Renders every GET page of the permission matrix
as anonymous, Viewer and Admin, and allauth's own pages, in Dutch and in English, and fails on
the usual leftovers of the other language or of the libraries' own wording."""

from __future__ import annotations

import html
import re
import time
from http import HTTPStatus

import pytest
from allauth.mfa.totp.internal.auth import hotp_value
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import PASSWORD
from tests.test_permissions import MATRIX, URL_KWARGS, matrix_objects, who  # noqa: F401

pytestmark = pytest.mark.django_db

# Words that must not appear on a Dutch page: the formal "u", allauth's and Django's terms
# where the portal has its own, and English.
NOT_DUTCH = [
    r"\b[Uu]w\b",
    r"\bu\b",
    r"[Aa]fmelden",
    r"[Aa]fgemeld",
    r"IP adres",
    r"[Tt]wee-factor",
    r"authenticatie",
    r"alstublieft",
    r"momenteel",
    r"\bEmail\b",
    r"\bE-mail\b(?! )",
    r"Sign (Out|In|Up)",
    r"Forgot your password",
    r"\bthe\b",
    r"\byour\b",
    r"\band\b",
    r"\bLog out\b",  # ("Log in" is Dutch too)
    r"\bPassword\b",
    r"\bInvoices\b",
    r"\bSave\b",
    r"\bCancel\b",
]
# Words that must not appear on an English page: Dutch, and allauth's own terms.
NOT_ENGLISH = [
    r"\bje\b",
    r"\bjij\b",
    r"\bhet\b",
    r"\been\b",
    r"Wachtwoord",
    r"Facturen",
    r"Opslaan",
    r"Inloggen",
    r"Uitloggen",
    r"Annuleer",
    r"Gebruikers",
    r"\bEmail\b",
    r"Sign (Out|In|Up)",
    r"Forgot your password",
    r"Remember Me",
    r"Two-Factor",
    r"Started At",
    r"IP Address",
    r"(Current|New) Password",
    r"Change Password",
    r"Confirm Access",
    r"Recovery Codes",
    r"Authenticator App",
]
FORBIDDEN = {"nl": NOT_DUTCH, "en": NOT_ENGLISH}

# Names and data that read the same in both languages (people, organisations, the product).
DATA = [
    "Mijn organisatie",
    "Mijn support",
    "Anne van Amersfoort",
    "Rode Lente Services",
    "Rode Lente",
    "Blauwe Herfst",
]


def visible_text(content: str) -> str:
    """What a person reads: text, titles, labels and placeholders, without data."""
    content = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", content)
    attributes = re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', content)
    text = re.sub(r"(?s)<[^>]+>", " ", content) + " " + " ".join(attributes)
    text = html.unescape(text)
    for data in DATA:
        text = text.replace(data, " ")
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses
    return re.sub(r"\s+", " ", text)


def leftovers(content: str, language: str) -> list[str]:
    text = visible_text(content)
    found = []
    for pattern in FORBIDDEN[language]:
        for match in re.finditer(pattern, text):
            start = max(0, match.start() - 40)
            found.append(f"{pattern!r}: …{text[start : match.end() + 40]}…")
    return found


def speak(client: Client, language: str) -> Client:
    """The client's language: the stored one of a logged-in user, else the cookie."""
    user_id = client.session.get("_auth_user_id")
    if user_id:
        User.objects.filter(pk=user_id).update(language=language)
    client.cookies["django_language"] = language
    return client


GET_PAGES = [
    pytest.param(name, who_, id=f"{name}-{who_}")
    for name, methods in MATRIX.items()
    for who_, expected in methods.get("GET", {}).items()
    if expected == HTTPStatus.OK and who_ in {"anonymous", "viewer", "admin"}
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("url_name", "who"), GET_PAGES, indirect=["who"])
def test_every_portal_page_speaks_one_language(url_name, who, language, matrix_objects):  # noqa: F811
    url = reverse(url_name, kwargs=URL_KWARGS.get(url_name, lambda objects: {})(matrix_objects))
    response = speak(who, language).get(url)
    assert response.status_code == HTTPStatus.OK
    if not response["Content-Type"].startswith("text/html"):
        return  # CSV exports, PDFs, the health check
    assert f'<html lang="{language}">' in response.content.decode()
    assert leftovers(response.content.decode(), language) == []


def allauth_pages(user: User, language: str):
    """allauth's pages as a person meets them, as (name, HTML)."""
    anonymous = Client()
    anonymous.cookies["django_language"] = language
    for name in (
        "account_login",
        "account_signup",
        "account_inactive",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
    ):
        yield name, anonymous.get(reverse(name))
    yield (
        "reset link no longer works",
        anonymous.get(
            reverse("account_reset_password_from_key", kwargs={"uidb36": "x", "key": "y"})
        ),
    )
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    for name in (
        "account_logout",  # shows allauth's "logged in" message too
        "account_change_password",
        "account_reauthenticate",
        "mfa_index",
        "usersessions_list",
    ):
        yield name, client.get(reverse(name))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    yield "mfa_activate_totp", response
    secret = response.context["form"].secret
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
    yield (
        "two-factor login turned on",
        client.post(reverse("mfa_activate_totp"), {"code": code}, follow=True),
    )
    for name in ("mfa_deactivate_totp", "mfa_view_recovery_codes", "mfa_generate_recovery_codes"):
        yield name, client.get(reverse(name))
    second = Client()
    second.cookies["django_language"] = language
    yield (
        "mfa_authenticate",
        second.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
        ),
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_allauths_pages_speak_one_language_in_the_portals_words(viewer, language):
    problems = {}
    for name, response in allauth_pages(viewer, language):
        assert response.status_code == HTTPStatus.OK, name
        content = response.content.decode()
        assert f'<html lang="{language}">' in content, name
        if found := leftovers(content, language):
            problems[name] = found
    assert problems == {}


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Wilt u inloggen? Afmelden kan altijd."),
        ("en", "Je kunt hier inloggen met je Wachtwoord."),
    ],
)
def test_the_word_lists_catch_the_other_language(language, text):
    assert len(leftovers(f"<p>{text}</p>", language)) >= 2
