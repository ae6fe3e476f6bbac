"""Importing invoices from the billing system's export (R11): an index plus the PDFs beside it.

The index is ``invoices.csv`` (``;`` or ``,`` separated) or ``invoices.json`` (a list of
objects) with the fields ``number, debtor_number, kind, invoice_date, due_date,
amount_excl_vat, vat_amount, amount_incl_vat, file`` and, for a credit or correction invoice,
``corrects`` (the number of the corrected invoice, already known or in the same export).

The import runs in four steps: **parse** the index into typed rows, **validate** what only the
import can know (the organisation, the PDF, a number once in the file, the corrected invoice),
**order** the rows so a corrected invoice comes before what corrects it, and **create** them
through ``invoice_create``, whose ``full_clean`` checks everything else. Only a fully valid
export is imported, in one transaction, and a failed import leaves no PDF behind in storage.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.validators import DEBTOR_NUMBER_RULE, debtor_number_is_valid
from invoices.csv_input import csv_delimiter, parse_amount
from invoices.models import Invoice, invoice_number_normalise, invoice_storage, is_pdf
from invoices.services import invoice_copy_billing_address, invoice_create

INDEX_NAMES = ("invoices.json", "invoices.csv")


class InvoiceImportError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class InvoiceImportReport:
    index: str
    created: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InvoiceRow:
    """One row of the export as read, before anything is checked.

    Values the import converts (numbers in capitals, amounts written the Dutch or the English
    way) are converted; a value that does not convert is kept as written, for the model's
    ``full_clean`` to refuse with its own message.
    """

    location: str  # "invoices.json #3", "invoices.csv line 4": how the report names the row
    number: str
    debtor_number: str
    kind: str
    invoice_date: str | None
    due_date: str | None
    amount_excl_vat: Decimal | str | None
    vat_amount: Decimal | str | None
    amount_incl_vat: Decimal | str | None
    corrects: str  # the corrected invoice's number, or ""
    file_name: str
    # The PDF's bytes; None when the file is missing or lies outside the export directory.
    pdf: bytes | None


# --- parse ------------------------------------------------------------------------------------


def _index_path(directory: Path) -> Path:
    if not directory.is_dir():
        raise InvoiceImportError([_("%(dir)s is not a directory.") % {"dir": directory}])
    found = [directory / name for name in INDEX_NAMES if (directory / name).is_file()]
    if len(found) != 1:
        raise InvoiceImportError(
            [_("Put exactly one of invoices.json or invoices.csv in %(dir)s.") % {"dir": directory}]
        )
    return found[0]


def _json_records(index: Path, text: str) -> list[tuple[str, dict[str, str]]]:
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
    return [
        (
            f"{index.name} #{position}",
            {key: str(value if value is not None else "").strip() for key, value in item.items()},
        )
        for position, item in enumerate(data, start=1)
    ]


def _csv_records(index: Path, text: str) -> list[tuple[str, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=csv_delimiter(text))
    return [
        (
            f"{index.name} line {reader.line_num}",
            {(key or "").strip(): (value or "").strip() for key, value in item.items() if key},
        )
        for item in reader
    ]


def _amount(value: str) -> Decimal | str | None:
    try:
        return parse_amount(value)
    except ValueError:
        return value or None


def _pdf(directory: Path, file_name: str) -> bytes | None:
    """The PDF named by a row, only from the export directory itself (no ``../``)."""
    if not file_name or "\x00" in file_name:
        return None
    try:
        path = (directory / file_name).resolve()
        if path.parent != directory.resolve() or not path.is_file():
            return None
        return path.read_bytes()
    except OSError:  # a name too long for the file system, say: not in the export either
        return None


def _parse_row(directory: Path, location: str, values: dict[str, str]) -> InvoiceRow:
    return InvoiceRow(
        location=location,
        number=invoice_number_normalise(values.get("number")),
        debtor_number=values.get("debtor_number", ""),
        kind=values.get("kind", ""),
        invoice_date=values.get("invoice_date") or None,
        due_date=values.get("due_date") or None,
        amount_excl_vat=_amount(values.get("amount_excl_vat", "")),
        vat_amount=_amount(values.get("vat_amount", "")),
        amount_incl_vat=_amount(values.get("amount_incl_vat", "")),
        corrects=invoice_number_normalise(values.get("corrects")),
        file_name=values.get("file", ""),
        pdf=_pdf(directory, values.get("file", "")),
    )


def invoice_rows_parse(directory: Path) -> tuple[Path, list[InvoiceRow]]:
    """The export's index and its rows; an unreadable index raises ``InvoiceImportError``."""
    index = _index_path(directory)
    try:
        text = index.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvoiceImportError(
            [_("%(file)s is not UTF-8 text.") % {"file": index.name}]
        ) from None
    try:
        records = (
            _json_records(index, text) if index.suffix == ".json" else _csv_records(index, text)
        )
    except csv.Error as exc:  # a field over the csv module's limit, for instance
        raise InvoiceImportError(
            [_("%(file)s cannot be read (%(error)s).") % {"file": index.name, "error": exc}]
        ) from None
    # No text the portal stores or looks up may hold a NUL character (PostgreSQL refuses it).
    nul = [location for location, values in records if "\x00" in "".join(values.values())]
    if nul:
        raise InvoiceImportError(
            [_("%(location)s: contains a NUL character.") % {"location": loc} for loc in nul]
        )
    if not records:
        raise InvoiceImportError([_("%(file)s holds no invoices.") % {"file": index.name}])
    return index, [_parse_row(directory, location, values) for location, values in records]


