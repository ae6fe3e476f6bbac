"""The debtor number's character set (issue 15, item 7): letters A-Z and a-z, digits, ``.``,
``_`` and ``-``, starting with a letter or a digit. Held by the model's validator (admin, the
invoice import), by a database check on SQLite and PostgreSQL alike, and by migration
``accounts/0009``, which reports existing bad values instead of changing them."""

from __future__ import annotations

import json
import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Customer, Organisation
from accounts.validators import debtor_number_is_valid, validate_debtor_number
from invoices.invoice_import import InvoiceImportError, invoice_batch_import
from invoices.models import Invoice
from tests.accounts.factories import OrganisationFactory
from tests.conftest import logged_in
from tests.invoices.factories import InvoiceFactory, pdf_bytes

pytestmark = pytest.mark.django_db

RULE_NL = (
    "Gebruik alleen letters A-Z, cijfers, punten, koppeltekens en liggende streepjes, en "
    "begin met een letter of een cijfer."
)
# What the demo, the bench, the tests and billing systems use.
VALID = ["100001", "200007", "B00001", "BENCH100", "BHUGE", "D-1", "DEB.2026_01", "k1"]
INVALID = [
    "",
    '10"; x=1',
    "1000\n02",
    "1000\n",  # a line break at the end: the pitfall of ``$`` in Python's re
    "10\r",
    "-7",
    ".7",
    "_7",
    "10 01",
    "10/01",
    "10;01",
    "é1",
    "１２",  # full-width digits
    "1\t",
    "1\x00",
]
VALID_TEXT = st.from_regex(re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,19}\Z"))


def _nul_allowed() -> bool:
    return connection.vendor != "postgresql"  # PostgreSQL refuses NUL in any text


def stored(organisation: Organisation, value: str) -> bool:
    """Whether the database takes ``value`` as the organisation's debtor number."""
    try:
        with transaction.atomic():
            Organisation.objects.filter(pk=organisation.pk).update(debtor_number=value)
    except IntegrityError:
        return False
    return True


@pytest.mark.parametrize("value", VALID)
def test_real_debtor_numbers_are_valid(value, organisation):
    validate_debtor_number(value)
    assert stored(organisation, value)


@pytest.mark.parametrize("value", INVALID)
def test_the_validator_refuses_with_the_rule(value):
    with pytest.raises(ValidationError) as refused:
        validate_debtor_number(value)
    assert refused.value.messages == [RULE_NL]


@pytest.mark.parametrize("value", INVALID)
def test_the_database_refuses_what_the_validator_refuses(value, organisation):
    if "\x00" in value and not _nul_allowed():
        pytest.skip("PostgreSQL refuses NUL before any check")
    assert not stored(organisation, value)
    organisation.refresh_from_db()
    assert organisation.debtor_number != value


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=st.one_of(VALID_TEXT, st.text(max_size=20)))
def test_the_database_check_is_the_validators_rule(organisation, value):
    if "\x00" in value and not _nul_allowed():
        return
    assert stored(organisation, value) == debtor_number_is_valid(value)


