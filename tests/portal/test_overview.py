"""The overview of *Mijn organisatie* (issue 17, section 1): the state of the account from the
stored ledger, the latest invoices, the billing address, the people, and for Admins the latest
activity; friendly empty states; a fixed number of SQL statements."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import Membership, User
from accounts.selectors import organisation_people_count
from audit.models import AuditEvent
from audit.rows import event_rows
from audit.selectors import audit_event_list
from audit.services import audit_record
from billing_address.selectors import billing_address_get
from invoices.models import Invoice
from invoices.selectors import invoice_account_figures, invoice_list
from portal.overview import _read
from tests.accounts.factories import MembershipFactory, SupportMembershipFactory
from tests.conftest import logged_in
from tests.invoices.factories import (
    BillingAddressFactory,
    CreditInvoiceFactory,
    InvoiceFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("portal:organisation_home")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A Monday afternoon: a payment booked on the Friday before counts since 10:30 today.
NOW = dt.datetime(2026, 11, 16, 14, 5, tzinfo=AMSTERDAM)


def text_of(content: str, testid: str) -> str:
    """The text of the element with ``data-testid=testid``, white space collapsed."""
    match = re.search(
        rf'data-testid="{testid}"[^>]*>(.*?)</(p|span|a|dd|div|address)>', content, re.S
    )
    assert match, f"no element {testid!r}"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def rows(content: str, testid: str) -> list[str]:
    """The texts of every ``<li data-testid=testid>``, white space collapsed."""
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(rf'<li[^>]*data-testid="{testid}"[^>]*>(.*?)</li>', content, re.S)
    ]


def invoice(organisation, number, invoice_date, due_date, excl, **extra) -> Invoice:
    return InvoiceFactory(
        organisation=organisation,
        number=number,
        invoice_date=invoice_date,
        due_date=due_date,
        amount_excl_vat=Decimal(excl),
        **extra,
    )


@pytest.fixture
def account(organisation, time_machine):
    """Rode Lente's account on Monday 16 November 2026, 14:05:

    - F-A 121,00 due 1 October and F-B 242,00 (42,00 paid) due 15 October: overdue, 321,00;
    - F-C 363,00 and F-D 121,00 due 1 December: next due, 484,00 on two invoices;
    - F-E 121,00 due 10 December, less its credit C-G of 24,20: 96,80 open;
    - F-F paid in full; the balance 121 + 200 + 363 + 121 + 96,80 = 901,80.
    """
    time_machine.move_to(NOW, tick=False)
    a = invoice(organisation, "F-A", dt.date(2026, 9, 1), dt.date(2026, 10, 1), "100")
    b = invoice(organisation, "F-B", dt.date(2026, 9, 15), dt.date(2026, 10, 15), "200")
    invoice(organisation, "F-C", dt.date(2026, 11, 1), dt.date(2026, 12, 1), "300")
    invoice(organisation, "F-D", dt.date(2026, 11, 2), dt.date(2026, 12, 1), "100")
    e = invoice(organisation, "F-E", dt.date(2026, 11, 10), dt.date(2026, 12, 10), "100")
    f = invoice(organisation, "F-F", dt.date(2026, 8, 1), dt.date(2026, 8, 31), "100")
    CreditInvoiceFactory(
        organisation=organisation,
        corrects=e,
        number="C-G",
        invoice_date=dt.date(2026, 11, 12),
        due_date=dt.date(2026, 12, 12),
        amount_excl_vat=Decimal("20.00"),
    )
    PaymentFactory(invoice=b, amount=Decimal("42.00"), booking_date=dt.date(2026, 10, 20))
    # Booked on Friday 13 November: counts from Monday 10:30, so "processed up to" is today.
    PaymentFactory(invoice=f, amount=Decimal("121.00"), booking_date=dt.date(2026, 11, 13))
    return {"a": a, "b": b, "e": e, "f": f}


def test_the_overview_tells_the_state_of_the_account(viewer_client, account):
    content = viewer_client.get(OVERVIEW).content.decode()
    assert text_of(content, "overview-balance") == "€ 901,80"
    assert text_of(content, "overview-overdue") == "€ 321,00"
    assert text_of(content, "overview-overdue-count") == "2 facturen vervallen"
    assert f'href="{reverse("invoices:list")}?status=overdue"' in content
    assert text_of(content, "overview-next-due") == "1 december 2026"
    assert '<time datetime="2026-12-01">' in content
    assert text_of(content, "overview-next-due-amount") == "€ 484,00 · 2 facturen"
    assert text_of(content, "overview-processed") == "16 november 2026 10:30"


def test_the_figures_are_those_of_facturen(viewer_client, account):
    """The balance and the processed-up-to moment are the ones *Facturen* shows; the overdue
    count is the number of invoices *Facturen* lists as *Vervallen*."""
    overview = viewer_client.get(OVERVIEW).context["overview"].figures
    facturen = viewer_client.get(reverse("invoices:list")).context["summary"]
    assert overview.open_balance == facturen.open_balance == Decimal("901.80")
    assert overview.payments_processed_until == facturen.payments_processed_until
    overdue = viewer_client.get(reverse("invoices:list"), {"status": "overdue"})
    assert overdue.context["page"].paginator.count == overview.overdue_count == 2


def test_the_five_latest_invoices_with_their_status_link_to_them(viewer_client, account):
    content = viewer_client.get(OVERVIEW).content.decode()
    assert rows(content, "overview-invoice") == [
        "C-G Verrekend € -24,20 Creditfactuur · 12-11-2026",
        "F-E Open € 121,00 Factuur · 10-11-2026 · nog open € 96,80",
        "F-D Open € 121,00 Factuur · 2-11-2026 · nog open € 121,00",
        "F-C Open € 363,00 Factuur · 1-11-2026 · nog open € 363,00",
        "F-B Vervallen € 242,00 Factuur · 15-9-2026 · nog open € 200,00",
    ]
    # Each number leads to the invoice's page.
    detail = reverse("invoices:detail", kwargs={"number": "F-E"})
    assert f'<a class="fw-semibold" href="{detail}">F-E</a>' in content
    assert "Factuur F-E" in viewer_client.get(detail).content.decode()


def test_a_payment_that_came_due_counts_on_the_overview(viewer_client, organisation, time_machine):
    """Booked on Friday, seen Monday at 09:00 it does not count yet; at 10:30 it does, and the
    overview publishes it into the ledger itself (R10), as *Facturen* does."""
    time_machine.move_to(dt.datetime(2026, 11, 16, 9, 0, tzinfo=AMSTERDAM), tick=False)
    due = invoice(organisation, "F-1", dt.date(2026, 10, 1), dt.date(2026, 10, 31), "100")
    PaymentFactory(invoice=due, amount=Decimal("121.00"), booking_date=dt.date(2026, 11, 13))
    content = viewer_client.get(OVERVIEW).content.decode()
    assert text_of(content, "overview-balance") == "€ 121,00"
    assert text_of(content, "overview-overdue-count") == "1 factuur vervallen"
    time_machine.move_to(dt.datetime(2026, 11, 16, 10, 30, tzinfo=AMSTERDAM), tick=False)
    content = viewer_client.get(OVERVIEW).content.decode()
    assert text_of(content, "overview-balance") == "€ 0,00"
    assert text_of(content, "overview-overdue-count") == "Er is niets vervallen."
    due.refresh_from_db()
    assert due.ledger_open == Decimal("0.00")
    assert due.ledger_due_at is None


def test_an_organisation_without_anything_yet_gets_friendly_empty_states(organisation):
    # A new organisation: no invoices, no address, no activity; its only Admin just arrived.
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    content = logged_in(admin).get(OVERVIEW).content.decode()
    assert text_of(content, "overview-balance") == "€ 0,00"
    assert text_of(content, "overview-overdue") == "€ 0,00"
    assert text_of(content, "overview-overdue-count") == "Er is niets vervallen."
    assert text_of(content, "overview-next-due-amount") == "Geen komende vervaldatum."
    assert text_of(content, "overview-processed") == "–"
    assert text_of(content, "overview-invoices-empty") == (
        "Nog geen facturen. Zodra deze organisatie een factuur krijgt, staat die hier, met de "
        "status."
    )
    assert text_of(content, "overview-address-empty") == (
        "Voor deze organisatie is nog geen factuuradres vastgelegd."
    )
    assert text_of(content, "overview-activity-empty") == (
        "Nog geen activiteit. Wijzigingen van het factuuradres en van wie toegang heeft, staan "
        "hier."
    )
    assert text_of(content, "overview-people-roles") == "1 Admin, 0 Viewers"


def test_the_overview_speaks_english(viewer, account):
    viewer.language = "en"
    viewer.save()
    client = logged_in(viewer)
    client.cookies["django_language"] = "en"
    content = client.get(OVERVIEW).content.decode()
    assert text_of(content, "overview-balance") == "€ 901.80"
    assert text_of(content, "overview-overdue-count") == "2 invoices overdue"
    assert text_of(content, "overview-next-due") == "1 December 2026"
    assert text_of(content, "overview-next-due-amount") == "€ 484.00 · 2 invoices"
    assert rows(content, "overview-invoice")[4] == (
        "F-B Overdue € 242.00 Invoice · 15/09/2026 · still open € 200.00"
    )


def test_the_billing_address_shows_with_edit_for_admins_only(viewer_client, admin, organisation):
    BillingAddressFactory(organisation=organisation, street="Herengracht 500", postcode="1017 AB")
    viewer_page = viewer_client.get(OVERVIEW).content.decode()
    admin_page = logged_in(admin).get(OVERVIEW).content.decode()
    for content in (viewer_page, admin_page):
        address = text_of(content, "overview-address")
        assert "Herengracht 500" in address
        assert "1017 AB Amsterdam" in address
    edit = f'href="{reverse("billing_address:edit")}"'
    assert edit not in viewer_page
    assert 'data-testid="overview-address-edit"' not in viewer_page
    assert edit in admin_page
    assert text_of(admin_page, "overview-address-edit") == "Bewerk factuuradres"


def test_the_people_are_counted_by_role_with_gebruikers_for_admins(
    viewer_client, admin, organisation, other_organisation
):
    MembershipFactory(organisation=organisation, role=Membership.Role.VIEWER)
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    # Not counted: support access only, a contact blocked by staff, another organisation's.
    SupportMembershipFactory(organisation=organisation)
    blocked = MembershipFactory(organisation=organisation, role=Membership.Role.VIEWER).user
    User.objects.filter(pk=blocked.pk).update(
        is_active=False, inactive_reason=User.InactiveReason.BLOCKED
    )
    MembershipFactory(organisation=other_organisation, role=Membership.Role.VIEWER)
    viewer_page = viewer_client.get(OVERVIEW).content.decode()
    admin_page = logged_in(admin).get(OVERVIEW).content.decode()
    for content in (viewer_page, admin_page):
        assert text_of(content, "overview-people") == "4"
        assert text_of(content, "overview-people-roles") == "2 Admins, 2 Viewers"
    assert 'data-testid="overview-users-link"' not in viewer_page
    assert f'href="{reverse("users:list")}" data-testid="overview-users-link">Gebruikers<' in (
        admin_page
    )


def _event(organisation, actor, n: int) -> AuditEvent:
    event = audit_record(
        action=AuditEvent.Action.BILLING_ADDRESS_CHANGED,
        actor=actor,
        organisation=organisation,
        target=organisation,
        target_label="Rode Lente B.V., Amsterdam",
        before={"city": f"Stad {n}"},
        after={"city": f"Stad {n + 1}"},
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=NOW - dt.timedelta(hours=10 - n))
    return event


def test_admins_read_the_five_latest_activity_sentences(
    viewer_client, admin, organisation, other_organisation, time_machine
):
    time_machine.move_to(NOW, tick=False)
    for n in range(7):
        _event(organisation, admin, n)
    _event(other_organisation, admin, 9)  # newest of all, but another organisation's
    content = logged_in(admin).get(OVERVIEW).content.decode()
    assert rows(content, "overview-event") == [
        f"16-11-2026 {4 + n:02d}:05 Ruud Coon wijzigde het factuuradres: plaats Stad {n} → "
        f"Stad {n + 1}"
        for n in (6, 5, 4, 3, 2)
    ]
    assert f'href="{reverse("audit:list")}">Alle activiteit<' in content
    viewer_page = viewer_client.get(OVERVIEW).content.decode()
    assert "Laatste activiteit" not in viewer_page
    assert 'data-testid="overview-event"' not in viewer_page
    assert "Stad" not in viewer_page


def test_another_organisations_account_never_shows(viewer_client, account, other_organisation):
    invoice(other_organisation, "X-1", dt.date(2026, 11, 14), dt.date(2026, 11, 15), "5000")
    BillingAddressFactory(organisation=other_organisation, street="Geheimstraat 1")
    content = viewer_client.get(OVERVIEW).content.decode()
    assert "X-1" not in content
    assert "Geheimstraat" not in content
    assert text_of(content, "overview-balance") == "€ 901,80"
    assert text_of(content, "overview-overdue") == "€ 321,00"


def test_the_switch_hint_points_at_the_menu_on_a_narrow_screen(admin_client_portal, viewer_client):
    content = admin_client_portal.get(OVERVIEW).content.decode()
    hint = re.search(r'data-testid="switch-hint">(.*?)</p>', content, re.S).group(1)
    # Wide: the user menu at the top right; narrow (below md, where the ☰ menu holds it): the
    # menu first.
    assert (
        '<span class="d-none d-md-inline">Je hebt toegang tot meerdere organisaties. Kies een '
        "andere via het gebruikersmenu rechtsboven.</span>"
    ) in hint
    assert (
        '<span class="d-md-none">Je hebt toegang tot meerdere organisaties. Kies een andere door '
        "rechtsboven het menu (☰) te openen en dan het gebruikersmenu.</span>"
    ) in hint
    # One organisation: nothing to switch to, no hint.
    assert 'data-testid="switch-hint"' not in viewer_client.get(OVERVIEW).content.decode()


def _grow(organisation, admin, size: int) -> None:
    """``size`` invoices (paid, open and overdue, credits), events and people more."""
    for n in range(size):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n % 600)
        made = invoice(organisation, f"Q{n:05d}", day, day + dt.timedelta(days=30), "100")
        if n % 3 == 0:
            PaymentFactory(invoice=made, amount=Decimal("121.00"), booking_date=day)
        if n % 10 == 0:
            CreditInvoiceFactory(organisation=organisation, corrects=made, number=f"QC{n:05d}")
        _event(organisation, admin, n % 9)
        MembershipFactory(
            organisation=organisation, role=Membership.Role.ADMIN if n % 7 == 0 else "viewer"
        )
    BillingAddressFactory(organisation=organisation)


@pytest.mark.parametrize("size", [5, 100])
@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_the_overview_runs_a_fixed_number_of_queries(
    organisation, django_assert_num_queries, time_machine, size, role
):
    time_machine.move_to(NOW, tick=False)
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    viewer = MembershipFactory(organisation=organisation, role=Membership.Role.VIEWER).user
    _grow(organisation, admin, size)
    client = logged_in(admin if role == "admin" else viewer)
    client.get(OVERVIEW)  # the first request stores the active organisation in the session
    # session, the user with its memberships, the overview's one statement (the ledger's
    # figures, the people by role, the billing address, the five latest invoices and, for an
    # Admin, the five latest events)
    with django_assert_num_queries(3):
        response = client.get(OVERVIEW)
    assert response.status_code == HTTPStatus.OK
    overview = response.context["overview"]
    assert len(overview.invoices) == 5
    assert len(overview.events) == (5 if role == "admin" else 0)
    assert overview.people.total == size + 2
    assert overview.figures.overdue_count > 0


@pytest.mark.parametrize("empty", [False, True])
def test_the_one_statement_reads_what_each_app_reads_alone(
    admin, organisation, second_organisation, account, empty
):
    """The overview's statement is composed of the apps' parts; read alone, each app gives the
    same: the figures, the people, the address, the latest invoices in the list's order and
    the latest events in the log's order."""
    if not empty:
        BillingAddressFactory(organisation=organisation)
        for n in range(7):
            _event(organisation, admin, n)
    target = second_organisation if empty else organisation
    read = _read(organisation=target, now=NOW, events=5)
    assert read.figures == invoice_account_figures(organisation=target, now=NOW)
    assert read.people == organisation_people_count(organisation=target)
    address = billing_address_get(organisation=target)
    assert (read.address and read.address.values()) == (address and address.values())
    listed = list(invoice_list(organisation=target, now=NOW, annotated=False)[:5])
    assert [
        (i.number, i.invoice_date, i.due_date, i.ledger_signed, i.ledger_open, i.ledger_state)
        for i in read.invoices
    ] == [
        (i.number, i.invoice_date, i.due_date, i.ledger_signed, i.ledger_open, i.ledger_state)
        for i in listed
    ]
    logged = list(audit_event_list(organisation=target)[:5])
    assert event_rows(read.events) == event_rows(logged)
    assert [(e.pk, e.before, e.after) for e in read.events] == [
        (e.pk, e.before, e.after) for e in logged
    ]
    assert (len(read.invoices), len(read.events)) == ((0, 0) if empty else (5, 5))
    # Without the right to read them (a Viewer), no event is read at all.
    assert _read(organisation=target, now=NOW, events=0).events == []
