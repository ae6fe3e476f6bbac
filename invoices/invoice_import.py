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
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation
from invoices.csv_input import csv_delimiter, parse_amount
from invoices.models import Invoice, invoice_storage
from invoices.services import invoice_copy_billing_address, invoice_create, is_pdf

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
        reader = csv.DictReader(io.StringIO(text), delimiter=csv_delimiter(text))
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


def _check(directory: Path, rows: list[_Row]) -> dict[int, list[str]]:
    """The checks the model cannot make, per row index: the PDF present in the export and a
    real PDF, the organisation known, a number once in the file, and the corrected invoice
    known. Everything else (number format, type, dates, amounts, constraints) is the model's
    ``full_clean`` when the row is created, so a rule is written once.

    Also converts the values into ``row.parsed``. An amount that does not parse is passed on
    as written, for the model to refuse.
    """
    problems: dict[int, list[str]] = {}
    organisations = {o.debtor_number: o for o in Organisation.objects.all()}
    seen: set[str] = set()
    for n, row in enumerate(rows):
        v, p = row.values, row.parsed
        mine = problems.setdefault(n, [])
        missing = [name for name in ("debtor_number", "file") if not v.get(name)]
        if missing:
            mine.append(_("missing %(fields)s.") % {"fields": ", ".join(missing)})
        p["number"] = v.get("number", "").upper()
        p["duplicate"] = bool(p["number"]) and p["number"] in seen
        if p["duplicate"]:
            mine.append(
                _("invoice %(number)s appears twice in the export.") % {"number": p["number"]}
            )
        seen.add(p["number"])
        p["organisation"] = organisations.get(v.get("debtor_number", ""))
        if v.get("debtor_number") and p["organisation"] is None:
            mine.append(_("no organisation has debtor number %(n)s.") % {"n": v["debtor_number"]})
        p["kind"] = v.get("kind", "")
        for name in ("invoice_date", "due_date"):
            p[name] = v.get(name) or None
        for name in ("amount_excl_vat", "vat_amount", "amount_incl_vat"):
            try:
                p[name] = parse_amount(v.get(name, ""))
            except ValueError:
                p[name] = v.get(name) or None
        p["corrects"] = v.get("corrects", "").upper()
        if v.get("file"):
            pdf_path = (directory / v["file"]).resolve()
            if pdf_path.parent != directory.resolve() or not pdf_path.is_file():
                mine.append(_("file %(file)s is not in the export.") % {"file": v["file"]})
            else:
                row.pdf = pdf_path.read_bytes()
                if not is_pdf(row.pdf):
                    mine.append(_("file %(file)s is not a PDF.") % {"file": v["file"]})
    in_batch = {row.parsed["number"] for row in rows}
    known = set(
        Invoice.objects.filter(number__in={r.parsed["corrects"] for r in rows}).values_list(
            "number", flat=True
        )
    )
    for n, row in enumerate(rows):
        corrects = row.parsed["corrects"]
        if corrects and corrects not in in_batch and corrects not in known:
            problems[n].append(
                _("invoice %(number)s to correct is unknown.") % {"number": corrects}
            )
    return problems


def _in_dependency_order(rows: list[_Row]) -> tuple[list[int], dict[int, str]]:
    """Row indexes ordered so that every corrected invoice comes before what corrects it.

    A credit may be corrected by a correction listed before it, so sorting by "corrects
    something" is not enough: this is a topological order (Kahn's), stable for the rest.
    Rows that never become ready lie on a cycle of corrections (or depend on one) and are
    reported, not imported.
    """
    in_batch = {row.parsed["number"] for row in rows} - {""}
    done: set[str] = set()
    ordered: list[int] = []
    remaining = list(range(len(rows)))
    while remaining:
        ready = [
            n
            for n in remaining
            if (corrects := rows[n].parsed["corrects"]) not in in_batch or corrects in done
        ]
        if not ready:
            break
        ordered += ready
        done.update(rows[n].parsed["number"] for n in ready)
        remaining = [n for n in remaining if rows[n].parsed["number"] not in done]
    cyclic = {
        n: _("invoice %(number)s to correct is part of a cycle of corrections.")
        % {"number": rows[n].parsed["corrects"]}
        for n in remaining
    }
    return ordered, cyclic


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

    Every row is created inside one transaction, each in a savepoint, so the model's own
    validation (``invoice_create`` → ``full_clean``) and any database or storage failure are
    reported against their row, never as a traceback; a row that cannot be created is still
    validated, so the report names every problem at once. One problem rolls all back.

    All or nothing holds for the files too: storage is not transactional, so every PDF
    written is remembered and deleted again when the import fails, leaving neither rows nor
    files (and a retry gets the same file names, not renamed ones).
    """
    index, rows = _read_index(directory)
    problems = _check(directory, rows)
    ordered, cyclic = _in_dependency_order(rows)
    for n, message in cyclic.items():
        problems[n].append(message)
    known = {
        invoice.number: invoice
        for invoice in Invoice.objects.filter(number__in={r.parsed["corrects"] for r in rows})
    }
    report = InvoiceImportReport(index=index.name)
    created: dict[str, Invoice] = {}
    written: list[str] = []
    try:
        with transaction.atomic():
            for n in [*ordered, *cyclic]:
                row, p = rows[n], rows[n].parsed
                exclude = set()
                corrects = None
                if p["corrects"]:
                    corrects = created.get(p["corrects"]) or known.get(p["corrects"])
                    if corrects is None:
                        exclude.add("corrects")
                        if not problems[n]:
                            problems[n].append(
                                _("invoice %(number)s to correct could not be imported.")
                                % {"number": p["corrects"]}
                            )
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
                if problems[n]:
                    problems[n] += _still_wrong(invoice, exclude, unique=not p["duplicate"])
                    continue
                try:
                    # A savepoint per row: after a database error the next rows still run.
                    with transaction.atomic():
                        invoice_create(invoice=invoice, pdf=row.pdf)
                except ValidationError as exc:
                    problems[n] += _messages(exc)
                except Exception as exc:  # storage or database: report it against the row
                    problems[n].append(str(exc))
                else:
                    created[invoice.number] = invoice
                    report.created.append(invoice.number)
                finally:
                    if invoice.file.name:
                        written.append(invoice.file.name)
            if any(problems.values()):
                raise InvoiceImportError(
                    [
                        f"{rows[n].where}: {message}"
                        for n in sorted(problems)
                        for message in problems[n]
                    ]
                )
    except BaseException:
        storage = invoice_storage()
        for name in written:
            storage.delete(name)
        raise
    return report


def _still_wrong(invoice: Invoice, exclude: set[str], *, unique: bool) -> list[str]:
    """What the model finds wrong with a row that cannot be created anyway."""
    if invoice.organisation_id is None:
        exclude |= {"organisation", "billing_organisation_name"}
    else:
        invoice_copy_billing_address(invoice)
    try:
        invoice.full_clean(exclude=exclude, validate_unique=unique)
    except ValidationError as exc:
        return _messages(exc)
    return []
