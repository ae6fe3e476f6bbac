"""The stored ledger: kept by the services, published on time, equal to the SQL reference."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from invoices.ledger import ledger_publish_due, ledger_refresh
from invoices.models import Invoice, Payment
from invoices.reference import ledger_drift, reference_open_balance
from invoices.selectors import invoice_balance_summary
from invoices.services import invoice_create, payment_link, payment_statement_import
from invoices.visibility import AMSTERDAM
from tests.invoices.factories import InvoiceFactory, PaymentFactory

pytestmark = pytest.mark.django_db
LIST = reverse("invoices:list")


class Rollback(Exception):
    """Ends one hypothesis example without leaving its rows behind."""


def _new_invoice(organisation, number, kind, excl, day, corrects=None) -> Invoice:
    # No VAT: SQLite checks "amounts add up" in floating point, and VAT is not what is tested.
    vat = Decimal("0.00")
    return invoice_create(
        invoice=Invoice(
            organisation=organisation,
            number=number,
            kind=kind,
            invoice_date=day,
            due_date=day + timedelta(days=14),
            amount_excl_vat=excl,
            vat_amount=vat,
            amount_incl_vat=excl + vat,
            corrects=corrects,
        )
    )


def _csv(booked: date, amount: Decimal, reference: str, remittance: str) -> bytes:
    return (
        f"date;amount;reference;remittance\n{booked};{amount};{reference};{remittance}\n".encode()
    )


MONEY = st.decimals(min_value=0, max_value=2000, places=2, allow_nan=False, allow_infinity=False)
SIGNED = st.decimals(min_value=-500, max_value=2500, places=2, allow_nan=False)
TARGET = st.integers(min_value=0, max_value=30)
STEP = st.one_of(
    st.tuples(st.just("invoice"), MONEY),
    st.tuples(st.just("credit"), MONEY, TARGET),
    st.tuples(st.just("correction"), MONEY, TARGET),
    # A bank entry naming an invoice: partial, over, negative (a chargeback), booked some days
    # back, so it counts now, later today or on a later working day.
    st.tuples(st.just("pay"), SIGNED, TARGET, st.integers(min_value=0, max_value=6)),
    # An entry naming no invoice, linked by staff afterwards.
    st.tuples(st.just("link"), SIGNED, TARGET, st.integers(min_value=0, max_value=6)),
    # A payment in another currency on an invoice (legacy data): never counts.
    st.tuples(st.just("dollars"), SIGNED, TARGET),
    st.tuples(st.just("wait"), st.integers(min_value=1, max_value=80)),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=1, max_size=14))
def test_the_stored_ledger_equals_the_reference_over_random_histories(organisation, steps):
    start = datetime(2026, 4, 22, 9, 0, tzinfo=AMSTERDAM)  # a week with King's Day in it
    try:
        with time_machine.travel(start, tick=False) as clock, transaction.atomic():
            invoices: list[Invoice] = []
            for position, step in enumerate(steps):
                now = datetime.now(tz=AMSTERDAM)
                kind = step[0]
                if kind == "wait":
                    clock.shift(timedelta(hours=step[1]))
                elif kind == "invoice" or (kind in ("credit", "correction") and not invoices):
                    invoices.append(
                        _new_invoice(organisation, f"H{position}", "invoice", step[1], now.date())
                    )
                elif kind in ("credit", "correction"):
                    corrects = invoices[step[2] % len(invoices)]
                    invoices.append(
                        _new_invoice(
                            organisation, f"H{position}", kind, step[1], now.date(), corrects
                        )
                    )
                elif not invoices:
                    continue
                elif kind == "pay":
                    target = invoices[step[2] % len(invoices)]
                    booked = now.date() - timedelta(days=step[3])
                    content = _csv(booked, step[1], f"P{position}", f"Factuur {target.number}")
                    payment_statement_import(file_name=f"p{position}.csv", content=content)
                elif kind == "link":
                    target = invoices[step[2] % len(invoices)]
                    booked = now.date() - timedelta(days=step[3])
                    content = _csv(booked, abs(step[1]), f"L{position}", "no number")
                    payment_statement_import(file_name=f"l{position}.csv", content=content)
                    payment_link(
                        payments=list(Payment.objects.filter(bank_reference=f"L{position}")),
                        invoice=target,
                    )
                elif kind == "dollars":
                    target = invoices[step[2] % len(invoices)]
                    Payment.objects.create(
                        bank_reference=f"USD{position}",
                        booking_date=now.date() - timedelta(days=3),
                        amount=step[1],
                        currency="USD",
                        invoice=target,
                        visible_from=now - timedelta(hours=1),
                    )
                    ledger_refresh(invoice_ids=[target.pk])
                # What every read does first; then the stored ledger is the reference's.
                ledger_publish_due(organisation=organisation)
                assert (
                    ledger_drift(invoices=Invoice.objects.filter(organisation=organisation)) == []
                )
                assert invoice_balance_summary(
                    organisation=organisation
                ).open_balance == reference_open_balance(organisation=organisation)
            raise Rollback
    except Rollback:
        pass


def _status(client, number: str) -> str:
    """The status badge of the invoice's row, as the (Dutch) page shows it."""
    response = client.get(LIST, {"q": number})
    assert response.status_code == HTTPStatus.OK
    [badge] = re.findall(
        r'<span class="badge [^"]+">([^<]+)</span></td>', response.content.decode()
    )
    return badge


