"""Every portal page on a phone (issue 17, section 3), and the e-mail column on a desktop.

At 390 × 844 px, in Dutch and in English, as a visitor, a Viewer and an Admin, each page of
``PAGES``:
- fits the screen: ``document.documentElement.scrollWidth`` ≤ the viewport, no element
  inside scrolls sideways (a ``.table-responsive`` would hide a too wide table from the
  first check) and every cell of a list's rows lies within the screen;
- passes axe-core (no serious or critical violation);
- is saved as a full-page screenshot, ``test-artifacts/narrow/<lang>-<who>-<page>.png``
  (git-ignored), for the issue's note.
Every problem of every page is reported at once, so one run names all that overflow.

The people are the demo's plus two with long names and addresses in *Rode Lente*: the
Viewer who logs in (the header, the user menu and the profile show her name and address)
and one who never activated (the Admin's rows show *Welkomstmail opnieuw sturen* for him).

A new page is one line in ``PAGES``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Membership, Organisation, User
from invoices.models import Invoice
from tests.e2e.conftest import DEMO_PASSWORD, context_options
from users.models import JobFunction
from users.services import membership_add

NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "narrow"
LOCALES = {"nl": "nl-NL", "en": "en-GB"}

ANONYMOUS, VIEWER, ADMIN = "anonymous", "viewer", "admin"
LOGGED_IN = frozenset({VIEWER, ADMIN})

ADMIN_EMAIL = "ruud.coon@example.com"
# Long enough that neither part fits a phone's line, nor the whole a desktop's e-mail column.
LONG_VIEWER = (
    "maximiliaan-alexander.aartsen-van-oldenbarnevelt@financiele-administratie.rodelente.example",
    "Maximiliaan-Alexander Theodorus",
    "Aartsen-van Oldenbarnevelt tot Rechteren",
)
LONG_NEWCOMER = (
    "jan-willem.aalderink-schimmelpenninck@salarisadministratie.rodelente-holding.example",
    "Jan-Willem",
    "Aalderink-Schimmelpenninck van der Oye",
)


@dataclass(frozen=True)
class PortalPage:
    """A page as a requester reaches it: ``url()`` (called once the demo is in place) and,
    where a GET is not enough, ``arrive(page)``, which brings the browser there."""

    name: str
    url: Callable[[], str]
    who: frozenset[str]
    arrive: Callable[[Page, str], None] | None = None


def at(name: str, query: str = "") -> Callable[[], str]:
    return lambda: reverse(name) + query


def of_newcomer(name: str) -> Callable[[], str]:
    """A page about the long-named person who never activated (edit, delete)."""

    def url() -> str:
        membership = Membership.objects.get(
            user__email=LONG_NEWCOMER[0], kind=Membership.Kind.ORGANISATION
        )
        return reverse(name, kwargs={"pk": membership.pk})

    return url


def invoice_page(kind: str, *, open_: bool) -> Callable[[], str]:
    """The page of one of *Rode Lente*'s invoices of ``kind``, open (with the payment
    instructions and the QR code) or not."""

    def url() -> str:
        invoices = Invoice.objects.filter(organisation__name="Rode Lente", kind=kind)
        invoices = invoices.exclude(ledger_open=0) if open_ else invoices.filter(ledger_open=0)
        number = invoices.order_by("-invoice_date", "number").values_list("number", flat=True)[0]
        return reverse("invoices:detail", kwargs={"number": number})

    return url


def open_menus(page: Page, url: str) -> None:
    """The header on a phone with the ☰ menu and the user menu open."""
    page.goto(url)
    page.locator(".navbar-toggler").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    page.locator("#user-menu-button").click()
    expect(page.locator(".user-menu .dropdown-menu")).to_be_visible()


def add_step_two(page: Page, url: str) -> None:
    """Step 2 of the add wizard, for a new address given in step 1."""
    page.goto(url)
    page.locator("input[name=email]").fill(
        "nieuwe.collega.van.de.afdeling-personeelszaken@rodelente-holding.example"
    )
    page.locator("input[name=email]").press("Enter")
    expect(page).to_have_url(re.compile(r"/add/details/(\?|$)"))


PAGES = [
    PortalPage("login", at("account_login"), frozenset({ANONYMOUS})),
    PortalPage("password-reset", at("account_reset_password"), frozenset({ANONYMOUS})),
    PortalPage("overview", at("portal:organisation_home"), LOGGED_IN),
    PortalPage("menus", at("portal:organisation_home"), LOGGED_IN, open_menus),
    PortalPage("invoices", at("invoices:list"), LOGGED_IN),
    PortalPage("invoices-nothing-found", at("invoices:list", "?q=zzz"), LOGGED_IN),
    PortalPage("invoice-open", invoice_page(Invoice.Kind.INVOICE, open_=True), LOGGED_IN),
    PortalPage("invoice-credit", invoice_page(Invoice.Kind.CREDIT, open_=False), LOGGED_IN),
    PortalPage("users", at("users:list"), LOGGED_IN),
    PortalPage("users-support", at("users:support_list"), LOGGED_IN),
    PortalPage("user-add", at("users:add"), frozenset({ADMIN})),
    PortalPage("user-add-details", at("users:add"), frozenset({ADMIN}), add_step_two),
    PortalPage("user-edit", of_newcomer("users:edit"), frozenset({ADMIN})),
    PortalPage("user-delete", of_newcomer("users:delete"), frozenset({ADMIN})),
    PortalPage("billing-address", at("billing_address:detail"), LOGGED_IN),
    PortalPage("billing-address-edit", at("billing_address:edit"), frozenset({ADMIN})),
    PortalPage("activity", at("audit:list"), frozenset({ADMIN})),
    PortalPage("profile", at("accounts:profile"), LOGGED_IN),
    PortalPage("password-change", at("account_change_password"), LOGGED_IN),
    PortalPage("two-factor", at("mfa_index"), LOGGED_IN),
    PortalPage("two-factor-activate", at("mfa_activate_totp"), LOGGED_IN),
    PortalPage("sessions", at("usersessions_list"), LOGGED_IN),
]

# What sticks out of the screen: the page wider than the viewport, an element scrolled
# sideways inside it, a list's cell (a row's key fact) outside the screen. Each named by its
# tag, id or classes and the start of its text, the deepest offenders first.
OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '')
    + ' "' + (el.innerText || '').trim().slice(0, 40) + '"';
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > width) {
    problems.push(`the page is ${doc.scrollWidth} px wide`);
    const wide = [...document.body.querySelectorAll('*')].filter((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.right > width + 0.5;
    });
    const deepest = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
    for (const el of deepest.slice(0, 5)) {
      problems.push(`  ${name(el)} reaches ${Math.round(el.getBoundingClientRect().right)} px`);
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth} px)`);
    }
  }
  for (const cell of document.querySelectorAll('tr[data-testid] > td')) {
    const box = cell.getBoundingClientRect();
    if (box.left < -0.5 || box.right > width + 0.5) {
      problems.push(`${name(cell)} lies outside the screen (${box.left}..${box.right} px)`);
    }
  }
  return problems;
}"""


