"""Requests that used to answer 500 (issues 11 and 15), now a 4xx, a form message or an
anonymous page, storing nothing. The NUL cases failed on PostgreSQL, which refuses NUL
characters in any text."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from outbox.models import OutgoingEmail
from tests.accounts.factories import PASSWORD
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_staff(staff):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    return client


def test_a_nul_character_in_an_invoice_number_of_the_pdf_url_is_a_400(viewer):
    client = logged_in(viewer)
    response = client.get("/invoices/X%00.pdf")
    assert response.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(
    "url",
    [
        "/admin/invoices/invoice/?q=%00",
        "/admin/invoices/payment/?q=%00",
        "/admin/accounts/user/?q=%00",
        "/admin/accounts/membership/?q=%00",
        "/admin/audit/auditevent/?q=%00",
        "/admin/invoices/invoice/?number=%00",
        "/admin/invoices/invoice/?organisation__id__exact=%00",
        "/admin/accounts/user/?is_active__exact=%00",
        "/admin/autocomplete/?term=%00&app_label=accounts&model_name=membership&field_name=user",
        "/admin/?%00=1",
    ],
)
def test_a_nul_character_in_admin_filters_and_autocomplete_is_a_400(strict_staff, url):
    assert strict_staff.get(url).status_code == HTTPStatus.BAD_REQUEST


def test_a_nul_character_in_a_portal_search_is_a_400(viewer):
    response = logged_in(viewer).get(reverse("invoices:list"), {"q": "F2026\x00"})
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_password_reset_for_a_262_character_address_is_a_form_message(client):
    address = "a" * 250 + "@example.com"
    assert len(address) == 262
    response = client.post(reverse("account_reset_password"), {"email": address})
    assert response.status_code == HTTPStatus.OK
    assert (
        "Zorg dat deze waarde niet meer dan 254 tekens bevat (het zijn er nu 262)."
        in response.content.decode()
    )
    assert OutgoingEmail.objects.count() == 0


def test_the_reset_form_says_how_long_an_address_may_be(client):
    page = client.get(reverse("account_reset_password")).content.decode()
    assert 'maxlength="254"' in page


# --- cookies (issue 15, item 5) ---------------------------------------------------------------

# The issue's header as a browser sends it: the octal escape \000 is a NUL once Django unquotes
# the cookie, and that NUL used to reach PostgreSQL in the session lookup.
ISSUE_SESSION_COOKIE = 'sessionid="abcdefgh\\000ijklmnop"'
MALFORMED_SESSION_KEYS = [
    "abcdefgh\x00ijklmnop",
    "abcdefghijklmnop\x01",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345",
    "a" * 41,
    "a" * 5000,
    "abcdefgh ijklmnop",
    "abcdéfghijklmnop",
    "../../etc/passwd",
]


def _session_cookie(response):
    return response.cookies.get(settings.SESSION_COOKIE_NAME)


def test_the_issues_session_cookie_is_an_anonymous_request_and_is_cleared(viewer):
    client = Client(raise_request_exception=False)
    response = client.get(reverse("portal:home"), headers={"cookie": ISSUE_SESSION_COOKIE})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == f"{reverse('account_login')}?next=/"
    cleared = _session_cookie(response)
    assert cleared is not None
    assert cleared.value == ""
    assert cleared["max-age"] == 0


def test_the_login_page_with_the_issues_session_cookie_answers_and_a_login_works(viewer):
    client = Client(raise_request_exception=False)
    page = client.get(reverse("account_login"), headers={"cookie": ISSUE_SESSION_COOKIE})
    assert page.status_code == HTTPStatus.OK
    assert "Inloggen" in page.content.decode()
    response = client.post(
        reverse("account_login"),
        {"login": viewer.email, "password": PASSWORD},
        headers={"cookie": ISSUE_SESSION_COOKIE},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("portal:home")
    key = _session_cookie(response).value
    assert re.fullmatch(r"[a-z0-9]{32}", key)
    assert Session.objects.filter(session_key=key).exists()


@pytest.mark.parametrize("key", MALFORMED_SESSION_KEYS)
def test_a_malformed_session_key_is_never_looked_up(viewer, key, django_assert_num_queries):
    """Only keys of the characters and length Django generates reach the session table."""
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    # An anonymous login page reads no session, user or organisation from the database.
    with django_assert_num_queries(0):
        response = client.get(reverse("account_login"))
    assert response.status_code == HTTPStatus.OK
    assert _session_cookie(response).value == ""


# --- headers (issue 15, item 5) ---------------------------------------------------------------

# Control characters are invalid in a header (RFC 9110 5.5); a NUL in the user agent used to
# reach PostgreSQL with the audit event of a login or failed login, a 500.
HOSTILE_USER_AGENT = "Mozilla/5.0\x00 (X11;\x01 Linux)\x1b[31m\x7f"
CLEANED_USER_AGENT = "Mozilla/5.0  (X11;  Linux) [31m "


def test_a_user_agent_with_control_characters_is_stored_without_them(viewer):
    from allauth.usersessions.models import UserSession

    from audit.models import AuditEvent

    client = Client(raise_request_exception=False)
    headers = {"user-agent": HOSTILE_USER_AGENT}
    failed = client.post(
        reverse("account_login"), {"login": viewer.email, "password": "wrong"}, headers=headers
    )
    assert failed.status_code == HTTPStatus.OK
    assert (
        "Het door jou opgegeven e-mailadres en/of wachtwoord is niet correct."
        in failed.content.decode()
    )
    response = client.post(
        reverse("account_login"), {"login": viewer.email, "password": PASSWORD}, headers=headers
    )
    assert response.status_code == HTTPStatus.FOUND
    events = AuditEvent.objects.filter(target_id=str(viewer.pk)).order_by("pk")
    assert [(event.action, event.user_agent) for event in events] == [
        (AuditEvent.Action.LOGIN_FAILED, CLEANED_USER_AGENT),
        (AuditEvent.Action.LOGIN_SUCCEEDED, CLEANED_USER_AGENT),
    ]
    assert list(UserSession.objects.filter(user=viewer).values_list("user_agent", flat=True)) == [
        CLEANED_USER_AGENT
    ]


def test_an_over_long_user_agent_is_cut_where_it_is_stored(viewer):
    from allauth.usersessions.models import UserSession

    from audit.models import AuditEvent

    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("account_login"),
        {"login": viewer.email, "password": PASSWORD},
        headers={"user-agent": "Mozilla/5.0 " + "x" * 20_000},
    )
    assert response.status_code == HTTPStatus.FOUND
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_SUCCEEDED)
    assert len(event.user_agent) == AuditEvent._meta.get_field("user_agent").max_length
    session = UserSession.objects.get(user=viewer)
    assert len(session.user_agent) == UserSession._meta.get_field("user_agent").max_length


@pytest.mark.parametrize(
    "header",
    ["user-agent", "accept-language", "referer", "x-forwarded-for", "cookie", "x-anything"],
)
def test_control_characters_in_any_header_never_reach_a_view(viewer, header):
    """Every header a view can read arrives without control characters (a tab stays)."""
    from django.http import HttpRequest

    seen: dict[str, str] = {}

    def record(sender, request: HttpRequest, user, **kwargs):
        seen.update(request.headers)

    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(record, dispatch_uid="test-headers")
    try:
        response = Client(raise_request_exception=False).post(
            reverse("account_login"),
            {"login": viewer.email, "password": PASSWORD},
            headers={header: "a\x00b\tc\x1fd\x7fe"},
        )
    finally:
        user_logged_in.disconnect(dispatch_uid="test-headers")
    assert response.status_code == HTTPStatus.FOUND
    name = header.title()
    assert seen[name] == "a b\tc d e"


# A CSRF cookie Django cannot have made: refused on a POST (403, nothing stored), replaced on a
# GET. Django does this itself (its cookie format check); held here so it stays so.
MALFORMED_CSRF_COOKIES = ['"abcdefgh\\000ijklmnop"', "short", "x" * 5000, '"' + "a" * 31 + '\\001"']


@pytest.mark.parametrize("cookie", MALFORMED_CSRF_COOKIES)
def test_a_malformed_csrf_cookie_is_a_403_on_a_post_and_replaced_on_a_get(viewer, cookie):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    header = {"cookie": f"{settings.CSRF_COOKIE_NAME}={cookie}"}
    page = client.get(reverse("account_login"), headers=header)
    assert page.status_code == HTTPStatus.OK
    assert re.fullmatch(r"[A-Za-z0-9]{32}", page.cookies[settings.CSRF_COOKIE_NAME].value)
    response = client.post(
        reverse("account_login"),
        {"login": viewer.email, "password": PASSWORD, "csrfmiddlewaretoken": "a" * 64},
        headers=header,
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Session.objects.count() == 0


@pytest.mark.parametrize(
    ("cookie", "header"),
    [
        (f'{settings.LANGUAGE_COOKIE_NAME}="e\\000n"', {}),
        (f"{settings.LANGUAGE_COOKIE_NAME}={'en' * 3000}", {}),
        ("", {"accept-language": "en\x00;q=1, de;q=\x01"}),
        ("", {"accept-language": "en-" + "x" * 5000}),
    ],
)
def test_a_malformed_language_cookie_or_header_falls_back_to_dutch(cookie, header):
    response = Client().get(reverse("account_login"), headers={"cookie": cookie, **header})
    assert response.status_code == HTTPStatus.OK
    assert '<html lang="nl">' in response.content.decode()


@pytest.mark.parametrize("value", ['"abc\\000def"', "x" * 4000, '"{\\"accounts\\": [1]}"'])
def test_a_malformed_device_cookie_is_ignored_and_the_login_works(viewer, value):
    from accounts.lockout import DEVICE_COOKIE

    response = Client().post(
        reverse("account_login"),
        {"login": viewer.email, "password": PASSWORD},
        headers={"cookie": f"{DEVICE_COOKIE}={value}"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("portal:home")