def test_a_payment_reaches_the_list_at_10_30_after_a_weekend_and_a_public_holiday(
    viewer_client, organisation
):
    """Booked on Friday 24 April 2026; Monday 27 April is King's Day: it counts from Tuesday
    28 April 10:30 Amsterdam time, without anyone doing anything but opening the list."""
    invoice = InvoiceFactory(organisation=organisation, due_date=date(2026, 5, 31))
    with time_machine.travel(datetime(2026, 4, 24, 16, 0, tzinfo=AMSTERDAM), tick=False) as clock:
        payment_statement_import(
            file_name="friday.csv",
            content=_csv(date(2026, 4, 24), invoice.amount_incl_vat, "FRI-1", invoice.number),
        )
        invoice.refresh_from_db()
        assert invoice.ledger_due_at == datetime(2026, 4, 28, 10, 30, tzinfo=AMSTERDAM)
        assert _status(viewer_client, invoice.number) == "Open"
        for moment in (
            datetime(2026, 4, 25, 12, 0),  # Saturday
            datetime(2026, 4, 27, 10, 30),  # King's Day, 10:30
            datetime(2026, 4, 28, 10, 29, 59),  # Tuesday, a second early
        ):
            clock.move_to(moment.replace(tzinfo=AMSTERDAM))
            assert _status(viewer_client, invoice.number) == "Open"
        clock.move_to(datetime(2026, 4, 28, 10, 30, tzinfo=AMSTERDAM))
        assert _status(viewer_client, invoice.number) == "Betaald"
        invoice.refresh_from_db()
        assert (invoice.ledger_paid, invoice.ledger_open, invoice.ledger_due_at) == (
            Decimal("121.00"),
            Decimal("0.00"),
            None,
        )
        assert response_balance(viewer_client) == "€&nbsp;0,00"


def response_balance(client) -> str:
    content = client.get(LIST).content.decode()
    marker = 'data-testid="open-balance">'
    return content.split(marker, 1)[1].split("<", 1)[0]


def test_publishing_is_one_indexed_query_when_nothing_came_due(organisation):
    PaymentFactory(invoice=InvoiceFactory(organisation=organisation))
    with CaptureQueriesContext(connection) as queries:
        assert ledger_publish_due(organisation=organisation) == 0
    assert len(queries) == 1


