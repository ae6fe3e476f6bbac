"""No data can shape a download's headers, and no download answers 500 (issue 15, item 7).

Every download of the portal and the admin is asked for an organisation whose debtor number
is hostile: values the debtor-number check (``accounts/0009``) forbids, stored as they could
have been before that migration, by lifting the check inside the test's transaction. The PDF
is asked for an invoice whose number is hostile (stored without the model's validation). Each
answers 200 with a ``Content-Disposition`` of the one shape ``core.downloads`` builds.
``test_every_download_is_asked_for`` fails when a new download appears in the code without a
test here.
"""

from __future__ import annotations

import ast
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from accounts.models import Organisation
from tests.conftest import logged_in
from tests.core.test_downloads import parsed
from tests.invoices.factories import InvoiceFactory
from tests.test_exports import _app_modules, _calls

pytestmark = pytest.mark.django_db

HOSTILE_DEBTOR_NUMBERS = {
    '10"; x=1': ("10_x_1", "10_x_1"),
    "1000\n02": ("1000_02", "1000_02"),
    "7\r\nSet-Cookie: a=b": ("7_Set-Cookie_a_b", "7_Set-Cookie_a_b"),
    "Ærø 1": ("r_1", "Ærø_1"),
}

# The functions that answer a download, each with the test below that asks for it.
ASKED: dict[str, str] = {}


def asks(*builders: str):
    def register(test):
        for builder in builders:
            ASKED[builder] = test.__name__
        return test

    return register


@pytest.fixture
def lift_debtor_number_check(db):
    """Lets the test store a debtor number the check refuses, as one stored before the check
    existed; the test's transaction is rolled back, and the check with it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key check of rows written before.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE accounts_organisation"
                " DROP CONSTRAINT IF EXISTS accounts_organisation_debtor_number_charset"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


@pytest.fixture(params=list(HOSTILE_DEBTOR_NUMBERS))
def hostile_debtor_number(request, lift_debtor_number_check, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(debtor_number=request.param)
    return request.param


def names(response) -> tuple[str, str]:
    assert response.status_code == HTTPStatus.OK, response.status_code
    directives = {directive.strip() for directive in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives  # the admin adds its own never_cache ones
    return parsed(response["Content-Disposition"])


def debtor_names(debtor_number: str, before: str, after: str, extension: str):
    ascii_part, unicode_part = HOSTILE_DEBTOR_NUMBERS[debtor_number]
    return (
        f"{before}-{ascii_part}{after}.{extension}",
        f"{before}-{unicode_part}{after}.{extension}",
    )


@asks("invoices.exports.invoice_list_csv")
def test_the_invoices_export(viewer, hostile_debtor_number, organisation):
    InvoiceFactory(organisation=organisation)
    response = logged_in(viewer).get(reverse("invoices:export_csv"))
    ascii_name, unicode_name = names(response)
    stamp = ascii_name.removesuffix(".csv")[-10:]
    assert (ascii_name, unicode_name) == debtor_names(
        hostile_debtor_number, "facturen", f"-{stamp}", "csv"
    )


@asks("users.exports.user_list_csv")
def test_the_users_export(admin, hostile_debtor_number):
    response = logged_in(admin).get(reverse("users:export_csv"))
    ascii_name, unicode_name = names(response)
    stamp = ascii_name.removesuffix(".csv")[-10:]
    assert (ascii_name, unicode_name) == debtor_names(
        hostile_debtor_number, "gebruikers", f"-{stamp}", "csv"
    )


@asks("audit.exports.audit_event_csv")
def test_the_activity_export(admin, hostile_debtor_number):
    response = logged_in(admin).get(reverse("audit:export_csv"))
    ascii_name, unicode_name = names(response)
    stamp = ascii_name.removesuffix(".csv")[-10:]
    assert (ascii_name, unicode_name) == debtor_names(
        hostile_debtor_number, "activiteit", f"-{stamp}", "csv"
    )


@asks("invoices.views.invoice_download_zip")
def test_the_zip_of_pdfs(viewer, hostile_debtor_number, organisation):
    InvoiceFactory(organisation=organisation, with_pdf=True)
    response = logged_in(viewer).get(reverse("invoices:download_zip"))
    assert names(response) == debtor_names(hostile_debtor_number, "facturen", "", "zip")


@asks("invoices.views.invoice_download")
@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("F2026-00001", ("F2026-00001.pdf", "F2026-00001.pdf")),
        ('F1";X=1', ("F1_X_1.pdf", "F1_X_1.pdf")),
        ("F1\nX", ("F1_X.pdf", "F1_X.pdf")),
        ("F1 É", ("F1_E.pdf", "F1_É.pdf")),
    ],
)
def test_the_invoice_pdf(viewer, organisation, number, expected):
    InvoiceFactory(organisation=organisation, number=number, with_pdf=True)
    response = logged_in(viewer).get(reverse("invoices:download", kwargs={"number": number}))
    assert names(response) == expected
    assert response["Content-Type"] == "application/pdf"


@asks("users.exports.security_contacts_csv")
@pytest.mark.parametrize("model", ["customer", "organisation"])
def test_the_admin_security_contacts_export(staff, hostile_debtor_number, organisation, model):
    selected = organisation.customer_id if model == "customer" else organisation.pk
    response = logged_in(staff).post(
        reverse(f"admin:accounts_{model}_changelist"),
        {"action": "export_security_contacts", "_selected_action": [selected]},
    )
    ascii_name, unicode_name = names(response)
    assert ascii_name == unicode_name
    assert ascii_name.startswith("contactpersonen-security-privacy-")


def test_every_download_is_asked_for():
    """Every function that answers a download names it through ``core.downloads`` and is
    asked for above; no module builds a Content-Disposition or a FileResponse by itself."""
    base = Path(settings.BASE_DIR)
    builders = set()
    for path in _app_modules():
        module = ".".join(path.relative_to(base).with_suffix("").parts)
        source = path.read_text()
        if module in ("core.downloads", "core.csv_export"):
            continue
        tree = ast.parse(source)
        assert "Content-Disposition" not in source, f"{module} builds a download header"
        assert not list(_calls(tree, "FileResponse")), f"{module} answers a file by itself"
        assert not list(_calls(tree, "content_disposition_header")), module
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for builder in ("csv_response", "file_download", "download_headers_set"):
                if list(_calls(function, builder)):
                    builders.add(f"{module}.{function.name}")
    assert builders == set(ASKED), "ask for every new download in tests/test_downloads.py"
