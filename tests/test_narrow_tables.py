"""The tables of *Facturen*, *Gebruikers* and *Activiteit* as the server writes them for a
phone (issue 17, section 3): every cell of a row names its column in ``data-label`` (the
label a narrow screen shows before the value, static/css/portal.css "Narrow screens") with
its column header's words, in Dutch and English; an e-mail address is two unbreakable parts
with a break between them. tests/e2e/test_narrow_screens.py checks the pages in a browser.
"""

from __future__ import annotations

from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.urls import reverse

from accounts.models import Membership
from tests.audit.factories import AuditEventFactory
from tests.conftest import logged_in
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


class _StackTable(HTMLParser):
    """The ``table-stack`` table of a page: its header cells' texts, and of each row (a
    ``tr`` with a ``data-testid``) the ``data-label`` of every cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headers: list[str] = []
        self.rows: list[list[str | None]] = []
        self.in_table = False
        self.header: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            self.in_table = "table-stack" in (attributes.get("class") or "").split()
        elif not self.in_table:
            return
        elif tag == "th":
            self.header = []
        elif tag == "tr" and "data-testid" in attributes:
            self.rows.append([])
        elif tag == "td" and self.rows:
            self.rows[-1].append(attributes.get("data-label"))

    def handle_endtag(self, tag):
        if tag == "th" and self.header is not None:
            self.headers.append(" ".join("".join(self.header).split()))
            self.header = None
        elif tag == "table":
            self.in_table = False

    def handle_data(self, data):
        if self.header is not None:
            self.header.append(data)


def stack_table(content: str) -> _StackTable:
    parser = _StackTable()
    parser.feed(content)
    parser.close()
    return parser


@pytest.fixture
def lists(organisation, admin, viewer, support_user):
    """Something on every list: invoices (a credit among them), users of both kinds, events."""
    InvoiceFactory(organisation=organisation, number="F2026-00001")
    CreditInvoiceFactory(organisation=organisation, number="C2026-00001")
    AuditEventFactory(organisation=organisation, actor=admin)
    return organisation


# (URL name, the columns' words in Dutch, in English): sortable headers carry an arrow and a
# hidden "(sort)" after the words, the PDF column's header is for screen readers only.
PAGES = {
    "invoices:list": (
        ["Nummer", "Type", "Factuurdatum", "Vervaldatum", "Bedrag incl. btw", "Openstaand bedrag",
         "Status", "Bestand"],
        ["Number", "Type", "Invoice date", "Due date", "Amount incl. VAT", "Open amount",
         "Status", "File"],
    ),
    "users:list": (
        ["Achternaam", "Voornaam", "E-mail", "Rol", "Functie", "Security/privacy", "Status",
         "Laatst ingelogd", "Acties"],
        ["Last name", "First name", "E-mail", "Role", "Function", "Security/privacy", "Status",
         "Last login", "Actions"],
    ),
    "users:support_list": (
        ["Achternaam", "Voornaam", "E-mail", "Functie", "Security/privacy", "Status",
         "Laatst ingelogd", "Acties"],
        ["Last name", "First name", "E-mail", "Function", "Security/privacy", "Status",
         "Last login", "Actions"],
    ),
    "audit:list": (["Wanneer", "Wie", "Wat"], ["When", "Who", "What"]),
}  # fmt: skip


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("url_name", list(PAGES))
def test_every_cell_names_its_column_as_its_header_does(lists, admin, language, url_name):
    admin.language = language
    admin.save(update_fields=["language"])
    response = logged_in(admin).get(reverse(url_name))
    assert response.status_code == HTTPStatus.OK
    table = stack_table(response.content.decode())

    labels = PAGES[url_name][0 if language == "nl" else 1]
    assert table.rows, "no rows on the page"
    assert all(row == labels for row in table.rows), table.rows
    assert len(table.headers) == len(labels)
    for header, label in zip(table.headers, labels, strict=True):
        assert header == label or header.startswith(f"{label} "), (header, label)


def test_the_sortable_headers_stay_visible_on_a_phone_after_sort_by(lists, admin):
    content = logged_in(admin).get(reverse("invoices:list")).content.decode()
    assert '<tr data-label="Sorteer op:">' in content
    assert content.count('<th scope="col" class="sortable') == 2


def test_a_viewer_sees_the_same_cards_without_actions(lists, viewer):
    table = stack_table(logged_in(viewer).get(reverse("users:list")).content.decode())
    assert {tuple(row) for row in table.rows} == {
        (
            "Achternaam",
            "Voornaam",
            "E-mail",
            "Rol",
            "Functie",
            "Security/privacy",
            "Status",
            "Laatst ingelogd",
        )
    }


def test_an_address_in_gebruikers_breaks_only_at_its_at(lists, admin):
    membership = Membership.objects.get(user__email="anne@rodelente.example")
    membership.user.email = "o'brien&co@rodelente.example"
    membership.user.save(update_fields=["email"])
    content = logged_in(admin).get(reverse("users:list")).content.decode()
    assert (
        '<td data-label="E-mail"><span class="email-address">'
        '<span class="email-part">o&#39;brien&amp;co@</span><wbr>'
        '<span class="email-part">rodelente.example</span></span></td>'
    ) in content
    assert "text-break" not in content