def test_a_payment_becoming_visible_updates_the_credits_of_its_invoice(organisation):
    """The credit's set-off depends on what its invoice's payments leave open."""
    invoice = InvoiceFactory(organisation=organisation)
    credit = _new_invoice(
        organisation, "C1", "credit", Decimal("10.00"), date(2026, 3, 5), corrects=invoice
    )
    credit.refresh_from_db()
    assert credit.ledger_state == "settled"
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=AMSTERDAM), tick=False) as c:
        payment_statement_import(
            file_name="x.csv", content=_csv(date(2026, 3, 10), Decimal("121.00"), "X1", "F")
        )
        payment_link(payments=list(Payment.objects.filter(bank_reference="X1")), invoice=invoice)
        c.move_to(datetime(2026, 3, 11, 10, 30, tzinfo=AMSTERDAM))
        ledger_publish_due(organisation=organisation)
        credit.refresh_from_db()
        # Paid in full before the credit is set off: the credit is owed to the customer.
        assert (credit.ledger_set_off, credit.ledger_open, credit.ledger_state) == (
            Decimal("0.00"),
            Decimal("-10.00"),
            "open",
        )
        assert ledger_drift() == []


CAMT_RETURN = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt><Stmt><Id>S1</Id>
    <Ntry>
      <Amt Ccy="EUR">121.00</Amt>
      <CdtDbtInd>DBIT</CdtDbtInd>
      {reversal}
      <Sts><Cd>BOOK</Cd></Sts>
      <BookgDt><Dt>2026-03-16</Dt></BookgDt>
      <AcctSvcrRef>{reference}</AcctSvcrRef>
      <NtryDtls><TxDtls>
        <Refs><EndToEndId>{number}</EndToEndId><MndtId>MANDATE-7</MndtId></Refs>
        <Amt Ccy="EUR">121.00</Amt>
        <RltdPties><Cdtr><Pty><Nm>Rode Lente B.V.</Nm></Pty></Cdtr></RltdPties>
        {return_info}
      </TxDtls></NtryDtls>
    </Ntry>
  </Stmt></BkToCstmrStmt>
