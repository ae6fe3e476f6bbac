"""Where the keyboard focus lands when a page opens (issue 17, section 5, item 3).

The server decides: ``autofocus`` on the login's e-mail field and on the first field with an
error; when no field has it, ``static/js/focus.js`` focuses the first message of what just
happened (base.html's messages). What a browser then does is proved in
tests/e2e/test_rough_edges_journey.py."""

from __future__ import annotations

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.invoices.factories import BillingAddressFactory

pytestmark = pytest.mark.django_db

EDIT = reverse("billing_address:edit")
FOCUS_JS = settings.BASE_DIR / "static" / "js" / "focus.js"


def autofocused(html: str) -> list[str]:
    """The names of the inputs, selects and textareas that carry ``autofocus``."""
    return [
        re.search(r'name="([^"]+)"', tag).group(1)
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
        if re.search(r"\sautofocus\b", tag)
    ]


def billing_data(**changes) -> dict:
    data = {
        "attention": "Afdeling Crediteurenadministratie",
        "organisation_name": "Rode Lente",
        "street": "Lange Gracht 16B",
        "postcode": "1234 AB",
        "city": "Amsterdam",
        "country": "NL",
        "email": "invoices@rodelente.example",
        "phone": "020 123 4567",
        "version": "1",
    }
    return {**data, **changes}


def test_the_login_page_puts_the_focus_in_the_email_field():
    html = Client().get(reverse("account_login")).content.decode()
    assert autofocused(html) == ["login"]
    assert re.search(r'<input type="email" name="login"[^>]*autofocus', html)


def test_after_a_failed_login_the_focus_is_in_the_email_field_again(viewer):
    response = Client().post(
        reverse("account_login"), {"login": viewer.email, "password": "not-the-password"}
    )
    assert response.status_code == HTTPStatus.OK
    assert autofocused(response.content.decode()) == ["login"]


def test_every_page_loads_the_focus_script_deferred_from_the_head(viewer_client):
    html = viewer_client.get(reverse("portal:organisation_home")).content.decode()
    head = html[: html.index("</head>")]
    assert '<script src="/static/js/focus.js" defer></script>' in head
    script = FOCUS_JS.read_text()
    assert 'document.querySelector("[autofocus]")' in script
    assert 'document.querySelector("main .messages [role=status]")' in script


@pytest.mark.parametrize(
    ("changes", "focused"),
    [
        ({"postcode": "not a postcode"}, "postcode"),
        ({"email": "invoices@", "phone": "hello"}, "email"),
        # The model's postcode error comes after the fields' own errors, yet is earlier in
        # the form: the first in the form's order has the focus.
        ({"postcode": "9999 SS", "email": "invoices@"}, "postcode"),
        ({"street": "", "postcode": "9999 SS"}, "street"),
    ],
)
def test_a_refused_billing_address_puts_the_focus_on_the_first_field_with_an_error(
    admin_client_portal, organisation, changes, focused
):
    BillingAddressFactory(organisation=organisation)
    response = admin_client_portal.post(EDIT, billing_data(**changes))
    assert response.status_code == HTTPStatus.OK
    assert autofocused(response.content.decode()) == [focused]


def test_the_billing_address_form_does_not_take_the_focus_on_arrival(
    admin_client_portal, organisation
):
    """Arriving, a screen reader reads the page from the top: that a change applies from the
    next invoice comes before the fields."""
    BillingAddressFactory(organisation=organisation)
    assert autofocused(admin_client_portal.get(EDIT).content.decode()) == []


def test_after_a_save_the_message_is_the_one_the_script_focuses(admin_client_portal, organisation):
    BillingAddressFactory(organisation=organisation)
    response = admin_client_portal.post(EDIT, billing_data(city="Haarlem"), follow=True)
    html = response.content.decode()
    main = html[html.index("<main") :]
    messages = main[main.index('<div class="messages">') :]
    first = re.search(r'<div class="alert[^"]*"[^>]*role="status"[^>]*>\s*([^<]*)', messages)
    assert first.group(1).strip() == (
        "Het factuuradres is opgeslagen. De volgende factuur gaat naar dit adres."
    )
    assert autofocused(html) == []
