"""Bank statement import (R10): CAMT.053 and CSV, matching, malformed and duplicate files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from invoices.models import Payment, PaymentImport
from invoices.reference import invoice_annotated
from invoices.services import payment_link, payment_statement_import
from invoices.statements import StatementError, parse_camt053, parse_csv
from invoices.visibility import AMSTERDAM
from tests.invoices.factories import InvoiceFactory
from tests.invoices.reference import invoice_open_balance

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices(organisation, second_organisation):
    return {
        "F2026-00100": InvoiceFactory(organisation=organisation, number="F2026-00100"),
        "F2026-00101": InvoiceFactory(organisation=second_organisation, number="F2026-00101"),
        "F2026-00102": InvoiceFactory(organisation=organisation, number="F2026-00102"),
    }


def unmatched():
    """The staff's queue, as admin's *matched: Unmatched* filter shows it."""
    return Payment.objects.filter(invoice__isnull=True)


def import_file(name: str):
    path = DATA / name
    return payment_statement_import(file_name=path.name, content=path.read_bytes())


def test_camt_v02_is_parsed_entry_by_entry():
    entries = parse_camt053((DATA / "camt053_v02.xml").read_bytes())
    by_ref = {e.reference: e for e in entries}
    assert set(by_ref) == {
        "ABN-20260306-0001",
        "ABN-20260306-0002",
        "ABN-20260306-0003",
        "ABN-20260306-0004",
        "ABN-20260306-0006/ABN-20260306-0006-A",
        "ABN-20260306-0006/ABN-20260306-0006-B",
    }  # the pending entry is not money received
    first = by_ref["ABN-20260306-0001"]
    assert first.amount == Decimal("121.00")
    assert first.booking_date == date(2026, 3, 6)
    assert first.counterparty_name == "Rode Lente B.V."
    assert first.counterparty_iban == "NL91ABNA0417164300"
    assert "f2026-00100" in first.remittance_text
    assert by_ref["ABN-20260306-0002"].remittance_text == "F2026-00101"
    assert by_ref["ABN-20260306-0004"].amount == Decimal("-30.00")
    assert by_ref["ABN-20260306-0006/ABN-20260306-0006-A"].amount == Decimal("40.00")


def test_camt_v08_reads_the_later_layout():
    (entry,) = parse_camt053((DATA / "camt053_v08.xml").read_bytes())
    assert entry.counterparty_name == "Rode Lente Services B.V."
    assert entry.remittance_text == "F2026-00101"
    assert entry.booking_date == date(2026, 3, 9)


def test_camt_import_matches_queues_and_becomes_visible_by_the_rule(invoices, organisation):
    result = import_file("camt053_v02.xml")
    assert (result.added, result.matched, result.unmatched) == (5, 3, 2)
    assert result.skipped_outgoing == 1
    assert Payment.objects.get(bank_reference="ABN-20260306-0001").invoice.number == "F2026-00100"
    assert Payment.objects.get(bank_reference="ABN-20260306-0002").invoice.number == "F2026-00101"
    # an entry naming two invoices is ambiguous: staff decide
    assert set(unmatched().values_list("bank_reference", flat=True)) == {
        "ABN-20260306-0003",
        "ABN-20260306-0006/ABN-20260306-0006-B",
    }
    payment = Payment.objects.get(bank_reference="ABN-20260306-0001")
    assert payment.visible_from == datetime(2026, 3, 9, 10, 30, tzinfo=AMSTERDAM)
    # booked Friday: open over the weekend and until Monday 10:30, paid from then on
    invoice = invoices["F2026-00100"]
    before = datetime(2026, 3, 9, 10, 29, tzinfo=AMSTERDAM)
    after = datetime(2026, 3, 9, 10, 30, tzinfo=AMSTERDAM)
    assert (
        invoice_annotated(organisation=organisation, now=before).get(pk=invoice.pk).status == "open"
    )
    assert (
        invoice_annotated(organisation=organisation, now=after).get(pk=invoice.pk).status == "paid"
    )
    # F2026-00102 got 40 of 121
    assert invoice_open_balance(organisation=organisation, now=after) == Decimal("81.00")


def test_the_same_file_twice_adds_nothing_and_says_so(invoices):
    import_file("camt053_v02.xml")
    again = import_file("camt053_v02.xml")
    assert again.duplicate_file
    assert again.summary() == "camt053_v02.xml is al eerder geïmporteerd; er is niets toegevoegd."
    assert Payment.objects.count() == 5
    assert PaymentImport.objects.count() == 1


def test_entries_already_known_from_another_file_are_skipped(invoices):
    import_file("camt053_v02.xml")
    content = (DATA / "camt053_v02.xml").read_bytes().replace(b"STMT-2026-03-06", b"RESENT")
    result = payment_statement_import(file_name="resent.xml", content=content)
    assert not result.duplicate_file
    assert result.added == 0
    assert result.already_known == 5
    assert Payment.objects.count() == 5


@pytest.mark.parametrize(
    ("name", "location"),
    [
        ("camt053_malformed.xml", "Stmt[1]/Ntry[2]/Amt"),
        ("camt053_not_wellformed.xml", "6"),
        ("payments_malformed.csv", "3"),
    ],
)
def test_a_malformed_file_stores_nothing_and_names_the_fault(invoices, name, location):
    with pytest.raises(StatementError) as info:
        import_file(name)
    assert location in info.value.location
    assert Payment.objects.count() == 0
    assert PaymentImport.objects.count() == 0


def test_not_a_camt053_document_is_refused():
    content = b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"/>'
    with pytest.raises(StatementError, match="CAMT.053"):
        parse_camt053(content)


def test_xml_entity_expansion_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&b;</Document>'
    )
    with pytest.raises(StatementError):
        parse_camt053(bomb)


def test_csv_import_reads_both_amount_styles_and_dates(invoices):
    entries = parse_csv((DATA / "payments.csv").read_bytes())
    assert [e.amount for e in entries] == [Decimal("121.00"), Decimal("25.50"), Decimal("10.00")]
    assert entries[1].booking_date == date(2026, 3, 6)
    assert entries[0].counterparty_iban == "NL91ABNA0417164300"
    result = import_file("payments.csv")
    assert (result.added, result.matched, result.unmatched) == (3, 2, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"date;amount\n2026-03-06;1,00\n", "reference"),
        (b"date;amount;reference\n2026-13-06;1,00;X\n", "2026-13-06"),
        (b"date;amount;reference\n2026-03-06;1,00;X\n2026-03-07;2,00;X\n", "X"),
        (b"date;amount;reference\n2026-03-06;;X\n", "regel 2: '' is geen bedrag"),
        (b"", "leeg"),
    ],
)
def test_csv_errors_are_explained(content, message):
    with pytest.raises(StatementError) as info:
        parse_csv(content)
    assert message in str(info.value)


def test_staff_link_an_unmatched_payment_by_hand(invoices, organisation):
    import_file("camt053_v02.xml")
    payment = Payment.objects.get(bank_reference="ABN-20260306-0003")
    payment_link(payments=[payment], invoice=invoices["F2026-00102"])
    payment.refresh_from_db()
    assert payment.invoice == invoices["F2026-00102"]
    assert payment.matched_by == Payment.MatchedBy.STAFF
    assert not unmatched().filter(pk=payment.pk).exists()


def test_import_payments_command(invoices, capsys):
    call_command("import_payments", str(DATA / "camt053_v02.xml"), str(DATA / "camt053_v08.xml"))
    assert Payment.objects.count() == 6
    call_command("import_payments", str(DATA / "camt053_v02.xml"))
    assert Payment.objects.count() == 6
    with pytest.raises(CommandError, match="Stmt\\[1\\]/Ntry\\[2\\]/Amt"):
        call_command("import_payments", str(DATA / "camt053_malformed.xml"))


def test_a_foreign_currency_payment_is_not_matched_automatically(invoices, organisation):
    content = (
        (DATA / "camt053_v08.xml")
        .read_bytes()
        .replace(b'Ccy="EUR">71.00', b'Ccy="USD">121.00')
        .replace(b"F2026-00101", b"F2026-00100")
    )
    result = payment_statement_import(file_name="usd.xml", content=content)
    assert (result.added, result.matched, result.unmatched) == (1, 0, 1)
    payment = Payment.objects.get(bank_reference="ABN-20260309-0001")
    assert (payment.currency, payment.amount, payment.invoice) == ("USD", Decimal("121.00"), None)
    assert unmatched().filter(pk=payment.pk).exists()
    later = datetime(2026, 4, 10, 12, 0, tzinfo=AMSTERDAM)
    invoice = invoice_annotated(organisation=organisation, now=later).get(number="F2026-00100")
    assert (invoice.status, invoice.open_amount) == ("overdue", Decimal("121.00"))
    # Nor can staff link it to the euro invoice by hand.
    with pytest.raises(ValidationError):
        payment_link(payments=[payment], invoice=invoices["F2026-00100"])


# --- keys of real banks' statements ----------------------------------------------------------


def test_a_batch_whose_transactions_share_one_reference_imports_every_transaction(invoices):
    """Before: "reference CH-BATCH-77 appears twice" and nothing stored (Swiss banks)."""
    result = import_file("camt053_batch_shared_ref.xml")
    assert (result.added, result.matched, result.unmatched) == (4, 2, 2)
    payments = {p.bank_reference: p for p in Payment.objects.all()}
    assert set(payments) == {
        "CH-ENTRY-0001/RL-E2E-100",  # the entry's reference plus the payer's EndToEndId
        "CH-ENTRY-0001/RL-E2E-101",
        "CH-ENTRY-0002/#1",  # no usable reference of its own: its position in the entry
        "CH-ENTRY-0002/#2",
    }
    assert payments["CH-ENTRY-0001/RL-E2E-100"].invoice == invoices["F2026-00100"]
    assert payments["CH-ENTRY-0001/RL-E2E-101"].amount == Decimal("60.50")
    assert payments["CH-ENTRY-0002/#2"].amount == Decimal("20.00")
    # The same entries in another file (a statement sent again) add nothing.
    content = (DATA / "camt053_batch_shared_ref.xml").read_bytes()
    again = payment_statement_import(
        file_name="resent.xml", content=content.replace(b"CH-STMT-20260310", b"CH-RESENT")
    )
    assert (again.added, again.already_known) == (0, 4)


def test_entries_without_any_bank_reference_import_once_across_overlapping_statements(
    invoices,
):
    """Before: keyed on the statement's id and the entry's position, so the next, overlapping
    statement imported the same three payments a second time."""
    first = import_file("camt053_no_reference.xml")
    assert (first.added, first.matched, first.unmatched) == (3, 1, 2)
    # Two equal payments on one day are two payments.
    assert Payment.objects.filter(amount=Decimal("25.00")).count() == 2
    keys = set(Payment.objects.values_list("bank_reference", flat=True))
    assert all(key.startswith("NOREF-") for key in keys)
    assert len(keys) == 3

    overlap = import_file("camt053_no_reference_overlap.xml")
    assert (overlap.added, overlap.already_known, overlap.matched) == (1, 3, 1)
    assert Payment.objects.count() == 4
    assert Payment.objects.get(amount=Decimal("60.50")).invoice == invoices["F2026-00102"]
    # The same file again is refused as a file; its entries would be known anyway.
    assert import_file("camt053_no_reference.xml").duplicate_file
    assert set(Payment.objects.values_list("bank_reference", flat=True)) >= keys


def test_a_multi_currency_statement_keeps_each_payment_in_its_currency(invoices):
    result = import_file("camt053_multi_currency.xml")
    assert (result.added, result.matched, result.unmatched) == (4, 1, 3)
    rows = {
        p.bank_reference: (p.currency, p.amount, p.invoice_id)
        for p in Payment.objects.order_by("bank_reference")
    }
    assert rows == {
        "MC-EUR-0001": ("EUR", Decimal("121.00"), invoices["F2026-00100"].pk),
        # Dollars naming a euro invoice wait for staff, who cannot link them either.
        "MC-USD-0001": ("USD", Decimal("131.00"), None),
        "MC-USD-0002/US-INSTR-1": ("USD", Decimal("50.00"), None),
        "MC-USD-0002/US-INSTR-2": ("USD", Decimal("30.00"), None),
    }


def test_the_same_entry_in_two_statements_of_one_file_is_imported_once(invoices):
    content = (DATA / "camt053_v08.xml").read_bytes().decode()
    start, end = content.index("<Stmt>"), content.index("</Stmt>") + len("</Stmt>")
    # A weekly statement beside the daily one: the same entry in both.
    weekly = content[start:end].replace("2026-03-09</Id>", "week-10</Id>")
    twice = (content[:end] + weekly + content[end:]).encode()
    result = payment_statement_import(file_name="twice.xml", content=twice)
    assert (result.entries, result.added, result.already_known) == (2, 1, 1)


def test_one_reference_for_different_money_is_refused(invoices):
    content = (
        (DATA / "camt053_v02.xml").read_bytes().replace(b"ABN-20260306-0002", b"ABN-20260306-0001")
    )
    with pytest.raises(StatementError) as info:
        payment_statement_import(file_name="clash.xml", content=content)
    assert str(info.value) == (
        "Stmt[1]/Ntry[2]: referentie ABN-20260306-0001 staat twee keer in het bestand "
        "(eerst bij Stmt[1]/Ntry[1])."
    )
    assert Payment.objects.count() == 0
