"""Every CSV the portal produces is safe to open in a spreadsheet (issue 15, item 6).

Each export is walked with hostile values in every free-text field it writes (names, function
names in both languages, the business-card title, e-mail addresses, organisation names; the
invoice search term, which is not echoed), in Dutch and in English: every such cell must
arrive neutralised (a leading apostrophe), and real negative amounts must stay numbers.
``test_every_csv_export_is_walked`` fails when a new export appears in the code without a walk
here.
"""

from __future__ import annotations

import ast
import csv
import io
import re
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from accounts.models import Organisation
from audit.services import audit_record
from tests.accounts.factories import (
    MembershipFactory,
    OrganisationFactory,
    SupportMembershipFactory,
    UserFactory,
)
from tests.conftest import logged_in
from tests.invoices.factories import BillingAddressFactory, CreditInvoiceFactory, InvoiceFactory
from tests.users.factories import JobFunctionFactory

pytestmark = pytest.mark.django_db

# What spreadsheet programs read as the start of a formula (or of a formula after a blank).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
HOSTILE = [
    '=HYPERLINK("http://x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]

# The builders of CSV downloads (every function that calls core.csv_export.csv_response),
# each with the test below that walks it.
WALKS: dict[str, str] = {}


def walks(*builders: str):
    def register(test):
        for builder in builders:
            WALKS[builder] = test.__name__
        return test

    return register


def read_csv(response) -> list[list[str]]:
    assert response.status_code == HTTPStatus.OK, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))


def assert_no_formula(rows: list[list[str]], *, amount_columns: frozenset[int] = frozenset()):
    """No cell starts a formula, except a portal's own amount (a negative number)."""
    for row in rows:
        for column, cell in enumerate(row):
            if column in amount_columns and _is_amount(cell):
                continue
            assert not cell.startswith(FORMULA_STARTS), (column, cell, row)


def _is_amount(cell: str) -> bool:
    return re.fullmatch(r"-?[0-9]+[.,][0-9]{2}", cell) is not None


def guarded(value: str) -> str:
    return f"'{value}"


def client_speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return logged_in(user)


@pytest.fixture
def hostile(customer, organisation, admin):
    """Per hostile value: a person with it as first and last name, business-card title and in
    the e-mail address, a function named with it (Dutch and English), access of both kinds
    and a security/privacy contact in an organisation named with it. The billing address and
    the customer carry hostile values too, though no export writes them today."""
    customer.name = HOSTILE[0]
    customer.save()
    BillingAddressFactory(
        organisation=organisation,
        **{field: HOSTILE[2] for field in ("attention", "organisation_name", "street", "city")},
    )
    people = []
    for position, value in enumerate(HOSTILE):
        function = JobFunctionFactory(name_nl=value, name_en=f"{value} (en)")
        user = UserFactory(
            customer=customer,
            first_name=value,
            last_name=value,
            # an address holds printable ASCII only (accounts/emails.py): the formula stays
            email=f"{re.sub(r'[^!-~]', '', value)}{position}@rodelente.example",
            job_title=value,
            job_function=function,
        )
        MembershipFactory(organisation=organisation, user=user, security_contact=True)
        SupportMembershipFactory(organisation=organisation, user=user)
        named = OrganisationFactory(customer=customer, name=value)
        MembershipFactory(organisation=named, user=user, security_contact=True)
        people.append(user)
    return people


@pytest.mark.parametrize("language", ["nl", "en"])
@walks("users.exports.user_list_csv")
def test_the_users_export_neutralises_every_free_text_field(language, admin, hostile):
    rows = read_csv(client_speaking(admin, language).get(reverse("users:export_csv")))
    assert_no_formula(rows)
    body = rows[1:]
    for value, user in zip(HOSTILE, hostile, strict=True):
        mine = [row for row in body if row[3] == guarded(user.email)]  # stored in lower case
        assert len(mine) == 2  # Mijn organisatie and Mijn support
        function = value if language == "nl" else f"{value} (en)"
        for row in mine:
            assert row[1:4] == [guarded(value), guarded(value), guarded(user.email)]
            assert row[5:7] == [guarded(function), guarded(value)]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("model", ["customer", "organisation"])
