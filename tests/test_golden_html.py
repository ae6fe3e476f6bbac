"""Golden pages (issue 16): the HTML of the pages the move of markup into templates touches,
recorded before the move and compared after it.

*Facturen*, *Gebruikers* (both tabs), *Activiteit*, the overview, an invoice's page and the
header with its user menu, in Dutch and English, as Admin and as Viewer: empty, first, middle
and last pages, sorted and filtered, with hostile names (``<script>``, quotes, ``&``,
right-to-left text). Each page's ``<body>`` is compared with ``tests/golden/<name>.html`` after
normalising: one tag or text a line, indented by depth, attributes sorted, white space
collapsed, the CSRF token replaced. An intended change of markup rewrites the golden files in
the same commit, with its reason in the commit message::

    GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/test_golden_html.py

Everything the pages show is fixed here: the clock, the primary keys in URLs, every name,
number, date and amount, so the files are the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import Customer, Membership, Organisation, User
from audit.models import AuditEvent
from audit.services import audit_record
from tests.accounts.factories import PASSWORD
from tests.invoices.factories import (
    BillingAddressFactory,
    CreditInvoiceFactory,
    InvoiceFactory,
    PaymentFactory,
)
from tests.users.factories import JobFunctionFactory

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 16, 14, 5, tzinfo=AMSTERDAM)
# Primary keys far above what the rest of the suite's sequences reach, so URLs are fixed.
BASE = 7_000_000

HOSTILE_FIRST = '<script>alert("x")</script>'
HOSTILE_LAST = 'O\'Brien & "Zonen"'
RTL_FIRST = "\u202eevil\u202c مريم"
RTL_LAST = "Ab\u200fdallah"


# --- normalising ------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Normaliser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.depth = 0
        self.in_body = False

    def _attributes(self, attrs) -> str:
        out = []
        for name, value in sorted(attrs, key=lambda pair: pair[0]):
            if value is None:
                out.append(name)
                continue
            if name == "class":
                value = " ".join(value.split())
            if name == "value" and ("name", "csrfmiddlewaretoken") in attrs:
                value = "CSRF"
            out.append(f'{name}="{html.escape(value, quote=True)}"')
        return (" " + " ".join(out)) if out else ""

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if not self.in_body:
            return
        self.lines.append("  " * self.depth + f"<{tag}{self._attributes(attrs)}>")
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.in_body:
            self.lines.append("  " * self.depth + f"<{tag}{self._attributes(attrs)}>")

    def handle_endtag(self, tag):
        if not self.in_body or tag in VOID:
            return
        self.depth = max(0, self.depth - 1)
        self.lines.append("  " * self.depth + f"</{tag}>")
        if tag == "body":
            self.in_body = False

    def handle_data(self, data):
        text = " ".join(data.split())
        if self.in_body and text:
            self.lines.append("  " * self.depth + html.escape(text, quote=False))


def normalised(content: str) -> str:
    parser = _Normaliser()
    parser.feed(content)
    parser.close()
    return "\n".join(parser.lines) + "\n"


# --- the world the pages show -----------------------------------------------------------------


def _user(pk, email, first, last, *, language="nl", customer, activated=True, **extra) -> User:
    user = User(
        pk=BASE + pk,
        email=email,
        first_name=first,
        last_name=last,
        customer=customer,
        language=language,
        **extra,
    )
    if activated:
        user.set_password(PASSWORD)
    else:
        user.set_unusable_password()
    user.save()
    return user


def _access(pk, user, organisation, kind=Membership.Kind.ORGANISATION, role="viewer", **extra):
    return Membership.objects.create(
        pk=BASE + pk,
        user=user,
        organisation=organisation,
        kind=kind,
        role=role if kind == Membership.Kind.ORGANISATION else None,
        **extra,
    )


@pytest.fixture
def world(time_machine):
    time_machine.move_to(NOW, tick=False)
    cache.clear()
    customer = Customer.objects.create(
        pk=BASE + 1, name="Rode Lente", csm_email="csm@vendor.example"
    )
    rode_lente = Organisation.objects.create(
        pk=BASE + 11, customer=customer, name="Rode Lente", debtor_number="200001"
    )
    services = Organisation.objects.create(
        pk=BASE + 12,
        customer=customer,
        name=f"{HOSTILE_FIRST} & 'Services' \u202eRTL",
        debtor_number="200002",
    )
    empty = Organisation.objects.create(
        pk=BASE + 13, customer=customer, name="Lege Organisatie B.V.", debtor_number="200003"
    )
    BillingAddressFactory(organisation=rode_lente, organisation_name="Rode Lente B.V.")
    functions = [
        JobFunctionFactory(name_nl="Controller", name_en="Controller", order=1),
        JobFunctionFactory(name_nl="HR-medewerker", name_en="HR officer", order=2),
        JobFunctionFactory(name_nl=HOSTILE_LAST, name_en=HOSTILE_FIRST, order=3),
    ]

    ruud = _user(101, "ruud@rodelente.example", "Ruud", "Coon", customer=customer)
    ruud_en = _user(102, "ruth@rodelente.example", "Ruth", "Cole", customer=customer,
                    language="en")  # fmt: skip
    anne = _user(103, "anne@rodelente.example", "Anne", "van Amersfoort", customer=customer)
    anne_en = _user(104, "ann@rodelente.example", "Ann", "Amesbury", customer=customer,
                    language="en")  # fmt: skip
    for admin in (ruud, ruud_en):
        _access(201 + admin.pk - BASE, admin, rode_lente, role="admin")
        _access(301 + admin.pk - BASE, admin, services, role="admin")
        _access(401 + admin.pk - BASE, admin, empty, role="admin")
    for viewer in (anne, anne_en):
        _access(201 + viewer.pk - BASE, viewer, rode_lente)
    staff = _user(105, "staff@vendor.example", "Sam", "Staff", customer=None, is_staff=True,
                  is_superuser=True)  # fmt: skip

    # Gebruikers: 60 people more (three pages), hostile names among them, some never
    # activated (the welcome mail can be sent again), some security contacts.
    people = [
        ("<script>", HOSTILE_FIRST, "Aaa-script"),
        ("obrien", "Ciarán", HOSTILE_LAST),
        ("rtl", RTL_FIRST, RTL_LAST),
    ] + [(f"persoon{n:02d}", f"Voornaam{n:02d}", f"Achternaam {n:02d}") for n in range(57)]
    for n, (local, first, last) in enumerate(people):
        email = f"{''.join(c for c in local if c.isalnum()) or 'x'}{n}@rodelente.example"
        person = _user(
            1000 + n,
            email,
            first,
            last,
            customer=customer,
            activated=n % 7 != 3,
            job_function=functions[n % 3],
            job_title=HOSTILE_FIRST if n == 0 else f"Titel {n}",
            phone="+31201234567" if n % 4 == 0 else "",
            mobile="+31612345678" if n % 5 == 0 else "",
        )
        _access(2000 + n, person, rode_lente, role="admin" if n % 9 == 0 else "viewer",
                security_contact=n % 6 == 0)  # fmt: skip
        if n < 4:
            _access(3000 + n, person, rode_lente, kind=Membership.Kind.SUPPORT)

    # Facturen: 60 invoices over two years: paid, partly paid, open, overdue, credits,
    # corrections.
    invoices = []
    for n in range(60):
        date = dt.date(2025, 1, 6) + dt.timedelta(days=11 * n)
        invoices.append(
            InvoiceFactory(
                organisation=rode_lente,
                number=f"F{date.year}-{n:05d}",
                invoice_date=date,
                due_date=date + dt.timedelta(days=30),
                # Whole hundreds: the VAT is whole too, so SQLite's REAL adds them up exactly.
                amount_excl_vat=Decimal(100 * (1 + n % 17)),
                billing_organisation_name="Rode Lente B.V.",
            )
        )
    for n, invoice in enumerate(invoices[:40]):
        if n % 3 == 0:
            continue  # open (and overdue when its due date passed)
        amount = invoice.amount_incl_vat if n % 3 == 1 else Decimal("50.00")
        PaymentFactory(
            invoice=invoice,
            amount=amount,
            bank_reference=f"GOLDEN{n:04d}",
            booking_date=invoice.invoice_date + dt.timedelta(days=20),
        )
    for n, corrected in enumerate(invoices[41:47]):
        CreditInvoiceFactory(
            organisation=rode_lente,
            corrects=corrected,
            number=f"C2026-{n:05d}",
            invoice_date=dt.date(2026, 10, 1) + dt.timedelta(days=n),
            due_date=dt.date(2026, 10, 31),
            amount_excl_vat=Decimal("200.00"),
            billing_organisation_name="Rode Lente B.V.",
        )

    # Activiteit: 130 events (three pages), by two Admins, about hostile names too.
    targets = list(User.objects.filter(pk__gte=BASE + 1000).order_by("pk")[:5])
    for n in range(130):
        actor = ruud if n % 2 else ruud_en
        target = targets[n % 5]
        kind = n % 4
        if kind == 0:
            event = audit_record(
                action=AuditEvent.Action.BILLING_ADDRESS_CHANGED,
                actor=actor,
                organisation=rode_lente,
                target=rode_lente,
                target_label="Rode Lente B.V., Amsterdam",
                before={"city": f"Stad {n}", "postcode": "1234 AB"},
                after={"city": HOSTILE_LAST, "postcode": "1017 AB"},
            )
        elif kind == 1:
            event = audit_record(
                action=AuditEvent.Action.ACCESS_GRANTED,
                actor=actor,
                organisation=rode_lente,
                target=target,
                after={"kind": "organisation", "role": "viewer", "security_contact": n % 3 == 0},
            )
        elif kind == 2:
            event = audit_record(
                action=AuditEvent.Action.ACCESS_REMOVED,
                actor=actor,
                organisation=rode_lente,
                target=target,
                before={"kind": "organisation", "role": "admin", "email": target.email},
                after={"reason": f"{HOSTILE_FIRST} vertrokken", "deactivated": n % 5 == 0},
            )
        else:
            event = audit_record(
                action=AuditEvent.Action.CONTACT_CHANGED,
                actor=actor,
                organisation=rode_lente,
                target=target,
                before={"last_name": "Oud", "phone": ""},
                after={"last_name": RTL_LAST, "phone": "+31201234567"},
            )
        AuditEvent.objects.filter(pk=event.pk).update(
            created_at=NOW - dt.timedelta(hours=7 * (130 - n))
        )

    return {
        "admin": {"nl": ruud, "en": ruud_en},
        "viewer": {"nl": anne, "en": anne_en},
        "staff": staff,
        "organisations": {"rode_lente": rode_lente, "services": services, "empty": empty},
    }


def _client(user, organisation=None) -> Client:
    client = Client()
    client.force_login(user)
    if organisation is not None:
        response = client.post(
            reverse("portal:switch_organisation"),
            {"organisation": organisation.pk, "next": "/organisation/"},
        )
        assert response.status_code == 302
    return client


# --- the pages --------------------------------------------------------------------------------

INVOICES = reverse("invoices:list")
USERS = reverse("users:list")
SUPPORT = reverse("users:support_list")
ACTIVITY = reverse("audit:list")
OVERVIEW = reverse("portal:organisation_home")

# name -> (who, language, organisation, url, query)
PAGES = {
    **{
        f"invoices-{who}-{language}": (who, language, "rode_lente", INVOICES, {})
        for who in ("admin", "viewer")
        for language in ("nl", "en")
    },
    "invoices-admin-nl-page-2": ("admin", "nl", "rode_lente", INVOICES, {"page": "2"}),
    "invoices-admin-nl-last-page": ("admin", "nl", "rode_lente", INVOICES, {"page": "3"}),
    "invoices-admin-nl-by-amount": ("admin", "nl", "rode_lente", INVOICES, {"sort": "-amount"}),
    "invoices-viewer-en-by-date-page-2": (
        "viewer",
        "en",
        "rode_lente",
        INVOICES,
        {"sort": "date", "page": "2"},
    ),  # fmt: skip
    "invoices-admin-nl-overdue": ("admin", "nl", "rode_lente", INVOICES, {"status": "overdue"}),
    "invoices-admin-en-credits-2026": (
        "admin",
        "en",
        "rode_lente",
        INVOICES,
        {"kind": "credit", "year": "2026"},
    ),  # fmt: skip
    "invoices-viewer-nl-search": ("viewer", "nl", "rode_lente", INVOICES, {"q": "F2025-0001"}),
    "invoices-viewer-nl-nothing-found": ("viewer", "nl", "rode_lente", INVOICES, {"q": "X999"}),
    "invoices-admin-nl-empty": ("admin", "nl", "empty", INVOICES, {}),
    "invoices-admin-en-empty": ("admin", "en", "empty", INVOICES, {}),
    **{
        f"users-{who}-{language}": (who, language, "rode_lente", USERS, {})
        for who in ("admin", "viewer")
        for language in ("nl", "en")
    },
    "users-admin-nl-page-2": ("admin", "nl", "rode_lente", USERS, {"page": "2"}),
    "users-admin-nl-last-page": ("admin", "nl", "rode_lente", USERS, {"page": "3"}),
    "users-viewer-en-search": ("viewer", "en", "rode_lente", USERS, {"q": "brien"}),
    "users-admin-nl-nothing-found": ("admin", "nl", "rode_lente", USERS, {"q": "niemand"}),
    "users-support-admin-nl": ("admin", "nl", "rode_lente", SUPPORT, {}),
    "users-support-viewer-en": ("viewer", "en", "rode_lente", SUPPORT, {}),
    "users-support-admin-en-empty": ("admin", "en", "empty", SUPPORT, {}),
    "users-admin-nl-hostile-organisation": ("admin", "nl", "services", USERS, {}),
    **{
        f"activity-admin-{language}": ("admin", language, "rode_lente", ACTIVITY, {})
        for language in ("nl", "en")
    },
    "activity-admin-nl-page-2": ("admin", "nl", "rode_lente", ACTIVITY, {"page": "2"}),
    "activity-admin-en-last-page": ("admin", "en", "rode_lente", ACTIVITY, {"page": "3"}),
    "activity-admin-nl-removals": (
        "admin",
        "nl",
        "rode_lente",
        ACTIVITY,
        {"action": "access.removed"},
    ),  # fmt: skip
    "activity-admin-nl-search": ("admin", "nl", "rode_lente", ACTIVITY, {"q": "brien"}),
    "activity-admin-nl-empty": ("admin", "nl", "empty", ACTIVITY, {}),
    **{
        f"overview-{who}-{language}": (who, language, "rode_lente", OVERVIEW, {})
        for who in ("admin", "viewer")
        for language in ("nl", "en")
    },
    "overview-admin-nl-hostile-organisation": ("admin", "nl", "services", OVERVIEW, {}),
    "overview-admin-en-empty": ("admin", "en", "empty", OVERVIEW, {}),
    "profile-staff-nl": ("staff", "nl", None, reverse("accounts:profile"), {}),
    # An invoice's page (issue 17): overdue with a credit set off and payment instructions;
    # paid in full, in English.
    "invoice-admin-nl-open-with-credit": (
        "admin",
        "nl",
        "rode_lente",
        reverse("invoices:detail", kwargs={"number": "F2026-00041"}),
        {},
    ),
    "invoice-viewer-en-paid": (
        "viewer",
        "en",
        "rode_lente",
        reverse("invoices:detail", kwargs={"number": "F2025-00001"}),
        {},
    ),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_is_its_golden_file(world, name):
    who, language, organisation, url, query = PAGES[name]
    user = world["staff"] if who == "staff" else world[who][language]
    client = _client(user, world["organisations"].get(organisation))
    response = client.get(url, query)
    assert response.status_code == 200, (name, response.status_code)
    page = normalised(response.content.decode())
    golden = GOLDEN / f"{name}.html"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(page, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with GOLDEN_UPDATE=1"
    assert page == golden.read_text(encoding="utf-8"), f"{name} differs from {golden}"


def test_every_golden_file_belongs_to_a_page():
    """A page taken out of the table takes its golden file with it."""
    assert {path.stem for path in GOLDEN.glob("*.html")} == set(PAGES)


def test_the_normaliser_keeps_what_a_reader_sees_and_ignores_layout():
    first = (
        '<body><p class="a  b" id="x">Ja &amp; nee</p>\n'
        '  <input name="csrfmiddlewaretoken" value="abc"></body>'
    )
    second = (
        '<body>\n<p id="x" class="a b">\n  Ja &amp;\n  nee\n</p>'
        '<input value="def" name="csrfmiddlewaretoken"/></body>'
    )
    assert normalised(first) == normalised(second)
    assert normalised(first) != normalised(first.replace("nee", "ja"))
    assert normalised(first) != normalised(first.replace('id="x"', 'id="y"'))
    assert "&lt;script&gt;" in normalised("<body><p>&lt;script&gt;</p></body>")
