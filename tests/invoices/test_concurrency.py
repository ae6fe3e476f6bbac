"""The same bank statement imported twice at the same moment (two staff members, or the
command and admin), on PostgreSQL with two real connections: it is imported once, and the
other import says the file was imported before (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from invoices.models import Payment, PaymentImport
from invoices.services import ImportResult, payment_statement_import
from tests.concurrency_helpers import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel connections"),
    pytest.mark.django_db(transaction=True),
]

DATA = Path(__file__).parent / "data"


def test_the_same_statement_imported_twice_at_once_is_imported_once():
    content = (DATA / "camt053_v02.xml").read_bytes()

    def job():
        return payment_statement_import(file_name="camt053_v02.xml", content=content)

    outcomes = race(job, job)

    assert all(isinstance(o, ImportResult) for o in outcomes), outcomes
    imported = [o for o in outcomes if not o.duplicate_file]
    refused = [o for o in outcomes if o.duplicate_file]
    assert len(imported) == 1 and len(refused) == 1
    assert PaymentImport.objects.count() == 1
    assert Payment.objects.count() == imported[0].added == 5
    assert refused[0].summary() == (
        "camt053_v02.xml is al eerder geïmporteerd; er is niets toegevoegd."
    )
