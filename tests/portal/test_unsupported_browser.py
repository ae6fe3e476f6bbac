"""Internet Explorer (R23): a plain page in both languages instead of a broken portal."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

IE11 = "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko"
IE9 = "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)"
EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0"
)


@pytest.mark.parametrize("agent", [IE11, IE9], ids=["ie11", "ie9"])
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/organisation/", "/admin/"])
def test_internet_explorer_gets_the_plain_page(client, agent, path):
    response = client.get(path, HTTP_USER_AGENT=agent)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert '<section lang="nl">' in page and '<section lang="en">' in page
    assert "Je browser wordt niet ondersteund" in page
    assert "Your browser is not supported" in page
    for browser in ("Microsoft Edge", "Google Chrome", "Mozilla Firefox", "Apple Safari"):
        assert browser in page
    assert "bootstrap" not in page  # no layout that IE would break
    assert "css/unsupported.css" in page
    assert response["Vary"] == "User-Agent"


def test_other_browsers_get_the_portal(client, db):
    response = client.get(reverse("account_login"), HTTP_USER_AGENT=EDGE)
    assert "Inloggen" in response.content.decode()
    assert "niet ondersteund" not in response.content.decode()


def test_health_check_is_not_affected(client, db):
    response = client.get(reverse("portal:healthz"), HTTP_USER_AGENT=IE11)
    assert response.json() == {"status": "ok", "database": "ok"}
