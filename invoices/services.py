"""Writes of invoices and payments. The portal, the admin and the commands all call these."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from invoices.ledger import ledger_refresh
from invoices.models import Invoice, Payment, PaymentImport, invoice_number_normalise, is_pdf
from invoices.statements import StatementEntry, StatementError, parse_statement
from invoices.visibility import payment_visible_from

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files import File

    from accounts.models import User

# Candidate invoice numbers in free text: runs of letters, digits and . _ - between separators.
TOKEN_RE = re.compile(r"[A-Z0-9][A-Z0-9._-]*[A-Z0-9]|[A-Z0-9]")


def invoice_copy_billing_address(invoice: Invoice) -> None:
    """Copies the organisation's billing address onto the invoice as it is now (R11, R12)."""
    from billing_address.selectors import billing_address_snapshot

    for name, value in billing_address_snapshot(organisation=invoice.organisation).items():
        setattr(invoice, f"billing_{name}", value)


@transaction.atomic
def invoice_create(*, invoice: Invoice, pdf: bytes | None = None) -> Invoice:
    """Stores a new invoice with a copy of the current billing address and its PDF."""
    if not invoice._state.adding:
        raise ValueError("invoice_create takes a new, unsaved invoice.")
    invoice_copy_billing_address(invoice)
    invoice.number = invoice_number_normalise(invoice.number)
    if pdf is not None and not is_pdf(pdf):
        raise ValidationError({"file": _("The file is not a PDF.")})
    # Validate before the file is written, so a refused invoice leaves no file behind.
    invoice.full_clean()
    if pdf is not None:
        invoice.file.save(f"{invoice.number}.pdf", ContentFile(pdf), save=False)
    try:
        invoice.save()
    except BaseException:
        # Storage is not transactional: a row that is not saved takes its file with it.
        if invoice.file:
            invoice.file.storage.delete(invoice.file.name)
        raise
    # A credit changes the set-off of the invoice it corrects and of that invoice's credits.
    ledger_refresh(invoice_ids=[invoice.pk, invoice.corrects_id])
    return invoice


def invoice_file_attach(*, invoice: Invoice, file: File) -> Invoice:
    """Attaches the PDF of an invoice that has none yet; a stored PDF is never replaced."""
    if invoice.file:
        raise ValidationError({"file": _("This invoice already has its PDF.")})
    if not is_pdf(file):
        raise ValidationError({"file": _("The file is not a PDF.")})
    invoice.file.save(f"{invoice.number}.pdf", file, save=False)
    invoice.save(update_fields=["file"])
    return invoice


# --- payments -------------------------------------------------------------------------------


def invoice_numbers_in(text: str) -> set[str]:
    return set(TOKEN_RE.findall(text.upper()))


def _match(entries: list[StatementEntry]) -> dict[str, Invoice]:
    """Invoice per entry reference, looked up in one query for the whole file.

    An entry naming exactly one known invoice matches, provided it is in the invoice's
    currency: naming none or several (ambiguous), or paying in another currency, leaves it
    for staff (who cannot link a foreign-currency payment either, see ``payment_link``).
    """
    tokens_per_entry = {e.reference: invoice_numbers_in(e.remittance_text) for e in entries}
    all_tokens = set().union(*tokens_per_entry.values()) if tokens_per_entry else set()
    known = {i.number: i for i in Invoice.objects.filter(number__in=all_tokens)}
    matches: dict[str, Invoice] = {}
    for entry in entries:
        found = [known[t] for t in tokens_per_entry[entry.reference] if t in known]
        if len(found) == 1 and found[0].currency == entry.currency:
            matches[entry.reference] = found[0]
    return matches


@dataclass
class ImportResult:
    file_name: str
    duplicate_file: bool = False
    entries: int = 0
    added: int = 0
    matched: int = 0
    unmatched: int = 0
    already_known: int = 0
    skipped_outgoing: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.duplicate_file:
            return _("%(file)s was imported before; nothing was added.") % {"file": self.file_name}
        # Each count that names a noun in its own plural form ("1 post", "2 posten").
        return _(
            "%(file)s: %(entries)s, %(added)s (%(matched)s matched to an invoice, "
            "%(unmatched)s waiting in the unmatched queue), %(known)s already imported, "
            "%(outgoing)s."
        ) % {
            "file": self.file_name,
            "entries": ngettext("%(count)s entry", "%(count)s entries", self.entries)
            % {"count": self.entries},
            "added": ngettext("%(count)s payment added", "%(count)s payments added", self.added)
            % {"count": self.added},
            "matched": self.matched,
            "unmatched": self.unmatched,
            "known": self.already_known,
            "outgoing": ngettext(
                "%(count)s outgoing entry skipped",
                "%(count)s outgoing entries skipped",
                self.skipped_outgoing,
            )
            % {"count": self.skipped_outgoing},
        }