# --- validate ---------------------------------------------------------------------------------


def _repeated_numbers(rows: list[InvoiceRow]) -> set[int]:
    """Positions of rows whose number an earlier row already has."""
    first_position: dict[str, int] = {}
    repeated = set()
    for position, row in enumerate(rows):
        if row.number and first_position.setdefault(row.number, position) != position:
            repeated.add(position)
    return repeated


def _row_problems(
    row: InvoiceRow,
    *,
    organisation: Organisation | None,
    repeated: bool,
    corrected_exists: bool,
) -> list[str]:
    """What the import finds wrong with one row; the model checks the rest on creation."""
    problems = []
    required = {"debtor_number": row.debtor_number, "file": row.file_name}
    missing = [name for name, value in required.items() if not value]
    if missing:
        problems.append(_("missing %(fields)s.") % {"fields": ", ".join(missing)})
    if repeated:
        problems.append(
            _("invoice %(number)s appears twice in the export.") % {"number": row.number}
        )
    if row.debtor_number and not debtor_number_is_valid(row.debtor_number):
        # Shown as a Python literal, so a line break or a quote in it stays visible.
        problems.append(
            _("debtor number %(n)s is not valid.") % {"n": repr(row.debtor_number)}
            + f" {DEBTOR_NUMBER_RULE}"
        )
    elif row.debtor_number and organisation is None:
        problems.append(_("no organisation has debtor number %(n)s.") % {"n": row.debtor_number})
    if row.file_name and row.pdf is None:
        problems.append(_("file %(file)s is not in the export.") % {"file": row.file_name})
    elif row.pdf is not None and not is_pdf(row.pdf):
        problems.append(_("file %(file)s is not a PDF.") % {"file": row.file_name})
    if row.corrects and not corrected_exists:
        problems.append(_("invoice %(number)s to correct is unknown.") % {"number": row.corrects})
    return problems


# --- order ------------------------------------------------------------------------------------


def _dependency_order(rows: list[InvoiceRow]) -> tuple[list[int], list[int]]:
    """Row positions ordered so that every corrected invoice comes before what corrects it,
    and the positions of rows on (or behind) a cycle of corrections, which never get ready.

    A credit may be corrected by a correction listed before it, so sorting by "corrects
    something" is not enough: this is a topological order (Kahn's), stable for the rest.
    """
    numbers_in_export = {row.number for row in rows} - {""}
    created: set[str] = set()
    ordered: list[int] = []
    waiting = list(range(len(rows)))
    while waiting:
        ready = [
            position
            for position in waiting
            if rows[position].corrects not in numbers_in_export
            or rows[position].corrects in created
        ]
        if not ready:
            break
        ordered += ready
        created |= {rows[position].number for position in ready}
        waiting = [position for position in waiting if rows[position].number not in created]
    return ordered, waiting


# --- create -----------------------------------------------------------------------------------


