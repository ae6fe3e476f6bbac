"""Invoices the vendor sent to an organisation, and the payments received for them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

# Letters, digits and - _ . only: the number is the PDF's file name and part of the URL.
INVOICE_NUMBER_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")
PDF_MAGIC = b"%PDF-"


def invoice_number_normalise(value: str | None) -> str:
    """An invoice number as stored: capitals, no surrounding blanks. Every way a number comes
    in (admin, import, search, the link form, a URL) goes through here, so ``f2026-1 `` finds
    and never duplicates ``F2026-1``."""
    return (value or "").strip().upper()


def is_pdf(content: bytes | IO[bytes]) -> bool:
    """Whether bytes, or a file read from its start, are built as a PDF is: ``%PDF-`` at the
    start (after blanks) and the cross-reference pointer and end marker (``startxref`` …
    ``%%EOF``) at the end, where every PDF writer puts them. A file that only starts like a
    PDF (HTML after ``%PDF-``, a truncated upload) is not one. A file is left at its start for
    whoever stores it next."""
    if isinstance(content, bytes | bytearray):
        head, tail = bytes(content[:1024]), bytes(content[-PDF_TAIL:])
    else:
        content.seek(0)
        head = content.read(1024)
        content.seek(0, 2)
        content.seek(max(0, content.tell() - PDF_TAIL))
        tail = content.read(PDF_TAIL)
        content.seek(0)
    if not head.lstrip().startswith(PDF_MAGIC):
        return False
    end = tail.rfind(b"%%EOF")
    return end != -1 and tail.rfind(b"startxref", 0, end) != -1


# A PDF's end marker may be followed by a little padding; writers keep it within this.
PDF_TAIL = 2048


def invoice_storage():
    """Invoice PDFs live in their own storage (``STORAGES["invoices"]``): local disk by
    default, object storage by setting, never a public URL."""
    return storages["invoices"] if "invoices" in settings.STORAGES else storages["default"]


def invoice_upload_to(instance: Invoice, filename: str) -> str:
    # The stored name is derived from the number, not from the uploaded file's name.
    return f"invoices/{instance.invoice_date:%Y}/{instance.number}.pdf"


class InvoiceDeletionError(Exception):
    """Invoices are records the vendor must keep: they are never deleted."""


class InvoiceImmutableError(Exception):
    """An invoice's amounts, dates and address copy never change once it exists."""


class LedgerState(models.TextChoices):
    """The stored settled state; *Vervallen* (overdue) is an open invoice past its due date,
    decided at read time."""

    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    SETTLED = "settled", _("Settled")


class InvoiceQuerySet(models.QuerySet):
    def delete(self):
        raise InvoiceDeletionError("Invoices cannot be deleted.")


