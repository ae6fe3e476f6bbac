"""Invoice import from the billing system's export (R11): all or nothing, with a report."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from invoices import invoice_import
from invoices.invoice_import import InvoiceImportError, invoice_batch_import
from invoices.models import Invoice, invoice_storage
from tests.invoices.factories import BillingAddressFactory, InvoiceFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def row(organisation, number, **extra):
    return {
        "number": number,
        "debtor_number": organisation.debtor_number,
        "kind": "invoice",
        "invoice_date": "2026-03-01",
        "due_date": "2026-03-31",
        "amount_excl_vat": "100.00",
        "vat_amount": "21.00",
        "amount_incl_vat": "121.00",
        "file": f"{number}.pdf",
        **extra,
    }


@pytest.fixture
def export(tmp_path, organisation):
    def write(rows, pdfs=None):
        (tmp_path / "invoices.json").write_text(json.dumps(rows))
        for r in rows:
            pdfs = pdfs or {}
            content = pdfs[r["file"]] if r["file"] in pdfs else pdf_bytes(r["number"])
            if content is not None:
                (tmp_path / r["file"]).write_bytes(content)
        return tmp_path

    return write


def test_a_valid_export_imports_everything_with_the_address_copy(export, organisation):
    BillingAddressFactory(organisation=organisation, city="Amsterdam")
    directory = export(
        [
            row(organisation, "C2026-00002", kind="credit", corrects="F2026-00001"),
            row(organisation, "F2026-00001"),
        ]
    )
    report = invoice_batch_import(directory=directory)
    assert sorted(report.created) == ["C2026-00002", "F2026-00001"]
    credit = Invoice.objects.get(number="C2026-00002")
    assert credit.corrects.number == "F2026-00001"
    assert credit.billing_city == "Amsterdam"
    assert credit.billing_attention == "Afdeling Crediteurenadministratie"
    with credit.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-")


def test_csv_index_works_too(tmp_path, organisation):
    header = ";".join(
        ["number", "debtor_number", "kind", "invoice_date", "due_date"]
        + ["amount_excl_vat", "vat_amount", "amount_incl_vat", "file"]
    )
    line = ";".join(
        ["F2026-00009", organisation.debtor_number, "invoice", "2026-03-01", "2026-03-31"]
        + ["100,00", "21,00", "121,00", "a.pdf"]
    )
    (tmp_path / "invoices.csv").write_text(f"{header}\n{line}\n")
    (tmp_path / "a.pdf").write_bytes(pdf_bytes())
    invoice_batch_import(directory=tmp_path)
    assert Invoice.objects.get(number="F2026-00009").amount_incl_vat == Decimal("121.00")


def test_every_problem_is_reported_and_nothing_is_imported(
    export, organisation, other_organisation
):
    InvoiceFactory(organisation=organisation, number="F2026-00050")
    directory = export(
        [
            row(organisation, "F2026-00001"),  # fine on its own
            row(organisation, "F2026-00050"),  # exists
            row(organisation, "F2026-00002", debtor_number="999999"),
            row(organisation, "F2026-00003", amount_incl_vat="120.00"),
            row(organisation, "F2026-00004", file="fake.pdf"),
            row(organisation, "F2026-00005", file="absent.pdf"),
            row(organisation, "F2026-00001"),  # twice
            row(organisation, "C2026-00006", kind="credit"),
            row(other_organisation, "C2026-00007", kind="credit", corrects="F2026-00001"),
            row(organisation, "F2026-00008", due_date="2026-02-01"),
        ],
        pdfs={"fake.pdf": b"not a pdf", "absent.pdf": None},
    )
    with pytest.raises(InvoiceImportError) as info:
        invoice_batch_import(directory=directory)
    problems = info.value.problems
    for where, expected in [
        ("#2", "number: Er bestaat al een Factuur met eenzelfde Nummer."),  # the model's own checks
        ("#3", "debiteurnummer 999999"),
        ("#4", "Bedrag incl. btw moet gelijk zijn aan bedrag excl. btw plus btw."),
        ("#5", "fake.pdf is geen pdf"),
        ("#6", "absent.pdf staat niet in de export"),
        ("#7", "F2026-00001 staat twee keer"),
        ("#8", "Een credit- of correctiefactuur verwijst naar de factuur die zij corrigeert"),
        ("#9", "De gecorrigeerde factuur hoort bij een andere organisatie."),
        ("#10", "De vervaldatum kan niet voor de factuurdatum liggen."),
    ]:
        assert any(p.startswith(f"invoices.json {where}:") and expected in p for p in problems), (
            where,
            expected,
        )
    assert not any(p.startswith("invoices.json #1:") for p in problems)
    assert Invoice.objects.count() == 1  # only the one that was there


def test_a_file_outside_the_export_is_refused(export, organisation, tmp_path):
    directory = export(
        [row(organisation, "F2026-00001", file="../etc-passwd.pdf")],
        pdfs={"../etc-passwd.pdf": None},
    )
    with pytest.raises(InvoiceImportError, match="niet in de export"):
        invoice_batch_import(directory=directory)


def test_command_reports(export, organisation, capsys):
    directory = export([row(organisation, "F2026-00001")])
    call_command("import_invoices", str(directory))
    assert "Imported 1 invoices" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_invoices", str(directory))
    with pytest.raises(CommandError):
        call_command("import_invoices", str(directory / "missing"))


def test_a_correction_of_a_credit_listed_later_is_imported_after_it(export, organisation):
    directory = export(
        [
            row(organisation, "K2026-00003", kind="correction", corrects="C2026-00002"),
            row(organisation, "C2026-00002", kind="credit", corrects="F2026-00001"),
            row(organisation, "F2026-00001"),
        ]
    )
    report = invoice_batch_import(directory=directory)
    assert report.created == ["F2026-00001", "C2026-00002", "K2026-00003"]
    assert Invoice.objects.get(number="K2026-00003").corrects.number == "C2026-00002"


def test_a_cycle_of_corrections_is_reported_per_row(export, organisation):
    directory = export(
        [
            row(organisation, "F2026-00001"),
            row(organisation, "C2026-00002", kind="credit", corrects="C2026-00003"),
            row(organisation, "C2026-00003", kind="credit", corrects="C2026-00002"),
            row(organisation, "C2026-00004", kind="credit", corrects="C2026-00004"),
        ]
    )
    with pytest.raises(InvoiceImportError) as info:
        invoice_batch_import(directory=directory)
    cyclic = [p for p in info.value.problems if "kring" in p]
    assert [p.split(":")[0] for p in cyclic] == [
        "invoices.json #2",
        "invoices.json #3",
        "invoices.json #4",
    ]
    assert Invoice.objects.count() == 0


@pytest.fixture
def own_media(settings, tmp_path_factory):
    """A storage of this test's own, so files of other tests cannot hide an orphan."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