@walks("users.exports.security_contacts_csv")
def test_the_security_contacts_export_neutralises_every_free_text_field(
    language, model, staff, customer, hostile
):
    selected = (
        customer.pk
        if model == "customer"
        else list(Organisation.objects.filter(customer=customer).values_list("pk", flat=True))
    )
    response = client_speaking(staff, language).post(
        reverse(f"admin:accounts_{model}_changelist"),
        {"action": "export_security_contacts", "_selected_action": selected},
    )
    rows = read_csv(response)
    assert_no_formula(rows)
    body = rows[1:]
    for value, user in zip(HOSTILE, hostile, strict=True):
        email = guarded(user.email)
        mine = sorted(row[4] for row in body if row[1] == email)
        assert mine == sorted([guarded(value), "Rode Lente"])
        assert {row[0] for row in body if row[1] == email} == {guarded(user.get_full_name())}


@pytest.mark.parametrize("language", ["nl", "en"])
@walks("audit.exports.audit_event_csv")
def test_the_activity_export_neutralises_every_free_text_field(
    language, admin, organisation, hostile
):
    """Names, addresses, the target and the changed values arrive in the sentence."""
    for value, user in zip(HOSTILE, hostile, strict=True):
        audit_record(
            action="contact.changed",
            actor=user,
            organisation=organisation,
            target=user,
            before={"job_title": value},
            after={"job_title": f"{value} 2"},
        )
    rows = read_csv(client_speaking(admin, language).get(reverse("audit:export_csv")))
    assert_no_formula(rows)
    body = rows[1:]
    assert len(body) == len(HOSTILE)
    for value, user in zip(HOSTILE, hostile, strict=True):
        (row,) = [row for row in body if row[3] == guarded(user.email)]
        name = user.get_full_name()  # the actor's name as it was recorded
        assert row[2] == guarded(name)
        assert row[5].startswith(guarded(name))
        assert f"{value} 2" in row[5]


@pytest.mark.parametrize(("language", "minus_twelve_fifty"), [("nl", "-12,50"), ("en", "-12.50")])
@walks("invoices.exports.invoice_list_csv")
def test_the_invoices_export_keeps_negative_amounts_numbers(
    language, minus_twelve_fifty, viewer, organisation, hostile
):
    corrected = InvoiceFactory(organisation=organisation, number="F2026-00001")
    CreditInvoiceFactory(
        organisation=organisation,
        number="C2026-00002",
        corrects=corrected,
        amount_excl_vat=Decimal("10.33"),
    )
    client = client_speaking(viewer, language)
    rows = read_csv(client.get(reverse("invoices:export_csv")))
    assert_no_formula(rows, amount_columns=frozenset({4, 5}))
    credit = next(row for row in rows if row[0] == "C2026-00002")
    assert credit[4] == minus_twelve_fifty
    for value in HOSTILE:  # the search term is not written into the file
        searched = read_csv(client.get(reverse("invoices:export_csv"), {"q": value}))
        assert_no_formula(searched, amount_columns=frozenset({4, 5}))
        assert all(value not in cell for row in searched for cell in row)


def _app_modules() -> list[Path]:
    """The portal's own Python modules (every local app), migrations left out."""
    base = Path(settings.BASE_DIR)
    roots = {Path(config.path) for config in apps.get_app_configs()}
    roots = {
        root
        for root in roots
        if base in root.parents  # the portal's apps, not installed packages (.venv)
        and not any(part.startswith(".") for part in root.relative_to(base).parts)
    }
    roots.add(base / "portal")
    assert {root.name for root in roots} >= {"accounts", "invoices", "users", "portal"}
    return [
        path
        for root in sorted(roots)
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _calls(tree: ast.AST, name: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called == name:
                yield node


def test_every_csv_export_is_walked():
    """Every function that builds a CSV download goes through ``csv_response`` and is walked
    above with hostile values; no module writes CSV by itself."""
    base = Path(settings.BASE_DIR)
    builders = set()
    for path in _app_modules():
        module = ".".join(path.relative_to(base).with_suffix("").parts)
        source = path.read_text()
        tree = ast.parse(source)
        if module == "core.csv_export":
            continue
        assert not list(_calls(tree, "writer")), f"{module} writes CSV without csv_response"
        assert not list(_calls(tree, "DictWriter")), f"{module} writes CSV without csv_response"
        assert "text/csv" not in source, f"{module} answers CSV without csv_response"
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef) and list(_calls(function, "csv_response")):
                builders.add(f"{module}.{function.name}")
    assert builders == set(WALKS), "walk every new CSV export in tests/test_exports.py"
