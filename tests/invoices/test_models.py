"""Invoices are immutable records with a copy of the billing address."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from billing_address.models import BillingAddress
from invoices.models import Invoice, InvoiceDeletionError, InvoiceImmutableError
from invoices.services import invoice_create
from tests.invoices.factories import BillingAddressFactory, InvoiceFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def new_invoice(organisation, **fields):
    return Invoice(
        organisation=organisation,
        number=fields.pop("number", "f2026-00001"),
        invoice_date="2026-03-01",
        due_date="2026-03-31",
        amount_excl_vat=Decimal("100.00"),
        vat_amount=Decimal("21.00"),
        amount_incl_vat=Decimal("121.00"),
        **fields,
    )


def test_creation_copies_the_billing_address_and_later_changes_leave_it(organisation):
    address = BillingAddressFactory(organisation=organisation, street="Lange Gracht 16B")
    invoice = invoice_create(invoice=new_invoice(organisation), pdf=pdf_bytes())
    assert invoice.number == "F2026-00001"
    assert invoice.billing_street == "Lange Gracht 16B"
    address.street = "Korte Gracht 1"
    address.save()
    invoice.refresh_from_db()
    assert invoice.billing_street == "Lange Gracht 16B"
    assert invoice.file.name.startswith("invoices/2026/F2026-00001")


def test_invoices_cannot_be_deleted_or_changed(organisation):
    invoice = InvoiceFactory(organisation=organisation)
    with pytest.raises(InvoiceDeletionError):
        invoice.delete()
    with pytest.raises(InvoiceDeletionError):
        Invoice.objects.all().delete()
    invoice.amount_excl_vat = Decimal("1.00")
    with pytest.raises(InvoiceImmutableError):
        invoice.save()
    assert Invoice.objects.count() == 1


def test_amounts_must_add_up_and_a_credit_needs_its_invoice(organisation):
    with pytest.raises(ValidationError):
        invoice_create(invoice=_bad_sum(organisation))
    with pytest.raises(ValidationError):
        invoice_create(invoice=new_invoice(organisation, number="C1", kind="credit"))
    with pytest.raises(ValidationError, match="pdf"):
        invoice_create(invoice=new_invoice(organisation, number="F2"), pdf=b"hello")


def _bad_sum(organisation):
    invoice = new_invoice(organisation, number="F3")
    invoice.amount_incl_vat = Decimal("120.00")
    return invoice


def test_a_credit_cannot_correct_another_organisations_invoice(organisation, other_organisation):
    foreign = InvoiceFactory(organisation=other_organisation)
    with pytest.raises(ValidationError, match="andere organisatie"):
        invoice_create(
            invoice=new_invoice(organisation, number="C9", kind="credit", corrects=foreign)
        )


def test_one_billing_address_per_organisation(organisation):
    BillingAddressFactory(organisation=organisation)
    with pytest.raises(IntegrityError):
        BillingAddress.objects.create(
            organisation=organisation,
            organisation_name="X",
            street="Y 1",
            postcode="1234 AB",
            city="Z",
            email="a@b.example",
        )


def test_an_invoice_that_fails_to_save_leaves_no_file(
    organisation, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = str(tmp_path)

    def refuse(self, *args, **kwargs):
        raise IntegrityError("refused")

    monkeypatch.setattr(Invoice, "save", refuse)
    invoice = new_invoice(organisation)
    with pytest.raises(IntegrityError):
        invoice_create(invoice=invoice, pdf=pdf_bytes())
    assert invoice.file.name == "invoices/2026/F2026-00001.pdf"
    assert not invoice.file.storage.exists(invoice.file.name)
