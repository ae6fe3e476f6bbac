"""The values of an invoice's own page (``/invoices/<number>/``): its fields, the billing
address as printed on it, the credit and correction invoices related to it both ways, and
the lines from its amount to its open amount.

The markup is ``templates/invoices/invoice_detail.html``. As for the rows of *Facturen*
(``invoices/rows.py``), every value is text in the active language, formatted once here with
``core.formatters``; the template only writes it.

The lines add up: the invoice's signed amount plus every line's ``value`` is its stored open
amount (``ledger_open``), because each line is one term of the ledger's own sum
(``invoices/ledger.py``): a visible payment counts with its sign (a returned direct debit or a
chargeback is a negative payment, a refund of a credit too), a credit invoice's share of the
set-off counts on both sides (``ledger_set_off``). tests/invoices/test_detail.py holds the sum
equal to the stored figure over random histories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext
from django_countries import countries

from core.formatters import TemplateRow, date_formatter, money_formatter, url_maker
from core.phones import phone_display
from invoices.models import Invoice, Payment


@dataclass(frozen=True, slots=True)
class RelatedInvoice(TemplateRow):
    """A credit or correction invoice of this one, or the invoice this one corrects."""

    number: str
    url: str
    kind: str
    # How it relates to the invoice of the page, e.g. "Corrects this invoice".
    relation: str
    invoice_date: str
    total: str
    status: str
    badge: str


@dataclass(frozen=True, slots=True)
class LedgerLine(TemplateRow):
    """One step from the invoice's amount to its open amount."""

    date: str
    description: str
    # The bank's reference of a payment, or the number of the invoice set off (``url``).
    reference: str
    url: str
    # What the line adds to the open amount, signed ("+" shown for an increase).
    amount: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class InvoiceDetail(TemplateRow):
    """An invoice as its page shows it, every value text in the active language."""

    number: str
    # "Factuur", "Creditfactuur", "Correctiefactuur": the page's title is kind and number.
    kind: str
    status: str
    badge: str
    invoice_date: str
    due_date: str
    # The document's amounts, signed (a credit invoice negative), without the €.
    amount_excl_vat: str
    vat_amount: str
    total: str
    open: str
    # The billing address copied onto the invoice when it was made (R11), line by line.
    address: tuple[str, ...]
    address_email: str
    address_phone: str
    download_url: str
    corrects: RelatedInvoice | None
    corrections: tuple[RelatedInvoice, ...]
    lines: tuple[LedgerLine, ...]


class _Formats:
    """What every value of the page is written with, looked up once."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.money = money_formatter()
        self.date = date_formatter()
        self.url = url_maker("invoices:detail", "number", "NUMBER")
        self.kinds = dict(Invoice.Kind.choices)
        self.statuses = {
            status.value: (str(status.label), status.badge_class) for status in Invoice.Status
        }

    def signed(self, value: Decimal) -> str:
        """An amount a line adds (``+``) or takes off (``-``)."""
        text = self.money(value)
        return f"+{text}" if value > 0 else text

    def status(self, invoice: Invoice) -> tuple[str, str]:
        return self.statuses[invoice.ledger_status(self.today)]


def invoice_detail(
    invoice: Invoice,
    *,
    corrections: Iterable[Invoice],
    payments: Iterable[Payment],
    today: date,
    download: Callable[[str], str],
) -> InvoiceDetail:
    """The page's values for ``invoice`` (``corrects`` selected), the invoices correcting it
    and its visible payments (``invoice_corrections``, ``invoice_payments_visible``), with
    *Vervallen* as of ``today``; ``download`` makes the PDF's URL from the number."""
    formats = _Formats(today)
    corrections = list(corrections)
    sign = -1 if invoice.kind == Invoice.Kind.CREDIT else 1
    status, badge = formats.status(invoice)
    corrects = None
    if invoice.corrects_id is not None:
        corrects = _related(invoice.corrects, gettext("Corrected by this invoice"), formats)
    return InvoiceDetail(
        number=invoice.number,
        kind=str(formats.kinds[invoice.kind]),
        status=status,
        badge=badge,
        invoice_date=formats.date(invoice.invoice_date),
        due_date=formats.date(invoice.due_date),
        amount_excl_vat=formats.money(sign * invoice.amount_excl_vat),
        vat_amount=formats.money(sign * invoice.vat_amount),
        total=formats.money(invoice.ledger_signed),
        open=formats.money(invoice.ledger_open),
        address=_address_lines(invoice),
        address_email=invoice.billing_email,
        address_phone=phone_display(invoice.billing_phone),
        download_url=download(invoice.number) if invoice.file else "",
        corrects=corrects,
        corrections=tuple(
            _related(correction, gettext("Corrects this invoice"), formats)
            for correction in corrections
        ),
        lines=ledger_lines(invoice, corrections=corrections, payments=payments, formats=formats),
    )