</Document>"""


@pytest.mark.parametrize(
    ("reversal", "return_info"),
    [
        ("", "<RtrInf><Rsn><Cd>MD06</Cd></Rsn></RtrInf>"),  # a returned direct debit
        ("<RvslInd>true</RvslInd>", ""),  # a chargeback booked as a reversal
    ],
)
def test_a_returned_direct_debit_in_camt_reopens_the_invoice(organisation, reversal, return_info):
    invoice = InvoiceFactory(organisation=organisation, due_date=date(2026, 3, 31))
    PaymentFactory(invoice=invoice, amount=Decimal("121.00"), booking_date=date(2026, 3, 10))
    invoice.refresh_from_db()
    assert invoice.ledger_state == "paid"
    content = CAMT_RETURN.format(
        reversal=reversal, reference="RET-1", number=invoice.number, return_info=return_info
    )
    with time_machine.travel(datetime(2026, 3, 16, 18, 0, tzinfo=AMSTERDAM), tick=False) as c:
        result = payment_statement_import(file_name="return.xml", content=content.encode())
        assert (result.added, result.matched, result.skipped_outgoing) == (1, 1, 0)
        returned = Payment.objects.get(bank_reference="RET-1")
        assert returned.amount == Decimal("-121.00")
        assert returned.invoice == invoice
        c.move_to(datetime(2026, 3, 17, 10, 30, tzinfo=AMSTERDAM))
        ledger_publish_due()
    invoice.refresh_from_db()
    assert (invoice.ledger_paid, invoice.ledger_open, invoice.ledger_state) == (
        Decimal("0.00"),
        Decimal("121.00"),
        "open",
    )
    assert ledger_drift(now=datetime(2026, 3, 17, 10, 30, tzinfo=AMSTERDAM)) == []


def test_a_negative_csv_entry_naming_an_invoice_reopens_it_and_others_are_skipped(organisation):
    invoice = InvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=invoice, amount=Decimal("121.00"), booking_date=date(2026, 3, 10))
    content = (
        "date;amount;reference;remittance\n"
        f"2026-03-16;-121,00;CB-1;Chargeback {invoice.number}\n"
        "2026-03-16;-50,00;OUT-1;Office rent\n"
    ).encode()
    with time_machine.travel(datetime(2026, 3, 18, 12, 0, tzinfo=AMSTERDAM), tick=False):
        result = payment_statement_import(file_name="cb.csv", content=content)
    assert (result.added, result.matched, result.skipped_outgoing) == (1, 1, 1)
    invoice.refresh_from_db()
    assert (invoice.ledger_open, invoice.ledger_state) == (Decimal("121.00"), "open")


def test_ledger_check_reports_drift_per_organisation_and_repairs_it(
    organisation, other_organisation, capsys
):
    invoice = InvoiceFactory(organisation=organisation)
    PaymentFactory(invoice=invoice, amount=Decimal("50.00"))
    InvoiceFactory(organisation=other_organisation)
    Invoice.objects.filter(pk=invoice.pk).update(ledger_open=Decimal("5.00"), ledger_state="paid")
    with pytest.raises(SystemExit):
        call_command("ledger_check")
    out = capsys.readouterr().out
    assert f"{organisation.debtor_number}: 1 invoice(s) drifted" in out
    assert f"{invoice.number} ledger_open: stored 5.00, computed 71.00" in out
    assert other_organisation.debtor_number not in out
    call_command("ledger_check", "--repair")
    assert "The stored ledger equals the reference." in capsys.readouterr().out
    invoice.refresh_from_db()
    assert (invoice.ledger_open, invoice.ledger_state) == (Decimal("71.00"), "open")
    call_command("ledger_check")
    assert "The stored ledger equals the reference." in capsys.readouterr().out


def test_a_large_refresh_writes_every_figure(organisation):
    """Many rows at once (a migration, a repair) take another write path on PostgreSQL."""
    invoices = Invoice.objects.bulk_create(
        Invoice(
            organisation=organisation,
            number=f"BULK{n:03d}",
            invoice_date=date(2026, 3, 2),
            due_date=date(2026, 3, 16),
            amount_excl_vat=Decimal("100.00"),
            vat_amount=Decimal("0.00"),
            amount_incl_vat=Decimal("100.00"),
            billing_organisation_name="x",
        )
        for n in range(80)
    )
    Payment.objects.bulk_create(
        Payment(
            bank_reference=f"BULKP{n}",
            booking_date=date(2026, 3, 3),
            amount=Decimal(n),
            invoice=invoice,
            visible_from=datetime(2026, 3, 4, 10, 30, tzinfo=AMSTERDAM) + timedelta(days=n % 3),
        )
        for n, invoice in enumerate(invoices)
    )
    now = datetime(2026, 3, 5, 12, 0, tzinfo=AMSTERDAM)
    assert ledger_refresh(invoice_ids=[i.pk for i in invoices], now=now) == 80
    assert ledger_drift(now=now) == []
    assert Invoice.objects.get(number="BULK005").ledger_due_at == datetime(
        2026, 3, 6, 10, 30, tzinfo=AMSTERDAM
    )


@pytest.mark.django_db
def test_the_figures_are_the_same_with_the_historical_models_of_a_migration(organisation):
    """Migration invoices/0005 fills the ledger with ``figures_compute`` and its historical
    models, which have no ``Invoice.Kind``: a credit among the invoices must not stop it."""
    from django.db.migrations.loader import MigrationLoader

    from invoices.ledger import figures_compute
    from tests.invoices.factories import CreditInvoiceFactory

    invoice = InvoiceFactory(organisation=organisation)
    credit = CreditInvoiceFactory(organisation=organisation, corrects=invoice)
    PaymentFactory(invoice=invoice, amount=Decimal("60.50"), booking_date=date(2026, 3, 10))
    PaymentFactory(invoice=invoice, amount=Decimal("10.00"), booking_date=date(2026, 9, 1))
    ids, now = [invoice.pk, credit.pk], datetime(2026, 6, 1, tzinfo=AMSTERDAM)
    historical = MigrationLoader(None, ignore_no_migrations=True).project_state().apps
    figures = figures_compute(
        ids=ids,
        now=now,
        invoice_model=historical.get_model("invoices", "Invoice"),
        payment_model=historical.get_model("invoices", "Payment"),
    )
    assert figures == figures_compute(ids=ids, now=now)
    assert figures[credit.pk].set_off == Decimal("60.50")
    assert figures[invoice.pk].due_at is not None
