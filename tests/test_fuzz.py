"""Property-based tests (hypothesis, issue 11): whatever a person or a file sends, the portal
answers a page, a message or a 4xx, never a 5xx, and a parser raises only its own error.

Example counts are modest so the suite stays fast; the same tests run on SQLite and PostgreSQL
(where NUL characters and over-long values used to reach the database).
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoices.invoice_import import InvoiceImportError, invoice_batch_import
from invoices.statements import StatementError, parse_statement
from tests.accounts.factories import MembershipFactory
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text a browser can send: control characters, NUL, long strings, any script.
text = st.text(max_size=300)
maybe_number = st.one_of(text, st.integers().map(str), st.just(""), st.just("-1"))


def _no_server_error(response):
    assert response.status_code < 500, (response.status_code, response.content[:500])


@pytest.fixture
def admin_client(admin):
    return logged_in(admin)


@FUZZ
@given(q=text, kind=text, status=text, year=maybe_number, sort=text, page=maybe_number)
def test_invoice_list_and_downloads_never_fail(admin_client, q, kind, status, year, sort, page):
    params = {"q": q, "kind": kind, "status": status, "year": year, "sort": sort, "page": page}
    for name in ("invoices:list", "invoices:export_csv", "invoices:download_zip"):
        _no_server_error(admin_client.get(reverse(name), params))


@FUZZ
@given(number=text)
def test_invoice_pdf_url_never_fails(admin_client, number):
    _no_server_error(admin_client.get(f"/invoices/{number}.pdf"))


@FUZZ
@given(q=text, page=maybe_number)
def test_user_lists_never_fail(admin_client, q, page):
    for name in ("users:list", "users:support_list", "users:export_csv"):
        _no_server_error(admin_client.get(reverse(name), {"q": q, "page": page}))


@FUZZ
@given(q=text, action=text, actor=maybe_number, page=maybe_number)
def test_activity_never_fails(admin_client, q, action, actor, page):
    params = {"q": q, "action": action, "actor": actor, "page": page}
    _no_server_error(admin_client.get(reverse("audit:list"), params))


@FUZZ
@given(email=text, state=text)
def test_add_wizard_step_1_never_fails(admin_client, email, state):
    _no_server_error(admin_client.get(reverse("users:add"), {"state": state}))
    _no_server_error(admin_client.post(reverse("users:add"), {"email": email}))


@FUZZ
@given(
    state=text,
    fields=st.fixed_dictionaries(
        {
            "first_name": text,
            "last_name": text,
            "role": text,
            "function": maybe_number,
            "job_title": text,
            "phone": text,
            "mobile": text,
            "security_contact": text,
        }
    ),
)
def test_add_wizard_step_2_never_fails(admin_client, state, fields):
    url = f"{reverse('users:add_details')}?state={state}"
    _no_server_error(admin_client.post(url, fields))


@FUZZ
@given(reason=text, deactivate=text, fields=st.dictionaries(text, text, max_size=4))
def test_edit_and_delete_never_fail(admin, organisation, reason, deactivate, fields):
    client = logged_in(admin)
    person = MembershipFactory(organisation=organisation).user
    _no_server_error(
        client.post(
            reverse("users:delete", kwargs={"pk": person.pk}),
            {"reason": reason, "deactivate": deactivate},
        )
    )
    other = MembershipFactory(organisation=organisation).user
    _no_server_error(client.post(reverse("users:edit", kwargs={"pk": other.pk}), fields))


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {
            "attention": text,
            "organisation_name": text,
            "street": text,
            "postcode": text,
            "city": text,
            "country": st.one_of(text, st.sampled_from(["NL", "BE", "DE", "LU", "GB", "US"])),
            "email": text,
            "phone": text,
            "version": maybe_number,
        }
    )
)
def test_billing_address_edit_never_fails(admin_client, fields):
    _no_server_error(admin_client.post(reverse("billing_address:edit"), fields))


@FUZZ
@given(language=text, organisation=maybe_number, next_url=text)
def test_language_and_organisation_switches_never_fail(
    admin_client, language, organisation, next_url
):
    _no_server_error(
        admin_client.post(reverse("portal:set_language"), {"language": language, "next": next_url})
    )
    _no_server_error(
        admin_client.post(
            reverse("portal:switch_organisation"), {"organisation": organisation, "next": next_url}
        )
    )
    _no_server_error(Client().post(reverse("portal:set_language"), {"language": language}))


@FUZZ
@given(email=text)
def test_login_and_password_reset_never_fail(client, email):
    _no_server_error(client.post(reverse("account_login"), {"login": email, "password": email}))
    _no_server_error(client.post(reverse("account_reset_password"), {"email": email}))


# --- files ----------------------------------------------------------------------------------

CSV_HEADER = "date;amount;reference;name;iban;remittance\n"
csv_line = st.lists(text.filter(lambda s: ";" not in s and "\n" not in s), min_size=1, max_size=7)
camt_amount = st.one_of(
    text, st.decimals(allow_nan=True, allow_infinity=True).map(str), st.just("1e30")
)


@settings(max_examples=60, deadline=None)
@given(content=st.binary(max_size=2000))
def test_the_statement_parser_raises_only_its_own_error_on_any_bytes(content):
    with contextlib.suppress(StatementError):
        parse_statement(content)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(csv_line, max_size=5), prefix=st.sampled_from(["", "\ufeff"]))
def test_the_csv_statement_parser_raises_only_its_own_error(lines, prefix):
    content = prefix + CSV_HEADER + "".join(";".join(line) + "\n" for line in lines)
    with contextlib.suppress(StatementError):
        parse_statement(content.encode())


@settings(max_examples=60, deadline=None)
@given(amount=camt_amount, reference=text, name=text, remittance=text, date=text)
def test_the_camt_parser_raises_only_its_own_error(amount, reference, name, remittance, date):
    from xml.sax.saxutils import escape

    def e(value):
        return escape("".join(ch for ch in value if ch >= " " or ch in "\t\n"))

    document = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
<Id>1</Id><Acct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></Acct>
<Ntry><Amt Ccy="EUR">{e(amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>{e(date)}</Dt></BookgDt><AcctSvcrRef>{e(reference)}</AcctSvcrRef>
<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>{e(name)}</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>{e(remittance)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>"""
    with contextlib.suppress(StatementError):
        parse_statement(document.encode())


@FUZZ
@given(
    rows=st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "number",
                    "debtor_number",
                    "kind",
                    "invoice_date",
                    "due_date",
                    "amount_excl_vat",
                    "vat_amount",
                    "amount_incl_vat",
                    "file",
                    "corrects",
                ]
            ),
            text,
            max_size=10,
        ),
        max_size=3,
    )
)
def test_the_invoice_import_reports_problems_and_stores_nothing_half_way(organisation, rows):
    import json

    from invoices.models import Invoice

    before = Invoice.objects.count()
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "invoices.json").write_text(json.dumps(rows))
        try:
            invoice_batch_import(directory=Path(directory))
        except InvoiceImportError:
            assert Invoice.objects.count() == before
