"""Management commands speak one language, English, whatever LANGUAGE_CODE says."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "invoices" / "data"


def test_import_payments_reports_in_english():
    out = StringIO()
    with translation.override("nl"):
        call_command("import_payments", str(DATA / "camt053_v02.xml"), stdout=out)
        call_command("import_payments", str(DATA / "camt053_v02.xml"), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("camt053_v02.xml: ")
    assert "payments added" in lines[0]
    assert lines[1] == "camt053_v02.xml was imported before; nothing was added."


def test_import_invoices_reports_its_problems_in_english(tmp_path):
    err = StringIO()
    with translation.override("nl"), pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_invoices", str(tmp_path / "missing"), stderr=err)
    assert err.getvalue().strip() == f"{tmp_path / 'missing'} is not a directory."
