"""Django admin in Dutch says what it means (issue 17, section 5, item 7): an invoice's address
copy by country name and with a formatted phone, and counts in their proper plural forms."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from invoices.models import StatementImport
from invoices.services import ImportResult
from invoices.statements import StatementError, parse_statement
from tests.conftest import logged_in
from tests.invoices.factories import InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db

BELGIAN = "+3225010211"
BELGIAN_SHOWN = "+32 2 501 02 11"
CHANGELIST = reverse("admin:invoices_payment_changelist")


def test_the_invoices_address_copy_in_admin_shows_the_country_and_phone_readably(
    staff, organisation
):
    """The copy on an invoice: the country by name, the phone formatted (issue 17, item 7)."""
    invoice = InvoiceFactory(
        organisation=organisation, billing_country="NL", billing_phone="+31201234567"
    )
    belgian = InvoiceFactory(organisation=organisation, billing_country="BE", billing_phone=BELGIAN)
    client = logged_in(staff)
    html = client.get(reverse("admin:invoices_invoice_change", args=[invoice.pk])).content.decode()
    address = html[html.index("Factuuradres op het moment van factureren") :]
    assert '<div class="readonly">Nederland</div>' in address
    assert '<div class="readonly">020 123 4567</div>' in address
    assert "+31201234567" not in html
    assert ">NL<" not in address
    html = client.get(reverse("admin:invoices_invoice_change", args=[belgian.pk])).content.decode()
    assert '<div class="readonly">België</div>' in html
    assert f'<div class="readonly">{BELGIAN_SHOWN}</div>' in html


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (1, "1 betaling gekoppeld aan factuur F2026-00102."),
        (2, "2 betalingen gekoppeld aan factuur F2026-00102."),
    ],
)
def test_linking_payments_says_how_many_in_the_proper_plural(staff, organisation, count, message):
    InvoiceFactory(organisation=organisation, number="F2026-00102")
    payments = [
        PaymentFactory(invoice=None, bank_reference=f"EUR-{n}", amount="10.00")
        for n in range(count)
    ]
    response = logged_in(staff).post(
        CHANGELIST,
        {
            "action": "link_to_invoice",
            "_selected_action": [p.pk for p in payments],
            "apply": "1",
            "invoice_number": "F2026-00102",
        },
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert message in page
    assert "(en)" not in page


@pytest.mark.parametrize(
    ("counts", "summary"),
    [
        (
            {"entries": 1, "added": 1, "matched": 1, "skipped_outgoing": 1},
            "juni.xml: 1 post, 1 betaling toegevoegd (1 gekoppeld aan een factuur, 0 in de "
            "wachtrij voor niet-gekoppelde betalingen), 0 al eerder geïmporteerd, 1 uitgaande "
            "post overgeslagen.",
        ),
        (
            {"entries": 3, "added": 2, "unmatched": 2, "skipped_outgoing": 0},
            "juni.xml: 3 posten, 2 betalingen toegevoegd (0 gekoppeld aan een factuur, 2 in de "
            "wachtrij voor niet-gekoppelde betalingen), 0 al eerder geïmporteerd, 0 uitgaande "
            "posten overgeslagen.",
        ),
    ],
)
def test_an_import_summary_counts_in_the_proper_plural(counts, summary):
    assert ImportResult(file_name="juni.xml", **counts).summary() == summary


@pytest.mark.parametrize(
    ("total", "text"),
    [
        (1, "1 post in het bestand, die in één transactie wordt geïmporteerd"),
        (2, "2 posten in het bestand, die in één transactie worden geïmporteerd"),
    ],
)
def test_an_upload_being_imported_counts_its_entries_properly(staff, total, text):
    record = StatementImport.objects.create(
        file_name="juni.xml",
        size=1,
        uploaded_by=staff,
        status="importing",
        started_at=timezone.now() - timedelta(minutes=1),
        entries_total=total,
    )
    page = (
        logged_in(staff)
        .get(reverse("admin:invoices_statementimport_change", args=[record.pk]))
        .content.decode()
    )
    assert text in page


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (b"date;amount;name\n", "de kopregel mist de kolom reference."),
        (b"amount;name\n", "de kopregel mist de kolommen date, reference."),
    ],
)
def test_a_csv_missing_columns_names_them_in_the_proper_plural(header, message):
    with pytest.raises(StatementError) as error:
        parse_statement(header)
    assert error.value.message == message
