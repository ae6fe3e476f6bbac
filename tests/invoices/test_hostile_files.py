"""Files that only look like what they claim: refused before anything is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from invoices.models import is_pdf
from invoices.statements import StatementError, parse_statement
from tests.invoices.factories import pdf_bytes

DATA = Path(__file__).parent / "data"


def test_a_real_pdf_is_one():
    assert is_pdf(pdf_bytes("F2026-00001"))


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n<html><script>alert(1)</script></html>",
        b"%PDF-1.4\n" + b"x" * 5000,  # truncated: no cross-reference, no end marker
        b"<html>%PDF-1.4 startxref 1 %%EOF</html>",
    ],
)
def test_something_that_only_starts_like_a_pdf_is_not_one(content):
    assert not is_pdf(content)


def test_a_file_is_checked_at_both_ends_and_left_at_its_start(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(pdf_bytes("F2026-00001"))
    with path.open("rb") as handle:
        assert is_pdf(handle)
        assert handle.tell() == 0


def test_a_statement_with_a_dtd_is_refused():
    content = (DATA / "camt053_v02.xml").read_bytes()
    declaration, _, rest = content.partition(b"?>")
    hostile = declaration + b'?>\n<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/evil.dtd">' + rest
    with translation.override("nl"), pytest.raises(StatementError) as error:
        parse_statement(hostile)
    assert "het bestand bevat verboden XML-constructies" in str(error.value)
