"""Importing invoices from the billing system's export (R11): an index plus the PDFs beside it.

The index is ``invoices.csv`` (``;`` or ``,`` separated) or ``invoices.json`` (a list of
objects) with the fields ``number, debtor_number, kind, invoice_date, due_date,
amount_excl_vat, vat_amount, amount_incl_vat, file`` and, for a credit or correction invoice,
``corrects`` (the number of the corrected invoice, already known or in the same export).
Every row is validated; only a fully valid export is imported, in one transaction, and a
failed import leaves no PDF behind in storage.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation
from invoices.models import INVOICE_NUMBER_RE, Invoice, invoice_storage
from invoices.services import invoice_create, is_pdf

FIELDS = (
    "number",
    "debtor_number",
    "kind",
    "invoice_date",
    "due_date",
    "amount_excl_vat",
    "vat_amount",
    "amount_incl_vat",
    "file",
)
INDEX_NAMES = ("invoices.json", "invoices.csv")


class InvoiceImportError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class InvoiceImportReport:
    index: str
    created: list[str] = field(default_factory=list)


@dataclass
class _Row:
    where: str
    values: dict[str, str]
    pdf: bytes = b""
    parsed: dict = field(default_factory=dict)


def _read_index(directory: Path) -> tuple[Path, list[_Row]]:
    found = [directory / name for name in INDEX_NAMES if (directory / name).is_file()]
    if not directory.is_dir():
        raise InvoiceImportError([_("%(dir)s is not a directory.") % {"dir": directory}])
    if len(found) != 1:
        raise InvoiceImportError(
            [_("Put exactly one of invoices.json or invoices.csv in %(dir)s.") % {"dir": directory}]
        )
    index = found[0]
    text = index.read_text(encoding="utf-8-sig")
    if index.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvoiceImportError(
                [
                    _("%(file)s line %(line)s: not valid JSON (%(error)s).")
                    % {"file": index.name, "line": exc.lineno, "error": exc.msg}
                ]
            ) from exc
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise InvoiceImportError(
                [_("%(file)s must hold a list of objects.") % {"file": index.name}]
            )
        rows = [
            _Row(
                f"{index.name} #{n}",
                {k: str(v if v is not None else "").strip() for k, v in item.items()},
            )
            for n, item in enumerate(data, start=1)
        ]
    else:
        first = text.splitlines()[0] if text else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        rows = []
        for item in reader:
            rows.append(
                _Row(
                    f"{index.name} line {reader.line_num}",
                    {(k or "").strip(): (v or "").strip() for k, v in item.items() if k},
                )
            )
    if not rows:
        raise InvoiceImportError([_("%(file)s holds no invoices.") % {"file": index.name}])
    return index, rows


def _decimal(value: str) -> Decimal:
    amount = Decimal(value.replace(",", "."))
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise InvalidOperation
    return amount


def _validate(directory: Path, rows: list[_Row]) -> list[str]:
    problems: list[str] = []
    organisations = {o.debtor_number: o for o in Organisation.objects.all()}
    numbers = [row.values.get("number", "").upper() for row in rows]
    existing = set(Invoice.objects.filter(number__in=numbers).values_list("number", flat=True))
    corrected = {row.values.get("corrects", "").upper() for row in rows} - {""}
    known_corrected = {
        i.number: i for i in Invoice.objects.filter(number__in=corrected).select_related(None)
    }
    batch = {}
    for row in rows:
        v, where, p = row.values, row.where, row.parsed

        def problem(message: str, where=where) -> None:
            problems.append(f"{where}: {message}")

        missing = [name for name in FIELDS if not v.get(name)]
        if missing:
            problem(_("missing %(fields)s.") % {"fields": ", ".join(missing)})
            continue
        number = v["number"].upper()
        if not INVOICE_NUMBER_RE.match(number):
            problem(_("%(number)s is not a valid invoice number.") % {"number": number})
        if number in existing:
            problem(_("invoice %(number)s already exists.") % {"number": number})
        if number in batch:
            problem(_("invoice %(number)s appears twice in the export.") % {"number": number})
        batch[number] = row
        p["number"] = number
        organisation = organisations.get(v["debtor_number"])
        if organisation is None:
            problem(_("no organisation has debtor number %(n)s.") % {"n": v["debtor_number"]})
        p["organisation"] = organisation
        if v["kind"] not in Invoice.Kind.values:
            problem(_("type must be one of %(kinds)s.") % {"kinds": ", ".join(Invoice.Kind.values)})
        p["kind"] = v["kind"]
        for name in ("invoice_date", "due_date"):
            try:
                p[name] = date.fromisoformat(v[name])
            except ValueError:
                problem(
                    _("%(field)s %(value)r is not a date (YYYY-MM-DD).")
                    % {"field": name, "value": v[name]}
                )
        if "invoice_date" in p and "due_date" in p and p["due_date"] < p["invoice_date"]:
            problem(_("the due date is before the invoice date."))
        for name in ("amount_excl_vat", "vat_amount", "amount_incl_vat"):
            try:
                p[name] = _decimal(v[name])
                if p[name] < 0:
                    problem(_("%(field)s cannot be negative.") % {"field": name})
            except InvalidOperation:
                problem(
                    _("%(field)s %(value)r is not an amount.") % {"field": name, "value": v[name]}
                )
        if all(n in p for n in ("amount_excl_vat", "vat_amount", "amount_incl_vat")) and (
            p["amount_excl_vat"] + p["vat_amount"] != p["amount_incl_vat"]
        ):
            problem(_("amount excl. VAT plus VAT does not equal amount incl. VAT."))
        pdf_path = (directory / v["file"]).resolve()
        if pdf_path.parent != directory.resolve() or not pdf_path.is_file():
            problem(_("file %(file)s is not in the export.") % {"file": v["file"]})
        else:
            row.pdf = pdf_path.read_bytes()
            if not is_pdf(row.pdf):
                problem(_("file %(file)s is not a PDF.") % {"file": v["file"]})
        corrects = v.get("corrects", "").upper()
        if v["kind"] in ("credit", "correction") and not corrects:
            problem(_("a credit or correction invoice needs the number it corrects."))
        if v["kind"] == "invoice" and corrects:
            problem(_("an ordinary invoice corrects nothing."))
        p["corrects"] = corrects
    for row in rows:
        corrects = row.parsed.get("corrects")
        if not corrects:
            continue
        target = known_corrected.get(corrects) or (batch.get(corrects) and batch[corrects].parsed)
        if not target:
            problems.append(
                f"{row.where}: "
                + _("invoice %(number)s to correct is unknown.") % {"number": corrects}
            )
            continue
        target_org = (
            target.organisation if isinstance(target, Invoice) else target.get("organisation")
        )
        if target_org != row.parsed.get("organisation"):
            problems.append(
                f"{row.where}: " + _("the corrected invoice belongs to another organisation.")
            )
    return problems


def _in_dependency_order(rows: list[_Row]) -> tuple[list[_Row], list[str]]:
    """The rows ordered so that every corrected invoice comes before what corrects it.

    A credit may be corrected by a correction listed before it, so sorting by "corrects
    something" is not enough: this is a topological order (Kahn's), stable for the rest.
    Rows that never become ready lie on a cycle of corrections (or depend on one) and are
    reported, not imported.
    """
    in_batch = {row.parsed["number"] for row in rows}
    done: set[str] = set()
    ordered: list[_Row] = []
    remaining = rows
    while remaining:
        ready = [
            row
            for row in remaining
            if row.parsed["corrects"] not in in_batch or row.parsed["corrects"] in done
        ]
        if not ready:
            break
        ordered += ready
        done.update(row.parsed["number"] for row in ready)
        remaining = [row for row in remaining if row.parsed["number"] not in done]
    problems = [
        f"{row.where}: "
        + _("invoice %(number)s to correct is part of a cycle of corrections.")
        % {"number": row.parsed["corrects"]}
        for row in remaining
    ]
    return ordered, problems


def _messages(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        message if name == NON_FIELD_ERRORS else f"{name}: {message}"
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def invoice_batch_import(*, directory: Path) -> InvoiceImportReport:
    """Validates every row, then imports all invoices with their PDFs, or none.

    All or nothing holds for the files too: storage is not transactional, so every PDF
    written is remembered and deleted again when the import fails, leaving neither rows nor
    files (and a retry gets the same file names, not renamed ones). Every failure is
    reported against its row, never as a traceback.
    """
    index, rows = _read_index(directory)
    problems = _validate(directory, rows)
    if problems:
        raise InvoiceImportError(problems)
    ordered, problems = _in_dependency_order(rows)
    report = InvoiceImportReport(index=index.name)
    known = {
        invoice.number: invoice
        for invoice in Invoice.objects.filter(number__in={r.parsed["corrects"] for r in rows})
    }
    created: dict[str, Invoice] = {}
    written: list[str] = []
    try:
        with transaction.atomic():
            for row in ordered:
                p = row.parsed
                corrects = None
                if p["corrects"]:
                    corrects = created.get(p["corrects"]) or known.get(p["corrects"])
                    if corrects is None:
                        problems.append(
                            f"{row.where}: "
                            + _("invoice %(number)s to correct could not be imported.")
                            % {"number": p["corrects"]}
                        )
                        continue
                invoice = Invoice(
                    organisation=p["organisation"],
                    number=p["number"],
                    kind=p["kind"],
                    invoice_date=p["invoice_date"],
                    due_date=p["due_date"],
                    amount_excl_vat=p["amount_excl_vat"],
                    vat_amount=p["vat_amount"],
                    amount_incl_vat=p["amount_incl_vat"],
                    corrects=corrects,
                )
                try:
                    # A savepoint per row: after a database error the next rows still run, so
                    # the report names every problem at once.
                    with transaction.atomic():
                        invoice_create(invoice=invoice, pdf=row.pdf)
                except ValidationError as exc:
                    problems += [f"{row.where}: {message}" for message in _messages(exc)]
                except Exception as exc:  # storage or database: report it against the row
                    problems.append(f"{row.where}: {exc}")
                else:
                    created[invoice.number] = invoice
                    report.created.append(invoice.number)
                finally:
                    if invoice.file.name:
                        written.append(invoice.file.name)
            if problems:
                raise InvoiceImportError(problems)
    except BaseException:
        storage = invoice_storage()
        for name in written:
            storage.delete(name)
        raise
    return report
