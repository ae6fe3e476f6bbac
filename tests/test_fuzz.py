"""Property-based tests (hypothesis, issue 11): whatever a person or a file sends, the portal
answers a page, a message or a 4xx, never a 5xx, and a parser raises only its own error.

Example counts are modest so the suite stays fast; the same tests run on SQLite and PostgreSQL
(where NUL characters and over-long values used to reach the database).
"""

from __future__ import annotations

import contextlib
import tempfile
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.lockout import DEVICE_COOKIE
from invoices.invoice_import import InvoiceImportError, invoice_batch_import
from invoices.statements import StatementError, parse_statement
from tests.accounts.factories import PASSWORD, MembershipFactory
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


# --- cookies and headers (issue 15) -----------------------------------------------------------

COOKIE_NAMES = [
    django_settings.SESSION_COOKIE_NAME,
    django_settings.CSRF_COOKIE_NAME,
    django_settings.LANGUAGE_COOKIE_NAME,
    DEVICE_COOKIE,
]
HEADER_NAMES = ["HTTP_USER_AGENT", "HTTP_ACCEPT_LANGUAGE", "HTTP_X_FORWARDED_FOR", "HTTP_REFERER"]


def _wsgi(value: str) -> str:
    """A header as it reaches Django under WSGI: its bytes (UTF-8 here) read as Latin-1."""
    return value.encode("utf-8").decode("latin-1")


# Short text made mostly of control characters, which plain text rarely draws.
control_text = st.text(
    alphabet=st.one_of(st.characters(max_codepoint=0x1F), st.sampled_from('\x7f a;="\\')),
    min_size=1,
    max_size=40,
)
# Cookie values: any text (quoted as a browser would, so NUL and other control characters
# arrive as octal escapes that Django unquotes), and values like the ones the portal sets (a
# session key of Django's characters, a language code).
cookie_value = st.one_of(
    text,
    control_text,
    st.text(alphabet=VALID_KEY_CHARS, min_size=1, max_size=64),
    st.sampled_from(["nl", "en", "de", ""]),
)
# Header values: any text or bytes, addresses, and a Referer that passes the CSRF check.
header_value = st.one_of(
    text.map(_wsgi),
    control_text,
    st.binary(max_size=300).map(lambda raw: raw.decode("latin-1")),
    text.map(lambda tail: _wsgi("https://testserver/" + tail)),
    st.sampled_from(["203.0.113.7", "2001:db8::1", "fe80::1%eth0", "1.2.3.4, 5.6.7.8"]),
)


def _cookie_header(cookies: dict[str, str]) -> str:
    jar = SimpleCookie()
    for name, value in cookies.items():
        jar[name] = value
    return _wsgi("; ".join(f"{morsel.key}={morsel.coded_value}" for morsel in jar.values()))


def _hostile_requests(client: Client, *, user, logged_in: bool, secure: bool, **meta):
    """GET every kind of page, then POST: the language switch when logged in, the login form
    (the right password, so a login with its audit event and session is stored) when not."""
    for page in (
        reverse("portal:home"),
        reverse("portal:organisation_home"),
        reverse("invoices:list"),
        reverse("users:list"),
        reverse("account_login"),
    ):
        _no_server_error(client.get(page, secure=secure, **meta))
    token = client.cookies.get(django_settings.CSRF_COOKIE_NAME)
    data = {"csrfmiddlewaretoken": token.value} if token is not None else {}
    if logged_in:
        url, data = reverse("portal:set_language"), {"language": "en", **data}
    else:
        url, data = reverse("account_login"), {"login": user.email, "password": PASSWORD, **data}
    _no_server_error(client.post(url, data, secure=secure, **meta))


HEADER_FUZZ = settings(FUZZ, max_examples=50)
ISSUE_SESSION_KEY = "abcdefgh\x00ijklmnop"  # sessionid="abcdefgh\000ijklmnop", issue 15


@HEADER_FUZZ
@given(
    cookies=st.dictionaries(st.sampled_from(COOKIE_NAMES), cookie_value, min_size=1),
    logged_in=st.booleans(),
    enforce_csrf=st.booleans(),
)
@example(cookies={"sessionid": ISSUE_SESSION_KEY}, logged_in=False, enforce_csrf=False)
@example(cookies={"csrftoken": ISSUE_SESSION_KEY}, logged_in=True, enforce_csrf=True)
def test_any_cookie_never_fails(admin, cookies, logged_in, enforce_csrf):
    client = Client(enforce_csrf_checks=enforce_csrf)
    if logged_in:
        client.force_login(admin)
    sent = {name: morsel.value for name, morsel in client.cookies.items()} | cookies
    _hostile_requests(
        client,
        user=admin,
        logged_in=logged_in,
        secure=False,
        HTTP_COOKIE=_cookie_header(sent),
    )


@HEADER_FUZZ
@given(value=cookie_value)
@example(value=ISSUE_SESSION_KEY)
def test_any_session_cookie_that_django_did_not_make_is_an_anonymous_request(admin, value):
    response = Client().get(
        reverse("invoices:list"),
        HTTP_COOKIE=_cookie_header({django_settings.SESSION_COOKIE_NAME: value}),
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('invoices:list')}"


@HEADER_FUZZ
@given(
    headers=st.dictionaries(st.sampled_from(HEADER_NAMES), header_value, min_size=1),
    logged_in=st.booleans(),
    secure=st.booleans(),
)
@example(headers={"HTTP_USER_AGENT": "Mozilla\x00"}, logged_in=False, secure=False)
def test_any_header_never_fails(admin, settings, headers, logged_in, secure):
    # Behind one proxy, so X-Forwarded-For is read (for rate limits and the stored IP address).
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client(enforce_csrf_checks=True)
    if logged_in:
        client.force_login(admin)
    client.get(reverse("account_login"))  # the CSRF cookie, as a browser has it
    _hostile_requests(client, user=admin, logged_in=logged_in, secure=secure, **headers)


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