def add_long_named_people(language: str) -> None:
    """The two long-named people of *Rode Lente*, added by its Admin (so *Activiteit*
    shows their long names and addresses too); the Viewer can log in."""
    admin = User.objects.get(email=ADMIN_EMAIL)
    organisation = Organisation.objects.get(name="Rode Lente")
    job_function = JobFunction.objects.order_by("order").first()
    for (email, first_name, last_name), role in (
        (LONG_VIEWER, Membership.Role.VIEWER),
        (LONG_NEWCOMER, Membership.Role.VIEWER),
    ):
        membership_add(
            by=admin,
            organisation=organisation,
            email=email,
            kind=Membership.Kind.ORGANISATION,
            first_name=first_name,
            last_name=last_name,
            job_function=job_function,
            job_title="Hoofd financiële administratie en salarisadministratie",
            role=role,
        )
    viewer = User.objects.get(email=LONG_VIEWER[0])
    viewer.set_password(DEMO_PASSWORD)
    viewer.save(update_fields=["password"])
    User.objects.filter(email__in=[ADMIN_EMAIL, LONG_VIEWER[0]]).update(language=language)


def log_in_anywhere(page: Page, email: str) -> None:
    """Logs in whatever the page's language (the fields by name, the form sent with Enter)."""
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def check_page(page: Page, portal_page: PortalPage, label: str, axe) -> list[str]:
    """The problems of one page at the phone's width; its screenshot saved."""
    url = portal_page.url()
    if portal_page.arrive:
        portal_page.arrive(page, url)
    else:
        response = page.goto(url)
        assert response is not None
        if response.status != 200:
            return [f"{label}: {url} answered {response.status}"]
    problems = [f"{label}: {problem}" for problem in page.evaluate(OVERFLOW_SCRIPT)]
    page.screenshot(path=SCREENSHOTS / f"{label}.png", full_page=True)
    # As conftest's assert_accessible: no serious or critical violation.
    for violation in axe.run(page).response["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = ", ".join(node["target"][0] for node in violation["nodes"][:3])
            problems.append(f"{label}: axe {violation['id']}: {violation['help']} -> {targets}")
    return problems


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("who", [ANONYMOUS, VIEWER, ADMIN])
def test_every_page_fits_a_phone(browser, live_server, demo, axe, language, who):
    add_long_named_people(language)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        **context_options(live_server, viewport=NARROW, locale=LOCALES[language])
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        if who != ANONYMOUS:
            log_in_anywhere(page, ADMIN_EMAIL if who == ADMIN else LONG_VIEWER[0])
        pages = [portal_page for portal_page in PAGES if who in portal_page.who]
        problems = []
        for portal_page in pages:
            label = f"{language}-{who}-{portal_page.name}"
            problems += check_page(page, portal_page, label, axe)
            expect(page.locator("html")).to_have_attribute("lang", language)
    finally:
        context.close()
    assert not problems, f"At {NARROW['width']} px:\n" + "\n".join(problems)


def test_the_lists_are_cards_on_a_phone_with_every_key_fact(browser, live_server, demo):
    """*Facturen*, *Gebruikers* and *Activiteit* at 390 px: each row a card whose cells
    show their column's name beside the value, the sort links above the cards."""
    add_long_named_people("nl")
    context = browser.new_context(**context_options(live_server, viewport=NARROW))
    page = context.new_page()
    try:
        log_in_anywhere(page, ADMIN_EMAIL)
        page.goto(reverse("invoices:list"))
        card = page.get_by_test_id("invoice-row").first
        expect(card).to_have_css("display", "block")
        for label in ("Nummer", "Factuurdatum", "Bedrag incl. btw", "Status", "Bestand"):
            cell = card.locator(f'td[data-label="{label}"]')
            expect(cell).to_be_visible()
            assert cell_label(cell) == label
        expect_on_screen(card.get_by_role("link", name=re.compile("PDF")))
        expect_on_screen(page.get_by_role("link", name=re.compile("Factuurdatum")))
        header = page.get_by_role("columnheader", name="Nummer").bounding_box()
        assert header is not None and header["width"] <= 1  # for screen readers only

        page.goto(reverse("users:list"))
        card = page.get_by_test_id("user-row").filter(has_text=LONG_VIEWER[0])
        for label in ("Achternaam", "E-mail", "Rol", "Acties"):
            assert cell_label(card.locator(f'td[data-label="{label}"]')) == label
        expect_on_screen(card.get_by_role("link", name=re.compile("Bewerk")))
        expect(card.locator('td[data-label="E-mail"]')).to_have_text(LONG_VIEWER[0])

        page.goto(reverse("audit:list"))
        card = page.get_by_test_id("event-row").first
        for label in ("Wanneer", "Wie", "Wat"):
            assert cell_label(card.locator(f'td[data-label="{label}"]')) == label
        expect(card.get_by_test_id("event-sentence")).to_contain_text(LONG_NEWCOMER[0])
    finally:
        context.close()


def expect_on_screen(locator) -> None:
    """Scrolled to, ``locator`` lies wholly on the screen (not clipped nor beside it)."""
    locator.scroll_into_view_if_needed()
    expect(locator).to_be_in_viewport(ratio=1)


def cell_label(cell) -> str:
    """The column name a card's cell shows before its value (its ``::before``, laid out as
    the grid's first column); "" when the cell is not a card's line."""
    return cell.evaluate(
        """(td) => {
          if (getComputedStyle(td).display !== 'grid') return '';
          const match = getComputedStyle(td, '::before').content.match(/^"([^"]*)"/);
          return match ? match[1] : '';
        }"""
    )


def test_email_addresses_break_only_at_the_at_sign_on_a_desktop(browser, live_server, demo):
    """At 1280 px the tables are tables, and a long address breaks at its @ or not at all:
    each part stays on one line, and the cell's text is the address as one string."""
    add_long_named_people("nl")
    context = browser.new_context(**context_options(live_server, viewport=WIDE))
    page = context.new_page()
    try:
        log_in_anywhere(page, ADMIN_EMAIL)
        page.goto(reverse("users:list"))
        row = page.get_by_test_id("user-row").filter(has_text=LONG_VIEWER[0])
        expect(row).to_have_css("display", "table-row")
        expect(page.get_by_role("columnheader", name="E-mail")).to_be_visible()
        cell = row.locator('td[data-label="E-mail"]')
        expect(cell).to_have_text(LONG_VIEWER[0])
        assert lines_of_parts(cell) == [1, 1]
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]

        page.goto(of_newcomer("users:delete")())
        address = page.locator(".email-address")
        expect(address).to_have_text(LONG_NEWCOMER[0])
        assert lines_of_parts(address) == [1, 1]
    finally:
        context.close()


def lines_of_parts(element) -> list[int]:
    """On how many lines each part of the address in ``element`` lies (its line boxes)."""
    return element.evaluate(
        "(el) => [...el.querySelectorAll('.email-part')].map("
        "(part) => new Set([...part.getClientRects()].map((r) => Math.round(r.top))).size)"
    )