def _messages(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        message if name == NON_FIELD_ERRORS else f"{name}: {message}"
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def _invoice(row: InvoiceRow, *, organisation: Organisation | None, corrects: Invoice | None):
    return Invoice(
        organisation=organisation,
        number=row.number,
        kind=row.kind,
        invoice_date=row.invoice_date,
        due_date=row.due_date,
        amount_excl_vat=row.amount_excl_vat,
        vat_amount=row.vat_amount,
        amount_incl_vat=row.amount_incl_vat,
        corrects=corrects,
    )


def _model_problems(invoice: Invoice, *, corrects_missing: bool, repeated: bool) -> list[str]:
    """What the model finds wrong with a row that is not created anyway, so the report names
    every problem of the row at once."""
    exclude = {"corrects"} if corrects_missing else set()
    if invoice.organisation_id is None:
        exclude |= {"organisation", "billing_organisation_name"}
    else:
        invoice_copy_billing_address(invoice)
    try:
        # A repeated number is reported already; the model would say "exists" about it too.
        invoice.full_clean(exclude=exclude, validate_unique=not repeated)
    except ValidationError as exc:
        return _messages(exc)
    return []


def invoice_batch_import(*, directory: Path) -> InvoiceImportReport:
    """Validates every row, then imports all invoices with their PDFs, or none.

    Every row is created inside one transaction, each in a savepoint, so the model's own
    validation (``invoice_create`` → ``full_clean``) and any database or storage failure are
    reported against their row, never as a traceback; a row that cannot be created is still
    validated, so the report names every problem at once. One problem rolls all back.

    All or nothing holds for the files too: storage is not transactional, so every PDF
    written is remembered and deleted again when the import fails, leaving neither rows nor
    files (and a retry gets the same file names, not renamed ones).
    """
    index, rows = invoice_rows_parse(directory)
    organisations = {o.debtor_number: o for o in Organisation.objects.all()}
    existing = {
        invoice.number: invoice
        for invoice in Invoice.objects.filter(number__in={row.corrects for row in rows} - {""})
    }
    repeated = _repeated_numbers(rows)
    ordered, cyclic = _dependency_order(rows)
    problems = _export_problems(
        rows, organisations=organisations, existing=existing, repeated=repeated, cyclic=cyclic
    )
    report = InvoiceImportReport(index=index.name)
    created: dict[str, Invoice] = {}
    written_files: list[str] = []
    try:
        with transaction.atomic():
            _organisations_lock(rows)
            for position in [*ordered, *cyclic]:
                row = rows[position]
                invoice, more, written = _row_import(
                    row,
                    known_problems=problems[position],
                    organisation=organisations.get(row.debtor_number),
                    corrects=created.get(row.corrects) or existing.get(row.corrects),
                    repeated=position in repeated,
                )
                problems[position] += more
                written_files += [written] if written else []
                if invoice is not None:
                    created[invoice.number] = invoice
                    report.created.append(invoice.number)
            if any(problems.values()):
                raise InvoiceImportError(
                    [
                        f"{rows[position].location}: {message}"
                        for position in sorted(problems)
                        for message in problems[position]
                    ]
                )
    except BaseException:
        storage = invoice_storage()
        for name in written_files:
            storage.delete(name)
        raise
    return report


def _export_problems(
    rows: list[InvoiceRow],
    *,
    organisations: dict[str, Organisation],
    existing: dict[str, Invoice],
    repeated: set[int],
    cyclic: list[int],
) -> dict[int, list[str]]:
    """What the import finds wrong with each row (by position) before creating any."""
    numbers_in_export = {row.number for row in rows}
    problems = {
        position: _row_problems(
            row,
            organisation=organisations.get(row.debtor_number),
            repeated=position in repeated,
            corrected_exists=row.corrects in numbers_in_export or row.corrects in existing,
        )
        for position, row in enumerate(rows)
    }
    for position in cyclic:
        problems[position].append(
            _("invoice %(number)s to correct is part of a cycle of corrections.")
            % {"number": rows[position].corrects}
        )
    return problems


def _organisations_lock(rows: list[InvoiceRow]) -> None:
    """Each insert adds to its organisation's stored invoice count (a trigger): lock the
    organisations of the export first, in one order, so two imports over the same
    organisations wait for each other instead of deadlocking on those rows. The lock the
    trigger's update takes (FOR NO KEY UPDATE): rows that merely point at an organisation
    (audit events, memberships) can still be written meanwhile."""
    named = {row.debtor_number for row in rows}
    list(
        Organisation.objects.select_for_update(no_key=True)
        .filter(debtor_number__in=named)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _row_import(
    row: InvoiceRow,
    *,
    known_problems: list[str],
    organisation: Organisation | None,
    corrects: Invoice | None,
    repeated: bool,
) -> tuple[Invoice | None, list[str], str]:
    """Creates the row's invoice in a savepoint (after a database error the next rows still
    run); a row with problems already is only validated, so the report names every problem
    at once. Returns the invoice created (or None), the row's further problems, and the name
    of the file written to storage ("" when none)."""
    problems = []
    corrects_missing = bool(row.corrects) and corrects is None
    if corrects_missing and not known_problems:
        problems.append(
            _("invoice %(number)s to correct could not be imported.") % {"number": row.corrects}
        )
    invoice = _invoice(row, organisation=organisation, corrects=corrects)
    if known_problems or problems:
        problems += _model_problems(invoice, corrects_missing=corrects_missing, repeated=repeated)
        return None, problems, ""
    try:
        with transaction.atomic():
            invoice_create(invoice=invoice, pdf=row.pdf)
    except ValidationError as exc:
        problems += _messages(exc)
    except Exception as exc:  # storage or database: report it against the row
        problems.append(str(exc))
    except BaseException:
        # Interrupted (a worker stopping): the import's clean-up never hears of this file.
        if invoice.file.name:
            invoice_storage().delete(invoice.file.name)
        raise
    return (None if problems else invoice), problems, invoice.file.name or ""
