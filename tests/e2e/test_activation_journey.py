"""A new contact follows the welcome mail's link, chooses a password and lands on Home."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from accounts.models import Customer, Membership, Organisation, User
from accounts.services import user_send_welcome

PASSWORD = "Lente-Zon-2026!"


def test_activation_from_the_welcome_mail(page, live_server, settings, assert_accessible):
    settings.PORTAL_URL = live_server.url
    customer = Customer.objects.get(name="Rode Lente")
    person = User.objects.create_user(
        "noor.nieuw@example.com", customer=customer, first_name="Noor", last_name="Nieuw"
    )
    Membership.objects.create(
        user=person,
        organisation=Organisation.objects.get(name="Rode Lente"),
        kind=Membership.Kind.ORGANISATION,
        role=Membership.Role.VIEWER,
    )
    mail.outbox.clear()
    assert user_send_welcome(user=person)  # autocommit: the queued mail leaves at once

    [message] = [m for m in mail.outbox if m.to == [person.email]]
    link = re.search(r"http://\S+/activate/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)

    page.goto(link)
    expect(page).to_have_url(re.compile(r"/activate/password/$"))  # the token left the URL
    expect(page.get_by_role("heading", name="Activeer je account")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Kies een wachtwoord").fill("12345678")
    page.get_by_label("Herhaal het wachtwoord").fill("12345678")
    page.get_by_role("button", name="Activeren en inloggen").click()
    expect(page.get_by_text("Dit wachtwoord is te algemeen.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Activeren en inloggen").click()

    # Home sends a person with one app straight into it, with the welcome message.
    expect(page).to_have_url(re.compile(r"/organisation/$"))
    expect(page.get_by_role("status")).to_contain_text("Welkom! Je account is actief.")
    expect(page.get_by_test_id("role")).to_have_text("Viewer")
    assert_accessible(page)

    # The link works once.
    page.goto(link)
    expect(page.get_by_role("heading", name="Deze link werkt niet meer")).to_be_visible()
    expect(page.get_by_role("link", name="Wachtwoord vergeten")).to_be_visible()
    assert_accessible(page)


def test_expired_link_leads_to_forgot_password(page, assert_accessible):
    page.goto("/activate/1:forged/abc-123/")
    expect(page.get_by_role("heading", name="Deze link werkt niet meer")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Wachtwoord vergeten").click()
    expect(page.get_by_role("heading", name="Wachtwoord vergeten")).to_be_visible()
    page.get_by_label("E-mail").fill("ruud.coon@example.com")
    assert_accessible(page)
    page.get_by_role("button", name="Stuur de link").click()
    expect(page.get_by_role("heading", name="Kijk in je e-mail")).to_be_visible()
    assert_accessible(page)


def test_profile_page_is_accessible(page, assert_accessible):
    from tests.e2e.conftest import log_in

    log_in(page, "anne.vanamersfoort@example.com")
    page.get_by_role("button", name=re.compile("Gebruikersmenu")).click()
    page.get_by_role("link", name="Profiel").click()
    expect(page.get_by_role("heading", name="Profiel", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Inloggen in twee stappen aanzetten").click()
    assert_accessible(page)