# --- admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ['10"; x=1', "1000\n02", "-7"])
def test_admin_refuses_a_bad_debtor_number_with_the_rule(staff, customer, value):
    response = logged_in(staff).post(
        reverse("admin:accounts_organisation_add"),
        {"customer": customer.pk, "name": "Nieuw", "debtor_number": value},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors == {"debtor_number": [RULE_NL]}
    assert not Organisation.objects.filter(name="Nieuw").exists()


def test_admin_refuses_it_in_the_customers_organisations_too(staff, customer, organisation):
    response = logged_in(staff).post(
        reverse("admin:accounts_customer_change", args=[customer.pk]),
        {
            "name": customer.name,
            "csm_email": customer.csm_email,
            "organisations-TOTAL_FORMS": "1",
            "organisations-INITIAL_FORMS": "1",
            "organisations-0-id": organisation.pk,
            "organisations-0-customer": customer.pk,
            "organisations-0-name": organisation.name,
            "organisations-0-debtor_number": "10 01",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["inline_admin_formsets"][0].formset.errors == [
        {"debtor_number": [RULE_NL]}
    ]
    organisation.refresh_from_db()
    assert organisation.debtor_number != "10 01"


def test_admin_shows_the_rule_beside_the_field(staff):
    response = logged_in(staff).get(reverse("admin:accounts_organisation_add"))
    assert (
        "Letters A-Z, cijfers, punten, koppeltekens en liggende streepjes; begint met een "
        "letter of een cijfer." in response.content.decode()
    )


# --- the invoice import -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"), [('10"; x=1', "'10\"; x=1'"), ("1000\n02", "'1000\\n02'")]
)
def test_the_invoice_import_refuses_a_bad_debtor_number_with_the_rule(
    tmp_path, organisation, value, shown
):
    row = {
        "number": "F2026-00001",
        "debtor_number": value,
        "kind": "invoice",
        "invoice_date": "2026-03-01",
        "due_date": "2026-03-31",
        "amount_excl_vat": "100.00",
        "vat_amount": "21.00",
        "amount_incl_vat": "121.00",
        "file": "F2026-00001.pdf",
    }
    (tmp_path / "invoices.json").write_text(json.dumps([row]))
    (tmp_path / "F2026-00001.pdf").write_bytes(pdf_bytes("F2026-00001"))
    with pytest.raises(InvoiceImportError) as refused:
        invoice_batch_import(directory=tmp_path)
    assert refused.value.problems == [
        f"invoices.json #1: debiteurnummer {shown} is ongeldig. {RULE_NL}"
    ]
    assert not Invoice.objects.exists()


# --- the migration ----------------------------------------------------------------------------

BEFORE = "0008_user_email_canonical"


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_migration_reports_bad_debtor_numbers_and_changes_nothing():
    triggers = _triggers()
    assert {"accounts_organisation_customer_keeps_memberships"} <= triggers
    call_command("migrate", "accounts", BEFORE, verbosity=0)
    try:
        customer = Customer.objects.create(name="Rode Lente", csm_email="csm@vendor.example")
        values = {"Rode Lente": '10"; x=1', "Services": "1000\n02", "Leeg": "", "Min": "-7"}
        bad = {
            name: Organisation.objects.create(customer=customer, name=name, debtor_number=value)
            for name, value in values.items()
        }
        Organisation.objects.create(customer=customer, name="Goed", debtor_number="100001")

        with pytest.raises(CommandError) as refused:
            call_command("migrate", "accounts", verbosity=0)
        report = str(refused.value)
        assert report.startswith(
            "4 organisations have a debtor number outside the allowed characters"
        )
        for line in [
            f"pk {bad['Rode Lente'].pk}, 'Rode Lente': '10\"; x=1' contains '\"' "
            "(QUOTATION MARK), ';' (SEMICOLON), ' ' (SPACE), '=' (EQUALS SIGN)",
            f"pk {bad['Services'].pk}, 'Services': '1000\\n02' contains '\\n' (U+000A)",
            f"pk {bad['Leeg'].pk}, 'Leeg': '' is empty",
            f"pk {bad['Min'].pk}, 'Min': '-7' starts with '-'",
        ]:
            assert f"\n  {line}\n" in f"{report}\n"
        assert "Goed" not in report
        assert dict(Organisation.objects.values_list("name", "debtor_number")) == {
            **values,
            "Goed": "100001",
        }

        # What staff do (docs/accounts.md, "Debtor numbers"): correct each, then migrate again.
        for number, organisation in enumerate(bad.values(), start=1):
            organisation.debtor_number = f"300{number:03d}"
            organisation.full_clean()
            organisation.save()
        call_command("migrate", "accounts", verbosity=0)
        assert not stored(bad["Min"], "-7")
    finally:
        Organisation.objects.all().delete()
        Customer.objects.all().delete()
        call_command("migrate", verbosity=0)
    assert _triggers() == triggers
    organisation = OrganisationFactory()
    InvoiceFactory(organisation=organisation)  # the invoice count triggers still count
    organisation.refresh_from_db()
    assert organisation.invoice_count == 1
