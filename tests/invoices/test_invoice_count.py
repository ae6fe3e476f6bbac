"""The organisation's stored invoice count: kept by database triggers whichever way an invoice
arrives, leaves or moves, and checked and repaired by ``manage.py ledger_check``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import import_module

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import Organisation
from invoices.ledger import ledger_refresh
from invoices.models import Invoice
from invoices.services import invoice_create
from tests.invoices.factories import CreditInvoiceFactory, InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL-only trigger or statistic"
)
migration = import_module("invoices.migrations.0007_invoice_count_triggers")


def stored(*organisations: Organisation) -> list[int]:
    """The counts as stored now, read from the database (not the instances in memory)."""
    counts = dict(
        Organisation.objects.filter(pk__in=[o.pk for o in organisations]).values_list(
            "pk", "invoice_count"
        )
    )
    return [counts[o.pk] for o in organisations]


def fields(organisation: Organisation, number: str) -> dict:
    return {
        "organisation": organisation,
        "number": number,
        "invoice_date": date(2026, 3, 2),
        "due_date": date(2026, 4, 1),
        "amount_excl_vat": Decimal("100.00"),
        "vat_amount": Decimal("21.00"),
        "amount_incl_vat": Decimal("121.00"),
        "billing_organisation_name": organisation.name,
    }


def execute(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_new_organisation_has_no_invoices(organisation):
    assert organisation.invoice_count == 0
    assert stored(organisation) == [0]


def test_created_invoices_are_counted_per_organisation(
    organisation, second_organisation, other_organisation
):
    Invoice.objects.create(**fields(organisation, "C-1"))
    invoice_create(invoice=Invoice(**fields(organisation, "C-2")))
    CreditInvoiceFactory(organisation=second_organisation)  # and the invoice it corrects
    assert stored(organisation, second_organisation, other_organisation) == [2, 2, 0]


def test_one_bulk_insert_over_two_organisations_counts_each(organisation, other_organisation):
    InvoiceFactory(organisation=organisation)
    Invoice.objects.bulk_create(
        [Invoice(**fields(organisation, f"B-{n:04d}")) for n in range(300)]
        + [Invoice(**fields(other_organisation, f"O-{n:04d}")) for n in range(120)]
    )
    assert stored(organisation, other_organisation) == [301, 120]


@postgresql_only
def test_a_bulk_insert_updates_each_organisation_once_on_postgresql(
    organisation, other_organisation
):
    """A statement-level trigger: 1,000 invoices of two organisations in one INSERT are two
    counter updates, not 1,000 (this transaction's own statistics say how many)."""

    def organisation_updates() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_stat_get_xact_tuples_updated('accounts_organisation'::regclass)"
            )
            return cursor.fetchone()[0]

    before = organisation_updates()
    Invoice.objects.bulk_create(
        [Invoice(**fields(organisation, f"B-{n:04d}")) for n in range(600)]
        + [Invoice(**fields(other_organisation, f"O-{n:04d}")) for n in range(400)]
    )
    assert organisation_updates() - before == 2
    assert stored(organisation, other_organisation) == [600, 400]


def test_a_deleted_invoice_is_no_longer_counted(organisation, other_organisation):
    # The ORM refuses to delete an invoice; SQL can, and the count follows.
    kept, deleted, also_deleted = (InvoiceFactory(organisation=organisation) for _ in range(3))
    InvoiceFactory(organisation=other_organisation)
    execute("DELETE FROM invoices_invoice WHERE id IN (%s, %s)", [deleted.pk, also_deleted.pk])
    assert stored(organisation, other_organisation) == [1, 1]
    assert Invoice.objects.filter(organisation=organisation).get() == kept


def test_an_invoice_moved_to_another_organisation_is_counted_there(
    organisation, second_organisation
):
    moved, stays, also_moved = (InvoiceFactory(organisation=organisation) for _ in range(3))
    Invoice.objects.filter(pk=moved.pk).update(organisation=second_organisation)
    assert stored(organisation, second_organisation) == [2, 1]
    Invoice.objects.filter(pk__in=[stays.pk, also_moved.pk]).update(
        organisation=second_organisation
    )
    assert stored(organisation, second_organisation) == [0, 3]
    # Written again to the organisation it has: nothing moves.
    Invoice.objects.filter(organisation=second_organisation).update(
        organisation=second_organisation
    )
    assert stored(organisation, second_organisation) == [0, 3]


def test_other_changes_to_invoices_leave_the_count_alone(organisation):
    invoice = InvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=invoice, amount=Decimal("50.00"))
    ledger_refresh(invoice_ids=[invoice.pk])
    Invoice.objects.filter(pk=invoice.pk).update(number="RENAMED-1")
    assert stored(organisation) == [1]


@postgresql_only
def test_a_truncated_invoice_table_counts_nothing(organisation, other_organisation):
    InvoiceFactory(organisation=organisation)
    InvoiceFactory(organisation=other_organisation)
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction holds deferred checks
    execute("TRUNCATE invoices_invoice CASCADE")
    assert stored(organisation, other_organisation) == [0, 0]


def test_saving_an_organisation_read_earlier_keeps_the_count(organisation):
    """The instance in memory says 0; an invoice arrives; a save of the name must not write
    the 0 back over the triggers' 1."""
    InvoiceFactory(organisation=organisation)
    organisation.name = "Rode Lente B.V."
    organisation.save()
    assert stored(organisation) == [1]
    assert Organisation.objects.get(pk=organisation.pk).name == "Rode Lente B.V."


def test_the_migration_fills_the_count_of_existing_invoices(organisation, other_organisation):
    for _ in range(3):
        InvoiceFactory(organisation=organisation)
    execute("UPDATE accounts_organisation SET invoice_count = 7")
    execute(migration.FILL)
    assert stored(organisation, other_organisation) == [3, 0]


def test_ledger_check_reports_and_repairs_a_drifted_count(
    organisation, second_organisation, other_organisation, capsys
):
    for _ in range(2):
        InvoiceFactory(organisation=organisation)
    InvoiceFactory(organisation=second_organisation)
    execute("UPDATE accounts_organisation SET invoice_count = 5 WHERE id = %s", [organisation.pk])
    execute(
        "UPDATE accounts_organisation SET invoice_count = 0 WHERE id = %s",
        [second_organisation.pk],
    )
    with pytest.raises(SystemExit):
        call_command("ledger_check")
    out = capsys.readouterr().out
    assert f"{organisation.debtor_number}: stored invoice count 5, counted 2\n" in out
    assert f"{second_organisation.debtor_number}: stored invoice count 0, counted 1\n" in out
    assert other_organisation.debtor_number not in out

    with pytest.raises(SystemExit):
        call_command("ledger_check", "--organisation", second_organisation.debtor_number)
    assert organisation.debtor_number not in capsys.readouterr().out

    call_command("ledger_check", "--repair")
    out = capsys.readouterr().out
    assert "Repaired: 2 invoice count(s) recounted." in out
    assert out.endswith("The stored ledger equals the reference.\n")
    assert stored(organisation, second_organisation, other_organisation) == [2, 1, 0]
    call_command("ledger_check")
    assert capsys.readouterr().out == "The stored ledger equals the reference.\n"
