"""A change is live for the next invoice; invoices already made keep their copy (R11, R12)."""

from __future__ import annotations

import json

import pytest

from billing_address.services import billing_address_update
from invoices.invoice_import import invoice_batch_import
from invoices.models import Invoice
from tests.invoices.factories import BillingAddressFactory, pdf_bytes
from tests.invoices.test_invoice_import import row

pytestmark = pytest.mark.django_db


def write_export(directory, organisation, number):
    directory.mkdir()
    (directory / "invoices.json").write_text(json.dumps([row(organisation, number)]))
    (directory / f"{number}.pdf").write_bytes(pdf_bytes(number))
    return directory


def test_an_edited_address_reaches_the_next_invoice_and_not_earlier_ones(
    tmp_path, organisation, admin
):
    BillingAddressFactory(organisation=organisation)
    invoice_batch_import(directory=write_export(tmp_path / "first", organisation, "F2026-00001"))
    earlier = Invoice.objects.get(number="F2026-00001")
    earlier_pdf = earlier.file.read()
    earlier_lines = earlier.billing_address_lines

    billing_address_update(
        organisation=organisation,
        by=admin,
        values={"street": "Herengracht 1", "postcode": "1017ab", "phone": "0301234567"},
        expected_version=1,
    )
    invoice_batch_import(directory=write_export(tmp_path / "second", organisation, "F2026-00002"))

    later = Invoice.objects.get(number="F2026-00002")
    assert (later.billing_street, later.billing_postcode, later.billing_phone) == (
        "Herengracht 1",
        "1017 AB",
        "+31301234567",
    )
    earlier.refresh_from_db()
    assert (earlier.billing_street, earlier.billing_postcode, earlier.billing_phone) == (
        "Lange Gracht 16B",
        "1234 AB",
        "+31201234567",
    )
    assert earlier.billing_address_lines == earlier_lines
    earlier.file.open("rb")
    assert earlier.file.read() == earlier_pdf


def test_without_an_address_the_invoice_carries_the_organisation_name(tmp_path, organisation):
    invoice_batch_import(directory=write_export(tmp_path / "x", organisation, "F2026-00009"))
    invoice = Invoice.objects.get(number="F2026-00009")
    assert (invoice.billing_organisation_name, invoice.billing_street) == ("Rode Lente", "")