class Invoice(models.Model):
    """An invoice, credit invoice or correction invoice sent to one organisation.

    Immutable once created: amounts, dates and the billing address copy never change; only a
    missing PDF may be attached later. A credit invoice counts negative in the open balance; a
    credit or correction invoice refers to the invoice it corrects.
    """

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT = "credit", _("Credit invoice")
        CORRECTION = "correction", _("Correction invoice")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")
        OVERDUE = "overdue", _("Overdue")
        # A credit invoice set off against the invoice it corrects (or refunded): nothing is
        # owed either way. Not "paid": the customer paid nothing for it.
        SETTLED = "settled", _("Settled")

        @property
        def badge_class(self) -> str:
            """The Bootstrap badge the status is shown in: green paid, red overdue, grey
            settled, yellow open."""
            return {
                "paid": "text-bg-success",
                "overdue": "text-bg-danger",
                "settled": "text-bg-secondary",
            }.get(self.value, "text-bg-warning")

    class Currency(models.TextChoices):
        EUR = "EUR", "EUR"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("organisation"),
    )
    number = models.CharField(
        _("number"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                INVOICE_NUMBER_RE,
                _("Use capital letters, digits, dots, hyphens and underscores only."),
            )
        ],
    )
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.INVOICE)
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    amount_excl_vat = models.DecimalField(_("amount excl. VAT"), max_digits=12, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2)
    amount_incl_vat = models.DecimalField(_("amount incl. VAT"), max_digits=12, decimal_places=2)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    file = models.FileField(
        _("file (PDF)"),
        storage=invoice_storage,
        upload_to=invoice_upload_to,
        max_length=200,
        blank=True,
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="corrections",
        null=True,
        blank=True,
        verbose_name=_("corrects invoice"),
    )
    # A copy of the billing address when the invoice was made (R11, R12): a later change of
    # the address never rewrites an invoice that was already sent.
    billing_attention = models.CharField(_("attention line"), max_length=200, blank=True)
    billing_organisation_name = models.CharField(_("organisation name"), max_length=200)
    billing_street = models.CharField(_("street and number"), max_length=200, blank=True)
    billing_postcode = models.CharField(_("postcode"), max_length=16, blank=True)
    billing_city = models.CharField(_("city"), max_length=100, blank=True)
    billing_country = models.CharField(_("country"), max_length=2, blank=True)
    billing_email = models.EmailField(_("e-mail address"), blank=True)
    billing_phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The stored ledger (invoices/ledger.py keeps it; tests and ``manage.py ledger_check``
    # hold it equal to the SQL reference in ``invoices/reference.py``). Never set by hand:
    # every service that changes a figure recomputes the invoice's family under row locks.
    ledger_signed = models.DecimalField(
        _("signed amount"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    ledger_paid = models.DecimalField(
        _("paid (visible)"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    # What the credits correcting this invoice settle on it.
    ledger_credited = models.DecimalField(
        _("settled by credits"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    # A credit invoice's share of what it settles on the invoice it corrects.
    ledger_set_off = models.DecimalField(
        _("set off"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    ledger_open = models.DecimalField(
        _("open amount"), max_digits=14, decimal_places=2, default=0, editable=False
    )
    ledger_state = models.CharField(
        _("state"),
        max_length=8,
        choices=LedgerState.choices,
        default=LedgerState.OPEN,
        editable=False,
    )
    # The next moment a payment linked to this invoice becomes visible (R10); the read path
    # publishes every invoice whose moment has come (``ledger_publish_due``).
    ledger_due_at = models.DateTimeField(_("next payment counts from"), null=True, editable=False)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-invoice_date", "-number"]
        # One index per order and filter of the list, each ending in the list's order so a
        # page is read from the index; ``id`` is included so a page's keys come from the index
        # alone (PostgreSQL; other databases ignore ``include``). The search has a trigram
        # index on PostgreSQL (migration 0005).
        indexes = [
            models.Index(
                fields=["organisation", "invoice_date", "number"],
                include=["id"],
                name="invoice_org_date_idx",
            ),
            models.Index(
                fields=["organisation", "ledger_signed", "number"],
                include=["id"],
                name="invoice_org_amount_idx",
            ),
            models.Index(
                fields=["organisation", "ledger_state", "invoice_date", "number"],
                include=["id", "due_date", "kind"],
                name="invoice_org_state_idx",
            ),
            models.Index(
                fields=["organisation", "kind", "invoice_date", "number"],
                include=["id"],
                name="invoice_org_kind_idx",
            ),
            # The open balance: a sum over the rows that still have an amount open.
            models.Index(
                fields=["organisation", "ledger_open"],
                condition=~Q(ledger_open=0),
                name="invoice_org_open_idx",
            ),
            # The overview's overdue and next-due figures (``invoice_account_figures``): the
            # open invoices by due date with their kind and open amount, read from the index
            # alone, where the state index would visit every open row in the table.
            models.Index(
                fields=["organisation", "due_date"],
                include=["kind", "ledger_open"],
                condition=Q(ledger_state=LedgerState.OPEN),
                name="invoice_org_open_due_idx",
            ),
            # The admin's list over every organisation, in the model's order, and its years.
            models.Index(fields=["invoice_date", "number"], name="invoice_date_idx"),
            # Payments that became visible and are not in the ledger yet.
            models.Index(
                fields=["ledger_due_at"],
                condition=Q(ledger_due_at__isnull=False),
                name="invoice_ledger_due_idx",
            ),
            models.Index(
                fields=["organisation", "ledger_due_at"],
                condition=Q(ledger_due_at__isnull=False),
                name="invoice_org_ledger_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_incl_vat=F("amount_excl_vat") + F("vat_amount")),
                name="invoices_invoice_amounts_add_up",
                violation_error_message=_("Amount incl. VAT must equal amount excl. VAT plus VAT."),
            ),
            # Amounts are what the document says; a credit invoice's sign comes from its kind.
            models.CheckConstraint(
                condition=Q(amount_excl_vat__gte=0, vat_amount__gte=0),
                name="invoices_invoice_amounts_not_negative",
                violation_error_message=_(
                    "Amounts are positive; a credit invoice counts negative by its type."
                ),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("invoice_date")),
                name="invoices_invoice_due_after_date",
                violation_error_message=_("The due date cannot be before the invoice date."),
            ),
            models.CheckConstraint(
                condition=Q(kind="invoice", corrects__isnull=True)
                | Q(kind__in=["credit", "correction"], corrects__isnull=False),
                name="invoices_invoice_corrects_matches_kind",
                violation_error_message=_(
                    "A credit or correction invoice refers to the invoice it corrects; "
                    "an ordinary invoice does not."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        # An invoice that was sent is a record: after creation only a missing PDF is attached.
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= {"file"}:
                raise InvoiceImmutableError("An invoice cannot be changed after creation.")
        else:
            self.ledger_signed = self.signed_amount
            self.ledger_open = self.signed_amount - self.ledger_paid - self.ledger_credited
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise InvoiceDeletionError("Invoices cannot be deleted.")

    def clean(self) -> None:
        super().clean()
        self.number = invoice_number_normalise(self.number)
        if self.corrects_id and self.organisation_id:
            if self.corrects.organisation_id != self.organisation_id:
                raise ValidationError(
                    {"corrects": _("The corrected invoice belongs to another organisation.")}
                )
            if self.corrects_id == self.pk:
                raise ValidationError({"corrects": _("An invoice cannot correct itself.")})

    def ledger_status(self, today) -> Invoice.Status:
        """The status from the stored state: open becomes overdue after the due date."""
        if (
            self.ledger_state == LedgerState.OPEN
            and self.kind != self.Kind.CREDIT
            and self.due_date < today
        ):
            return self.Status.OVERDUE
        return self.Status(self.ledger_state)

    @property
    def signed_amount(self):
        return -self.amount_incl_vat if self.kind == self.Kind.CREDIT else self.amount_incl_vat

    @property
    def billing_address_lines(self) -> list[str]:
        lines = [
            self.billing_attention,
            self.billing_organisation_name,
            self.billing_street,
            f"{self.billing_postcode} {self.billing_city}".strip(),
            self.billing_country,
        ]
        return [line for line in lines if line]


class PaymentImport(models.Model):
    """One bank statement file imported by staff; its hash makes a second import a no-op."""

    class Format(models.TextChoices):
        CAMT053 = "camt053", "CAMT.053"
        CSV = "csv", "CSV"

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    entries = models.PositiveIntegerField(_("entries in file"), default=0)
    added = models.PositiveIntegerField(_("payments added"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)

    class Meta:
        verbose_name = _("bank statement import")
        verbose_name_plural = _("bank statement imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.file_name


class Payment(models.Model):
    """One entry of a bank statement: money received (or refunded) for an invoice.

    It counts in the portal from ``visible_from`` (R10). Without an invoice it waits in the
    staff's unmatched queue in admin.
    """

    class MatchedBy(models.TextChoices):
        IMPORT = "import", _("Automatically on import")
        STAFF = "staff", _("By hand by staff")

    bank_reference = models.CharField(_("bank entry reference"), max_length=140, unique=True)
    booking_date = models.DateField(_("booking date"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    remittance_text = models.TextField(_("remittance text"), blank=True)
    counterparty_name = models.CharField(_("counterparty name"), max_length=140, blank=True)
    counterparty_iban = models.CharField(_("counterparty IBAN"), max_length=34, blank=True)
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        related_name="payments",
        null=True,
        blank=True,
        verbose_name=_("invoice"),
    )
    matched_by = models.CharField(
        _("matched by"), max_length=8, choices=MatchedBy.choices, blank=True
    )
    visible_from = models.DateTimeField(_("counts from"))
    statement = models.ForeignKey(
        PaymentImport,
        on_delete=models.PROTECT,
        related_name="payments",
        null=True,
        blank=True,
        verbose_name=_("bank statement"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-booking_date", "-pk"]
        indexes = [
            models.Index(fields=["invoice", "visible_from"], name="payment_invoice_visible_idx"),
            # "Payments processed up to": the latest visible_from, on every list page.
            models.Index(fields=["visible_from"], name="payment_visible_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.currency} {self.amount} ({self.bank_reference})"


class StatementImport(models.Model):
    """A bank statement uploaded by staff in admin, imported by the task worker.

    The upload answers at once; the worker runs the import (``payment_statement_import``, one
    transaction: all or nothing) and writes here what happened, so the staff member watches the
    record's admin page instead of a request that times out on a large file. The file's bytes
    are kept in the row (the upload limit bounds them) until the import is done; a failed
    import keeps them for inspection.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        PARSING = "parsing", _("Reading the file")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.PARSING, Status.IMPORTING)
    UNFINISHED = (Status.QUEUED, Status.PARSING, Status.IMPORTING)

    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"), blank=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The task run that claimed the upload: only that run may take it up again (after the
    # worker put it back on the queue when the database went away), never a second task.
    task_id = models.CharField(_("task"), max_length=64, blank=True, editable=False)
    # Progress: the entries the file holds, known once it has been read, and those processed,
    # written when the import's one transaction has committed (there is no half-way state).
    entries_total = models.PositiveIntegerField(_("entries in file"), null=True, blank=True)
    entries_processed = models.PositiveIntegerField(_("entries processed"), default=0)
    # The result, as the import service reports it.
    duplicate_file = models.BooleanField(_("imported before"), default=False)
    added = models.PositiveIntegerField(_("payments added"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched"), default=0)
    already_known = models.PositiveIntegerField(_("already imported"), default=0)
    skipped_outgoing = models.PositiveIntegerField(_("outgoing entries skipped"), default=0)
    payment_import = models.ForeignKey(
        PaymentImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bank statement import"),
    )
    error = models.TextField(_("error"), blank=True)
    error_location = models.CharField(_("line or element at fault"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("statement upload")
        verbose_name_plural = _("statement uploads")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_unfinished(self) -> bool:
        return self.status in self.UNFINISHED

    @property
    def is_stale(self) -> bool:
        """Unfinished for longer than ``STATEMENT_IMPORT_STALE_AFTER`` seconds: the worker
        died during the import (its transaction was then rolled back) or never picked it up.
        The record is not changed; admin shows it as stalled so no one waits for it."""
        if not self.is_unfinished:
            return False
        since = self.started_at or self.uploaded_at
        limit = timedelta(seconds=settings.STATEMENT_IMPORT_STALE_AFTER)
        return since is not None and timezone.now() - since > limit