def stored(number: str) -> bool:
    return invoice_storage().exists(f"invoices/2026/{number}.pdf")


def test_a_failed_import_leaves_neither_rows_nor_files(
    export, organisation, monkeypatch, own_media
):
    directory = export(
        [
            row(organisation, "F2026-00001"),
            row(organisation, "F2026-00002"),
            row(organisation, "F2026-00003"),
        ]
    )
    real_create = invoice_import.invoice_create

    def failing_create(*, invoice, pdf=None):
        if invoice.number == "F2026-00002":
            raise OSError("disk full")
        return real_create(invoice=invoice, pdf=pdf)

    monkeypatch.setattr(invoice_import, "invoice_create", failing_create)
    with pytest.raises(InvoiceImportError) as info:
        invoice_batch_import(directory=directory)
    assert info.value.problems == ["invoices.json #2: disk full"]  # reported, not a traceback
    assert Invoice.objects.count() == 0
    assert not stored("F2026-00001")
    assert not stored("F2026-00003")

    monkeypatch.setattr(invoice_import, "invoice_create", real_create)
    invoice_batch_import(directory=directory)  # the retry keeps the names
    assert Invoice.objects.get(number="F2026-00001").file.name == "invoices/2026/F2026-00001.pdf"


def test_model_validation_is_reported_per_row_with_the_field(export, organisation):
    directory = export(
        [
            row(organisation, "F2026-00001", invoice_date="2026-02-30"),
            row(organisation, "F2026-00002", vat_amount="-21.00", amount_incl_vat="79.00"),
            row(organisation, "F2026-00003", kind="quote", debtor_number="999999"),
            row(organisation, "F2026-00004", amount_excl_vat="honderd"),
            row(organisation, "", file="F2026-00005.pdf"),
        ],
        pdfs={"F2026-00005.pdf": pdf_bytes()},
    )
    with pytest.raises(InvoiceImportError) as info:
        invoice_batch_import(directory=directory)
    problems = info.value.problems
    assert problems[0].startswith("invoices.json #1: invoice_date: ")
    assert "2026-02-30" in problems[0]
    assert problems[1] == (
        "invoices.json #2: Bedragen zijn positief; een creditfactuur telt door haar type negatief."
    )
    # An unknown organisation does not hide what else is wrong with the row.
    assert "debiteurnummer 999999" in problems[2]
    assert problems[3].startswith("invoices.json #3: kind: ")
    assert problems[4].startswith("invoices.json #4: amount_excl_vat: ")
    assert problems[5] == "invoices.json #5: number: Dit veld kan niet leeg zijn"
    assert len(problems) == 6
    assert Invoice.objects.count() == 0


def test_amounts_are_read_like_bank_statements_with_thousands(tmp_path, organisation):
    header = "number;debtor_number;kind;invoice_date;due_date;"
    header += "amount_excl_vat;vat_amount;amount_incl_vat;file"
    line = f"F2026-00009;{organisation.debtor_number};invoice;2026-03-01;2026-03-31;"
    line += "1.000,00;210,00;1.210,00;a.pdf"
    (tmp_path / "invoices.csv").write_text(f"{header}\n{line}\n")
    (tmp_path / "a.pdf").write_bytes(pdf_bytes())
    invoice_batch_import(directory=tmp_path)
    assert Invoice.objects.get(number="F2026-00009").amount_incl_vat == Decimal("1210.00")


def test_the_organisations_are_locked_in_one_order_before_the_first_insert(
    export, organisation, second_organisation
):
    directory = export([row(second_organisation, "F2026-00002"), row(organisation, "F2026-00001")])
    with CaptureQueriesContext(connection) as queries:
        invoice_batch_import(directory=directory)
    sqls = [q["sql"] for q in queries.captured_queries]
    lock = next(
        i
        for i, sql in enumerate(sqls)
        if 'FROM "accounts_organisation"' in sql
        and "ORDER BY" in sql
        and "debtor_number" in sql
        and " IN " in sql
    )
    first_insert = next(
        i for i, sql in enumerate(sqls) if sql.startswith('INSERT INTO "invoices_invoice"')
    )
    assert lock < first_insert
    assert "ORDER BY 1 ASC" in sqls[lock]  # by the primary key selected
    if connection.vendor == "postgresql":
        # Not FOR UPDATE, which would hold up inserts of rows pointing at the organisation.
        assert sqls[lock].endswith("FOR NO KEY UPDATE")
    assert Invoice.objects.filter(number__in=["F2026-00001", "F2026-00002"]).count() == 2
