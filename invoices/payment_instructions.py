"""How to pay an open invoice: the vendor's account (``VENDOR_NAME``, ``VENDOR_IBAN``,
``VENDOR_BIC``, checked at start-up in the settings), the invoice number as the payment
reference, the open amount, and the same in an EPC QR code.

The EPC QR code is the European Payments Council's *SEPA credit transfer* QR code (EPC069-12),
which banking apps scan to fill in a transfer: service tag ``BCD``, version, character set,
``SCT``, BIC, name, IBAN, ``EUR`` and the amount, purpose, structured reference and the
unstructured remittance text. The invoice number goes into the remittance text, where the
bank statement import looks for it (``invoices/services.py``): a structured reference must be
an ISO 11649 ``RF`` creditor reference, which an invoice number is not. segno's EPC helper
writes the payload and chooses the QR code's size and error correction as the guidelines ask.

The page shows the code as an SVG in a ``data:`` URI (the CSP allows ``data:`` images), so no
markup is written in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import segno
from django.conf import settings
from segno import helpers as segno_helpers

from core.bank import iban_format
from core.formatters import TemplateRow
from invoices.models import Invoice, LedgerState

# The largest amount an EPC QR code carries (EPC069-12: EUR 999,999,999.99), and the least.
EPC_MAX_AMOUNT = Decimal("999999999.99")
EPC_MIN_AMOUNT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class PaymentInstructions(TemplateRow):
    """What to transfer, to whom, with which reference; ``qr_data_uri`` is "" where an EPC QR
    code cannot carry the amount."""

    name: str
    iban: str
    bic: str
    reference: str
    # The open amount, formatted, without the €.
    amount: str
    qr_data_uri: str


def payable(invoice: Invoice) -> bool:
    """Whether the customer still has to pay something on ``invoice``: an invoice or
    correction invoice, open (overdue included), with an open amount above zero. A credit
    invoice or a paid one gets no payment instructions."""
    return (
        invoice.kind != Invoice.Kind.CREDIT
        and invoice.ledger_state == LedgerState.OPEN
        and invoice.ledger_open > 0
    )


def epc_qr(*, number: str, amount: Decimal) -> segno.QRCode:
    """The EPC QR code paying ``amount`` euros to the vendor for invoice ``number``."""
    return segno_helpers.make_epc_qr(
        name=settings.VENDOR_NAME,
        iban=settings.VENDOR_IBAN,
        bic=settings.VENDOR_BIC,
        amount=amount,
        text=number,
    )


def epc_qr_data_uri(*, number: str, amount: Decimal) -> str:
    """The page's image of ``epc_qr``: an SVG ``data:`` URI, dark modules on white with the
    quiet zone the standard asks for (4 modules)."""
    return _data_uri(
        settings.VENDOR_NAME, settings.VENDOR_IBAN, settings.VENDOR_BIC, number, amount
    )


# Choosing the QR code's mask takes about 10 ms, the rest of the page as long again: a
# process keeps the images of the invoices it drew last (4 kB each). The key holds the
# vendor's account as well, so a changed setting never shows an old code.
@lru_cache(maxsize=512)
def _data_uri(name: str, iban: str, bic: str, number: str, amount: Decimal) -> str:
    del name, iban, bic  # part of the key; epc_qr reads them from the settings
    return epc_qr(number=number, amount=amount).svg_data_uri(
        scale=4, border=4, dark="#000", light="#fff"
    )


def payment_instructions(invoice: Invoice, *, money) -> PaymentInstructions | None:
    """The instructions for ``invoice``, or None when nothing is to be paid (``payable``);
    ``money`` formats the amount (``core.formatters.money_formatter``)."""
    if not payable(invoice):
        return None
    amount = invoice.ledger_open
    qr_data_uri = ""
    if invoice.currency == Invoice.Currency.EUR and EPC_MIN_AMOUNT <= amount <= EPC_MAX_AMOUNT:
        qr_data_uri = epc_qr_data_uri(number=invoice.number, amount=amount)
    return PaymentInstructions(
        name=settings.VENDOR_NAME,
        iban=iban_format(settings.VENDOR_IBAN),
        bic=settings.VENDOR_BIC,
        reference=invoice.number,
        amount=money(amount),
        qr_data_uri=qr_data_uri,
    )
