"""The demo invoices: variety, real PDFs, a payment not yet visible, and idempotency."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from billing_address.models import BillingAddress
from invoices.models import Invoice, Payment
from invoices.reference import invoice_annotated
from invoices.selectors import invoice_balance_summary

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_invoices_cover_every_case_and_seeding_again_adds_nothing():
    seed()
    counts = (Invoice.objects.count(), Payment.objects.count(), BillingAddress.objects.count())
    seed()
    assert (
        Invoice.objects.count(),
        Payment.objects.count(),
        BillingAddress.objects.count(),
    ) == counts
    rode_lente = Organisation.objects.get(name="Rode Lente")
    address = BillingAddress.objects.get(organisation=rode_lente)
    assert (address.attention, address.street, address.postcode, address.city) == (
        "Afdeling Crediteurenadministratie",
        "Lange Gracht 16B",
        "1234 AB",
        "Amsterdam",
    )
    rows = invoice_annotated(organisation=rode_lente)
    assert 28 <= rows.count() <= 32
    kinds_statuses = set(rows.values_list("kind", "status"))
    assert {("invoice", "paid"), ("invoice", "overdue"), ("invoice", "open")} <= kinds_statuses
    assert {k for k, _ in kinds_statuses} == {"invoice", "credit", "correction"}
    assert ("credit", "settled") in kinds_statuses
    paid_net = [  # an invoice paid less its credit: the invoice paid, the credit settled
        (credit.status, rows.get(pk=credit.corrects_id).status)
        for credit in rows.filter(kind="credit")
        if rows.get(pk=credit.corrects_id).paid_amount
        == credit.corrects.amount_incl_vat - credit.amount_incl_vat
    ]
    assert paid_net == [("settled", "paid")]
    assert any(0 < r.paid_amount < r.amount_incl_vat for r in rows)  # partly paid
    today = Payment.objects.get(bank_reference="DEMO-TODAY-100001")
    assert rows.get(pk=today.invoice_id).status != "paid"  # booked today, not yet visible
    invoice = rows.first()
    with invoice.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")
    assert invoice.billing_city == "Amsterdam"


def test_the_two_demo_organisations_look_different():
    """Before: Rode Lente Services had the same invoices and amounts, so switching looked as
    if nothing happened."""
    seed()
    rode_lente = Organisation.objects.get(name="Rode Lente")
    services = Organisation.objects.get(name="Rode Lente Services")
    mine = invoice_annotated(organisation=services)
    assert mine.count() == 9  # eight monthly invoices and one credit
    assert invoice_annotated(organisation=rode_lente).count() > 2 * mine.count()
    assert mine.filter(status="overdue").exists()
    assert set(mine.values_list("kind", flat=True)) == {"invoice", "credit"}
    assert set(mine.values_list("number", flat=True)).isdisjoint(
        invoice_annotated(organisation=rode_lente).values_list("number", flat=True)
    )
    balances = {
        organisation.name: invoice_balance_summary(organisation=organisation).open_balance
        for organisation in (rode_lente, services)
    }
    assert balances["Rode Lente Services"] < balances["Rode Lente"] / 2
