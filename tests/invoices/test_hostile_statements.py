"""Statements that used to answer 500 (issue 11): each is refused with a message naming the
place, and nothing is stored (on SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from invoices.models import Payment, PaymentImport
from invoices.services import payment_statement_import
from invoices.statements import StatementError

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.django_db

HEADER = "date;amount;reference;name;iban;remittance\n"
GOOD_LINE = "2026-03-06;121,00;CSV-0001;Rode Lente B.V.;NL91ABNA0417164300;F2026-00100\n"


def _refused(content: bytes) -> StatementError:
    with pytest.raises(StatementError) as refused:
        payment_statement_import(file_name="statement", content=content)
    assert Payment.objects.count() == 0
    assert PaymentImport.objects.count() == 0
    return refused.value


def test_a_camt_amount_of_1e30_is_refused():
    content = (DATA / "camt053_v02.xml").read_bytes()
    content = content.replace(b'<Amt Ccy="EUR">50.00</Amt>', b'<Amt Ccy="EUR">1e30</Amt>')
    error = _refused(content)
    assert error.message == "'1e30' is geen bedrag."
    assert error.location == "Stmt[1]/Ntry[2]/Amt"


def test_a_camt_amount_too_large_for_a_payment_is_refused():
    content = (DATA / "camt053_v02.xml").read_bytes()
    content = content.replace(
        b'<Amt Ccy="EUR">50.00</Amt>', b'<Amt Ccy="EUR">123456789012345.00</Amt>'
    )
    error = _refused(content)
    assert "Zorg dat er niet meer dan 12 cijfers zijn." in error.message
    assert error.location == "Stmt[1]/Ntry[2]"


@pytest.mark.parametrize("amount", ["1e30", "1E+30", "NaN", "Infinity", "-1e30"])
def test_a_csv_amount_that_is_no_amount_is_refused(amount):
    error = _refused(
        (HEADER + GOOD_LINE + f"2026-03-06;{amount};CSV-0002;X;;F2026-00100\n").encode()
    )
    assert error.message == f"{amount!r} is geen bedrag."
    assert error.location == "regel 3"


def test_a_csv_field_over_the_csv_modules_limit_is_refused():
    long_field = "x" * 131_073
    error = _refused((HEADER + GOOD_LINE + f"2026-03-06;1,00;CSV-2;X;;{long_field}\n").encode())
    assert error.message == ("de regel is niet te lezen (field larger than field limit (131072)).")
    assert error.location == "regel 3"


def test_a_nul_character_in_a_csv_field_is_refused():
    error = _refused((HEADER + GOOD_LINE + "2026-03-06;1,00;CSV-\x002;X;;\n").encode())
    assert error.message == "het bestand bevat een NUL-teken."
    assert error.location == "regel 3"


def test_a_long_reference_is_refused_by_the_model():
    error = _refused((HEADER + f"2026-03-06;1,00;{'R' * 141};X;;\n").encode())
    assert "Zorg dat deze waarde niet meer dan 140 tekens bevat" in error.message
    assert error.location == "regel 2"


@pytest.mark.parametrize("field", ["number", "corrects", "debtor_number", "file"])
def test_a_nul_character_in_an_invoice_export_is_a_reported_problem(tmp_path, field):
    import json

    from invoices.invoice_import import InvoiceImportError, invoice_batch_import
    from invoices.models import Invoice

    row = {
        "number": "F2026-00900",
        "debtor_number": "D-1",
        "kind": "credit",
        "invoice_date": "2026-03-01",
        "due_date": "2026-03-31",
        "amount_excl_vat": "-100.00",
        "vat_amount": "-21.00",
        "amount_incl_vat": "-121.00",
        "file": "F2026-00900.pdf",
        "corrects": "F2026-00001",
    }
    row[field] = row[field] + "\x00"
    (tmp_path / "invoices.json").write_text(json.dumps([row]))
    with pytest.raises(InvoiceImportError) as refused:
        invoice_batch_import(directory=tmp_path)
    assert refused.value.problems == ["invoices.json #1: bevat een NUL-teken."]
    assert Invoice.objects.count() == 0


def test_an_invoice_export_that_is_not_utf8_is_a_reported_problem(tmp_path):
    from invoices.invoice_import import InvoiceImportError, invoice_batch_import

    (tmp_path / "invoices.csv").write_bytes(b"number;file\n\xff\xfe;x.pdf\n")
    with pytest.raises(InvoiceImportError) as refused:
        invoice_batch_import(directory=tmp_path)
    assert refused.value.problems == ["invoices.csv is geen UTF-8-tekst."]
