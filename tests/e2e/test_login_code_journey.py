"""During a guessing attack on her address, Anne logs in from a new browser with the code
that was mailed to her (issue 15, item 2)."""

from __future__ import annotations

import re

from django.core import mail
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD

ANNE = "anne.vanamersfoort@example.com"


def test_a_new_browser_gets_in_with_a_mailed_code_during_an_attack(
    page, live_server, settings, assert_accessible
):
    settings.LOGIN_FAILED_ACCOUNT_CEILING = "20/h/key"
    cache.clear()
    for address in range(21):  # guessers from 21 addresses reach the account-wide ceiling
        Client().post(
            "/accounts/login/",
            {"login": ANNE, "password": "guess"},
            REMOTE_ADDR=f"203.0.113.{address + 1}",
        )
    mail.outbox.clear()

    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(ANNE)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("vanaf andere apparaten")).to_be_visible()
    offer = page.get_by_test_id("login-code-offer")
    expect(offer).to_contain_text("Log je in op een nieuw apparaat?")
    assert_accessible(page)

    offer.get_by_role("button", name="Mail mij een inlogcode").click()
    expect(page.get_by_role("heading", name="Vul de inlogcode in")).to_be_visible()
    assert_accessible(page)
    [message] = [m for m in mail.outbox if m.to == [ANNE]]
    code = re.search(r"Je inlogcode: (\S+)", message.body).group(1)

    page.get_by_label("Inlogcode").fill("BCDF-GHJK-LM")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Deze code is niet juist, of niet meer geldig.")).to_be_visible()
    page.get_by_label("Inlogcode").fill(code)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/organisation/$"))
    expect(page.get_by_test_id("role")).to_have_text("Viewer")
    cache.clear()
