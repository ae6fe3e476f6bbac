"""Language (R22): Dutch by default, English on request, kept in the user's profile."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_dutch_is_the_default(client):
    response = client.get(reverse("account_login"))
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_anonymous_switch_sets_the_cookie(client):
    response = client.post(
        reverse("portal:set_language"), {"language": "en", "next": reverse("account_login")}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_login")
    page = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in with your e-mail address and password." in page


def test_logged_in_switch_is_stored_and_applied_at_next_login(viewer):
    client = Client()
    assert client.login(email=viewer.email, password=PASSWORD)
    client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    viewer.refresh_from_db()
    assert viewer.language == "en"

    fresh = Client()  # another browser: no language cookie
    response = fresh.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    page = fresh.get(reverse("portal:organisation_home")).content.decode()
    assert '<html lang="en">' in page
    assert "Your role" in page


def test_unknown_language_changes_nothing(viewer):
    client = Client()
    client.force_login(viewer)
    client.post(reverse("portal:set_language"), {"language": "xx", "next": "/"})
    viewer.refresh_from_db()
    assert viewer.language == "nl"


def test_external_next_url_is_ignored(client):
    response = client.post(
        reverse("portal:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert "evil.example" not in response["Location"]


def test_login_applies_the_stored_language_and_remembers_it_in_the_cookie(viewer):
    viewer.language = "en"
    viewer.save()
    client = Client()
    client.cookies["django_language"] = "nl"  # this browser last spoke Dutch
    response = client.post(reverse("account_login"), {"login": viewer.email, "password": PASSWORD})
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get(reverse("portal:organisation_home")).content.decode()
    client.post(reverse("account_logout"))
    assert '<html lang="en">' in client.get(reverse("account_login")).content.decode()


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [("nl", "1-9-2026", "1 september 2026"), ("en", "01/09/2026", "1 September 2026")],
)
def test_dates_put_the_day_first_in_both_languages(language, short, long):
    import datetime

    from django.utils import formats, translation

    day = datetime.date(2026, 9, 1)
    with translation.override(language):
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short
        assert formats.date_format(day, "DATE_FORMAT") == long
