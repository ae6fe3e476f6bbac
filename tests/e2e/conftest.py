"""Browser journeys: Playwright for Python driving Chromium against a live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import sync_playwright

# Debian's Chromium unless PORTAL_CHROMIUM names another; without it, Playwright's own
# Chromium (`playwright install chromium`). scripts/ensure-browser provides one of the two.
CHROMIUM = os.environ.get("PORTAL_CHROMIUM") or "/usr/bin/chromium"
# Without the background-networking flag Chromium keeps dialling out on this closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - the documented demo-only password


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def chromium_executable(preferred: str, managed: str) -> str:
    """The Chromium to launch: ``preferred`` (Debian's) if present, else Playwright's own."""
    for candidate in (preferred, managed):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail(
        f"No Chromium at {preferred} nor Playwright's: install Debian's chromium or run "
        "`.venv/bin/playwright install chromium` (make test runs scripts/ensure-browser).",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        executable = chromium_executable(CHROMIUM, playwright.chromium.executable_path)
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def context_options(live_server, **overrides) -> dict:
    """Browser context settings of every journey.

    Reduced motion switches Bootstrap's transitions off, so axe-core never measures the
    contrast of a button halfway through its hover or fade animation.
    """
    return {
        "base_url": live_server.url,
        "locale": "nl-NL",
        "reduced_motion": "reduce",
        **overrides,
    }


@pytest.fixture
def page(browser, live_server, demo):
    context = browser.new_context(**context_options(live_server))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Runs axe-core on the current page: no serious or critical violation allowed."""

    def check(page):
        results = axe.run(page)
        bad = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
            + ", ".join(node["target"][0] for node in violation["nodes"][:3])
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        assert not bad, f"axe-core on {page.url}:\n" + "\n".join(bad)

    return check


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