def _related(invoice: Invoice, relation: str, formats: _Formats) -> RelatedInvoice:
    status, badge = formats.status(invoice)
    return RelatedInvoice(
        number=invoice.number,
        url=formats.url(invoice.number),
        kind=str(formats.kinds[invoice.kind]),
        relation=relation,
        invoice_date=formats.date(invoice.invoice_date),
        total=formats.money(invoice.ledger_signed),
        status=status,
        badge=badge,
    )


def _address_lines(invoice: Invoice) -> tuple[str, ...]:
    """The address lines printed on the invoice, the country by its name."""
    country = invoice.billing_country
    lines = (
        invoice.billing_attention,
        invoice.billing_organisation_name,
        invoice.billing_street,
        f"{invoice.billing_postcode} {invoice.billing_city}".strip(),
        str(countries.name(country) or country) if country else "",
    )
    return tuple(line for line in lines if line)


def ledger_lines(
    invoice: Invoice,
    *,
    corrections: Iterable[Invoice],
    payments: Iterable[Payment],
    formats: _Formats,
) -> tuple[LedgerLine, ...]:
    """The lines from the invoice's signed amount to its open amount, oldest first: its
    visible payments (and money returned), and what credit invoices set off."""
    dated: list[tuple[date, int, LedgerLine]] = []
    for position, payment in enumerate(payments):
        line = _line(
            formats,
            payment.booking_date,
            _payment_description(invoice, payment.amount),
            payment.bank_reference,
            "",
            -payment.amount,
        )
        dated.append((payment.booking_date, position, line))
    for when, description, other, value in _set_offs(invoice, corrections):
        line = _line(formats, when, description, other.number, formats.url(other.number), value)
        dated.append((when, len(dated), line))
    return tuple(line for _when, _position, line in sorted(dated, key=lambda item: item[:2]))


def _line(formats: _Formats, when, description, reference, url, value) -> LedgerLine:
    return LedgerLine(
        date=formats.date(when),
        description=description,
        reference=reference,
        url=url,
        amount=formats.signed(value),
        value=value,
    )


def _payment_description(invoice: Invoice, amount: Decimal) -> str:
    if amount >= 0:
        return gettext("Payment received")
    if invoice.kind == Invoice.Kind.CREDIT:
        return gettext("Refund paid out")
    # Money taken back: a returned direct debit, a chargeback or a reversal (docs/invoices.md).
    return gettext("Payment returned")


def _set_offs(invoice: Invoice, corrections: Iterable[Invoice]):
    """(date, description, the other invoice, value) of each set-off: on an invoice, what
    each of its credits settles (taken off); on a credit, its share (added back, as a credit
    is negative)."""
    if invoice.kind == Invoice.Kind.CREDIT:
        if invoice.ledger_set_off and invoice.corrects_id is not None:
            yield (
                invoice.invoice_date,
                gettext("Set off against invoice"),
                invoice.corrects,
                invoice.ledger_set_off,
            )
        return
    for credit in corrections:
        if credit.kind == Invoice.Kind.CREDIT and credit.ledger_set_off:
            yield (
                credit.invoice_date,
                gettext("Set off with credit invoice"),
                credit,
                -credit.ledger_set_off,
            )
