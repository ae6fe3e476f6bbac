from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory
from fpdf import FPDF

from billing_address.models import BillingAddress
from invoices.ledger import ledger_refresh
from invoices.models import Invoice, Payment
from invoices.visibility import payment_visible_from
from tests.accounts.factories import OrganisationFactory


def pdf_bytes(text: str = "invoice") -> bytes:
    """A tiny but real one-line PDF (fpdf2), so download tests check actual PDF bytes."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


class BillingAddressFactory(DjangoModelFactory):
    class Meta:
        model = BillingAddress

    organisation = factory.SubFactory(OrganisationFactory)
    attention = "Afdeling Crediteurenadministratie"
    organisation_name = factory.SelfAttribute("organisation.name")
    street = "Lange Gracht 16B"
    postcode = "1234 AB"
    city = "Amsterdam"
    country = "NL"
    email = "invoices@rodelente.example"
    phone = "+31 20 123 4567"


class InvoiceFactory(DjangoModelFactory):
    """An invoice stored as the services store one: with its ledger figures (and those of
    the invoice a credit corrects) computed now."""

    class Meta:
        model = Invoice

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        invoice = super()._create(model_class, *args, **kwargs)
        ledger_refresh(invoice_ids=[invoice.pk, invoice.corrects_id])
        return invoice

    organisation = factory.SubFactory(OrganisationFactory)
    number = factory.Sequence(lambda n: f"F2026-{n:05d}")
    kind = Invoice.Kind.INVOICE
    invoice_date = dt.date(2026, 3, 2)
    due_date = factory.LazyAttribute(lambda o: o.invoice_date + dt.timedelta(days=30))
    amount_excl_vat = Decimal("100.00")
    vat_amount = factory.LazyAttribute(
        lambda o: (o.amount_excl_vat * Decimal("0.21")).quantize(Decimal("0.01"))
    )
    amount_incl_vat = factory.LazyAttribute(lambda o: o.amount_excl_vat + o.vat_amount)
    billing_organisation_name = factory.SelfAttribute("organisation.name")
    file = None

    class Params:
        with_pdf = factory.Trait(
            file=factory.LazyAttribute(
                lambda o: ContentFile(pdf_bytes(o.number), name=f"{o.number}.pdf")
            )
        )


class CreditInvoiceFactory(InvoiceFactory):
    kind = Invoice.Kind.CREDIT
    corrects = factory.SubFactory(
        InvoiceFactory, organisation=factory.SelfAttribute("..organisation")
    )


class PaymentFactory(DjangoModelFactory):
    """A payment stored as the import stores one: its invoice's ledger updated now."""

    class Meta:
        model = Payment

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        payment = super()._create(model_class, *args, **kwargs)
        ledger_refresh(invoice_ids=[payment.invoice_id])
        return payment

    bank_reference = factory.Sequence(lambda n: f"BANKREF{n:08d}")
    booking_date = dt.date(2026, 3, 10)
    amount = Decimal("121.00")
    remittance_text = factory.LazyAttribute(lambda o: o.invoice.number if o.invoice else "")
    counterparty_name = "Rode Lente B.V."
    counterparty_iban = "NL91ABNA0417164300"
    invoice = factory.SubFactory(InvoiceFactory)
    matched_by = factory.LazyAttribute(lambda o: "import" if o.invoice else "")
    visible_from = factory.LazyAttribute(lambda o: payment_visible_from(o.booking_date))