def payment_statement_import(
    *, file_name: str, content: bytes, imported_by: User | None = None
) -> ImportResult:
    """Imports one bank statement (CAMT.053 or CSV) in one transaction (R10).

    A malformed file raises ``StatementError`` and stores nothing. The same file again (same
    bytes) adds nothing and says so; entries already known, from another file or from an
    overlapping statement earlier in this one, are skipped by their key (see
    ``parse_camt053``). Outgoing entries (CAMT ``DBIT``, a negative CSV amount) are kept only
    when they name an invoice, as a negative payment on it: a refund of a credit invoice, or a
    returned direct debit or chargeback, which reopens the invoice; other outgoing money is
    none of the portal's business. The ledger of every invoice paid is updated in the same
    transaction (``ledger_refresh``).
    """
    result = ImportResult(file_name=file_name)
    digest = hashlib.sha256(content).hexdigest()
    if PaymentImport.objects.filter(sha256=digest).exists():
        result.duplicate_file = True
        return result
    fmt, entries = parse_statement(content)
    result.entries = len(entries)
    matches = _match(entries)
    known = set(
        Payment.objects.filter(bank_reference__in=[e.reference for e in entries]).values_list(
            "bank_reference", flat=True
        )
    )
    try:
        with transaction.atomic():
            statement = PaymentImport.objects.create(
                file_name=file_name[:255], sha256=digest, format=fmt, imported_by=imported_by
            )
            for entry in entries:
                if entry.reference in known:
                    result.already_known += 1
                    continue
                invoice = matches.get(entry.reference)
                if entry.amount < 0 and invoice is None:
                    result.skipped_outgoing += 1
                    continue
                _payment_create(entry, invoice=invoice, statement=statement)
                known.add(entry.reference)  # the same entry again later in the file is skipped
                result.added += 1
                if invoice:
                    result.matched += 1
                else:
                    result.unmatched += 1
            ledger_refresh(invoice_ids={invoice.pk for invoice in matches.values()})
            statement.entries = result.entries
            statement.added = result.added
            statement.matched = result.matched
            statement.skipped = result.already_known + result.skipped_outgoing
            statement.save(update_fields=["entries", "added", "matched", "skipped"])
    except IntegrityError:
        # Another import of the same file or entries committed between our check and insert.
        if PaymentImport.objects.filter(sha256=digest).exists():
            return ImportResult(file_name=file_name, duplicate_file=True)
        raise
    return result


def _payment_create(
    entry: StatementEntry, *, invoice: Invoice | None, statement: PaymentImport
) -> Payment:
    """One entry of the statement as a payment (of ``invoice``, or waiting in the unmatched
    queue); an entry the model refuses makes the file malformed at the entry's location."""
    payment = Payment(
        bank_reference=entry.reference,
        booking_date=entry.booking_date,
        amount=entry.amount,
        currency=entry.currency,
        remittance_text=entry.remittance_text,
        counterparty_name=entry.counterparty_name[:140],
        counterparty_iban=entry.counterparty_iban[:34],
        invoice=invoice,
        matched_by=Payment.MatchedBy.IMPORT if invoice else "",
        visible_from=payment_visible_from(entry.booking_date),
        statement=statement,
    )
    try:
        payment.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise StatementError(
            "; ".join(m for ms in exc.message_dict.values() for m in ms), entry.location
        ) from exc
    payment.save()
    return payment


@transaction.atomic
def payment_link(*, payments: Iterable[Payment], invoice: Invoice) -> list[Payment]:
    """Staff link payments from the unmatched queue to one invoice by hand (R10): all of them
    or none.

    Only payments in the invoice's currency can pay it (121 dollars never pay 121 euros), so
    a selection holding one payment in another currency is refused whole, naming it, and
    nothing is linked: a half-linked selection would leave staff guessing what happened.
    """
    pks = [payment.pk for payment in payments]
    locked = list(Payment.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
    previous = {payment.invoice_id for payment in locked}
    foreign = [payment for payment in locked if payment.currency != invoice.currency]
    if foreign:
        raise ValidationError(
            ngettext(
                "Nothing was linked: invoice %(number)s is in %(currency)s and this payment "
                "is not: %(payments)s.",
                "Nothing was linked: invoice %(number)s is in %(currency)s and these payments "
                "are not: %(payments)s.",
                len(foreign),
            )
            % {
                "number": invoice.number,
                "currency": invoice.currency,
                "payments": "; ".join(
                    f"{p.bank_reference} ({p.currency} {p.amount})" for p in foreign
                ),
            }
        )
    for payment in locked:
        payment.invoice = invoice
        payment.matched_by = Payment.MatchedBy.STAFF
        payment.full_clean()
        payment.save(update_fields=["invoice", "matched_by"])
    # The invoice paid now, and any invoice a payment was linked to before.
    ledger_refresh(invoice_ids={invoice.pk, *previous})
    return locked
