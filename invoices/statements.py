"""Reading bank statements: CAMT.053 (ISO 20022) and a simple CSV (R10).

Parsing is pure: it turns bytes into ``StatementEntry`` objects or raises ``StatementError``
naming the line or element at fault, so a malformed file stores nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element  # noqa: S405 - type only; parsing uses defusedxml

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from invoices.csv_input import csv_delimiter, parse_amount

CAMT053_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})$")
CSV_REQUIRED = ("date", "amount", "reference")
CSV_OPTIONAL = ("name", "iban", "remittance")
# A transaction's own references, in the order they are trusted to tell it apart.
TRANSACTION_REFERENCES = ("AcctSvcrRef", "EndToEndId", "InstrId", "TxId")
NOT_PROVIDED = {"", "NOTPROVIDED", "NONREF"}
CONTENT_KEY_PREFIX = "NOREF-"


class StatementError(ValueError):
    """A statement that cannot be imported; ``location`` says where (line or element)."""

    def __init__(self, message: str, location: str = "") -> None:
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


@dataclass(frozen=True)
class StatementEntry:
    reference: str
    booking_date: date
    amount: Decimal  # negative for money paid out (a debit entry)
    currency: str
    remittance_text: str
    counterparty_name: str
    counterparty_iban: str
    location: str

    def same_money(self, other: StatementEntry) -> bool:
        """The same payment as ``other``, wherever in a file each was found."""
        fields = ("reference", "booking_date", "amount", "currency", "counterparty_iban")
        return all(getattr(self, name) == getattr(other, name) for name in fields)


def detect_format(content: bytes) -> str:
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    return "camt053" if head.startswith(b"<") else "csv"


def parse_statement(content: bytes) -> tuple[str, list[StatementEntry]]:
    fmt = detect_format(content)
    return fmt, (parse_camt053(content) if fmt == "camt053" else parse_csv(content))


# --- CAMT.053 -------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _child(element: Element, *path: str) -> Element | None:
    """Follows local names, ignoring namespaces (the version differs per bank)."""
    current: Element | None = element
    for name in path:
        if current is None:
            return None
        current = next((c for c in current if _local(c.tag) == name), None)
    return current


def _children(element: Element, name: str) -> list[Element]:
    return [c for c in element if _local(c.tag) == name]


def _text(element: Element, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _amount(element: Element | None, location: str) -> tuple[Decimal, str]:
    if element is None or not (element.text or "").strip():
        raise StatementError(_("the amount is missing."), location)
    try:
        amount = Decimal(element.text.strip())
        # 1e30 cannot even be rounded to cents (InvalidOperation); NaN and Infinity are no
        # amounts either. What is too large for a payment, the model's full_clean says.
        exact = amount.is_finite() and amount == amount.quantize(Decimal("0.01"))
    except InvalidOperation:
        exact = False
    if not exact or amount < 0:
        raise StatementError(
            _("%(value)r is not an amount.") % {"value": element.text.strip()}, location
        )
    return amount, element.get("Ccy", "EUR")


def _booking_date(entry: Element, location: str) -> date:
    value = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")[:10]
    if not value:
        raise StatementError(_("the booking date is missing."), f"{location}/BookgDt")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise StatementError(
            _("%(value)r is not a date.") % {"value": value}, f"{location}/BookgDt"
        ) from None


def _party(details: Element, role: str) -> tuple[str, str]:
    parties = _child(details, "RltdPties")
    if parties is None:
        return "", ""
    # camt.053.001.02 puts the name straight under Dbtr; .08 and later under Dbtr/Pty.
    name = _text(parties, role, "Nm") or _text(parties, role, "Pty", "Nm")
    iban = _text(parties, f"{role}Acct", "Id", "IBAN")
    return name, iban


def _remittance(details: Element) -> str:
    info = _child(details, "RmtInf")
    if info is None:
        return ""
    parts = [(u.text or "").strip() for u in _children(info, "Ustrd")]
    for structured in _children(info, "Strd"):
        parts.append(_text(structured, "CdtrRefInf", "Ref"))
        for document in _children(structured, "RfrdDocInf"):
            parts.append(_text(document, "Nb"))
    return " ".join(part for part in parts if part)


def _returned_text(details: Element, remittance: str) -> str:
    """What names the invoice of money going back: a returned direct debit or a chargeback
    (``RtrInf``, or an entry with ``RvslInd``) carries the original collection's
    ``EndToEndId``, which the vendor sets to the invoice number, often without remittance
    text; with the return reason (``MD06``, ``AM04``, …) for staff."""
    parts = [remittance]
    end_to_end = _own_reference(details, "EndToEndId")
    if end_to_end and end_to_end not in remittance:
        parts.append(end_to_end)
    reason = _text(details, "RtrInf", "Rsn", "Cd") or _text(details, "RtrInf", "Rsn", "Prtry")
    if reason:
        parts.append(f"(return {reason})")
    return " ".join(part for part in parts if part)


def _entry(
    details: Element,
    *,
    reference: str,
    booking_date: date,
    sign: int,
    amount: Decimal,
    currency: str,
    location: str,
    reversal: bool = False,
) -> StatementEntry:
    """One payment from an entry or from one transaction of a batch entry: the counterparty
    is the debtor of money received (``sign`` 1) and the creditor of money paid out (-1)."""
    name, iban = _party(details, "Dbtr" if sign > 0 else "Cdtr")
    remittance = _remittance(details)
    if sign < 0 and (reversal or _child(details, "RtrInf") is not None):
        remittance = _returned_text(details, remittance)
    return StatementEntry(
        reference=reference,
        booking_date=booking_date,
        amount=sign * amount,
        currency=currency,
        remittance_text=remittance,
        counterparty_name=name,
        counterparty_iban=iban,
        location=location,
    )


def _account(statement: Element) -> str:
    return _text(statement, "Acct", "Id", "IBAN") or _text(statement, "Acct", "Id", "Othr", "Id")


def _own_reference(details: Element, name: str) -> str:
    """One of a transaction's own references; banks write NOTPROVIDED where they have none."""
    value = _text(details, "Refs", name)
    return "" if value.upper() in NOT_PROVIDED else value


def _content_reference(*parts: str) -> str:
    """A key for an entry the bank gave no reference: a digest of what identifies it in any
    statement of the account (never the statement's id or the entry's position in it)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"{CONTENT_KEY_PREFIX}{digest}"


def _transaction_keys(transactions: list[Element], entry_reference: str) -> list[str]:
    """What tells the transactions of a batch entry apart, the same in every statement.

    The first kind of reference every transaction has and no two share: the bank's own
    (``AcctSvcrRef``, unless it is just the entry's, as Swiss banks send it), then the
    payer's (``EndToEndId``, ``InstrId``, ``TxId``); failing all, the position in the entry.
    """
    for name in TRANSACTION_REFERENCES:
        values = [_own_reference(tx, name) for tx in transactions]
        if name == "AcctSvcrRef":
            values = ["" if value == entry_reference else value for value in values]
        if all(values) and len(set(values)) == len(values):
            return values
    return [f"#{position}" for position in range(1, len(transactions) + 1)]


def _entry_fingerprint(entry: Element, account: str, transactions: list[Element]) -> list[str]:
    parts = [
        account,
        _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm"),
        _text(entry, "ValDt", "Dt") or _text(entry, "ValDt", "DtTm"),
        _text(entry, "CdtDbtInd"),
        _text(entry, "Amt"),
        (_child(entry, "Amt").get("Ccy", "") if _child(entry, "Amt") is not None else ""),
        _text(entry, "BkTxCd", "Domn", "Cd"),
        _text(entry, "BkTxCd", "Domn", "Fmly", "SubFmlyCd"),
        _text(entry, "BkTxCd", "Prtry", "Cd"),
        _text(entry, "AddtlNtryInf"),
    ]
    for tx in transactions:
        parts += [_own_reference(tx, name) for name in (*TRANSACTION_REFERENCES, "MndtId")]
        parts += [*_party(tx, "Dbtr"), *_party(tx, "Cdtr"), _remittance(tx)]
    return parts


def parse_camt053(content: bytes) -> list[StatementEntry]:
    """The booked entries of a CAMT.053 file, one per payment, each with a stable key.

    The key (``StatementEntry.reference``, stored as ``Payment.bank_reference``) is what makes
    a second import of an entry a no-op, also when it arrives in another file (a corrected or
    overlapping statement). So it is built only from what banks keep the same for an entry:

    - an entry with one transaction: the entry's ``AcctSvcrRef``, else the transaction's;
    - a batch entry: ``<entry key>/<transaction key>`` (see ``_transaction_keys``);
    - no ``AcctSvcrRef`` (common in Dutch banks' files): a digest of the account, dates,
      amount, references, parties and remittance text, numbered when identical entries
      occur on one statement (two equal payments on one day are two payments).

    ``NtryRef`` and the statement's id are left out: they change between statements.
    """
    entries: list[StatementEntry] = []
    for s_index, statement in enumerate(_camt_statements(content), start=1):
        account = _account(statement)
        fingerprints: Counter[str] = Counter()
        for e_index, entry in enumerate(_children(statement, "Ntry"), start=1):
            entries += _camt_entry(
                entry,
                account=account,
                fingerprints=fingerprints,
                location=f"Stmt[{s_index}]/Ntry[{e_index}]",
            )
    _check_unique(entries, repeats_allowed=True)
    return entries


def _camt_statements(content: bytes) -> list[Element]:
    """The statements (``Stmt``) of a CAMT.053 document; StatementError for anything else."""
    try:
        # No DTD at all: a bank statement never needs one, and an external DTD reference
        # would make the parser an instrument for fetching or probing other addresses.
        root = ElementTree.fromstring(content, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise StatementError(_("the file contains forbidden XML constructs (%s).") % exc) from exc
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise StatementError(
            _("the XML is not well-formed (column %(column)s).") % {"column": column},
            _("line %(line)s") % {"line": line},
        ) from exc
    namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else ""
    match = CAMT053_NAMESPACE.match(namespace)
    if _local(root.tag) != "Document" or not match or int(match.group(1)) < 2:
        raise StatementError(
            _("this is not a CAMT.053 statement (camt.053.001.02 or later)."), _local(root.tag)
        )
    statement_root = _child(root, "BkToCstmrStmt")
    statements = _children(statement_root, "Stmt") if statement_root is not None else []
    if not statements:
        raise StatementError(_("the file holds no statement."), "Document/BkToCstmrStmt/Stmt")
    return statements


def _camt_entry(
    entry: Element, *, account: str, fingerprints: Counter[str], location: str
) -> list[StatementEntry]:
    """The payments of one entry: none while it is not booked, one, or one per transaction
    of a batch entry (each with its own amount)."""
    # camt.053.001.02 has <Sts>BOOK</Sts>; later versions <Sts><Cd>BOOK</Cd></Sts>.
    status = _text(entry, "Sts") or _text(entry, "Sts", "Cd")
    if status and status != "BOOK":
        return []  # pending or informational entries are not money received yet
    amount, currency = _amount(_child(entry, "Amt"), f"{location}/Amt")
    indicator = _text(entry, "CdtDbtInd")
    if indicator not in {"CRDT", "DBIT"}:
        raise StatementError(_("CdtDbtInd must be CRDT or DBIT."), f"{location}/CdtDbtInd")
    common = {
        "sign": 1 if indicator == "CRDT" else -1,
        # A reversal (returned direct debit, chargeback) booked as DBIT: money going back.
        "reversal": _text(entry, "RvslInd").lower() == "true",
        "booking_date": _booking_date(entry, location),
    }
    transactions = [tx for d in _children(entry, "NtryDtls") for tx in _children(d, "TxDtls")]
    reference = _entry_reference(entry, account, transactions, fingerprints)
    if len(transactions) <= 1:
        details = transactions[0] if transactions else entry
        return [
            _entry(
                details,
                reference=reference,
                amount=amount,
                currency=currency,
                location=location,
                **common,
            )
        ]
    payments = []
    keys = _transaction_keys(transactions, _text(entry, "AcctSvcrRef"))
    for t_index, (tx, key) in enumerate(zip(transactions, keys, strict=True), start=1):
        tx_location = f"{location}/NtryDtls/TxDtls[{t_index}]"
        amount_element = _child(tx, "Amt")
        if amount_element is None:  # camt.053.001.02 keeps it under AmtDtls
            amount_element = _child(tx, "AmtDtls", "TxAmt", "Amt")
        tx_amount, tx_currency = _amount(amount_element, f"{tx_location}/Amt")
        payments.append(
            _entry(
                tx,
                reference=f"{reference}/{key}",
                amount=tx_amount,
                currency=tx_currency,
                location=tx_location,
                **common,
            )
        )
    return payments


def _entry_reference(
    entry: Element, account: str, transactions: list[Element], fingerprints: Counter[str]
) -> str:
    """The entry's key (see ``parse_camt053``); ``fingerprints`` counts the digests already
    given on this statement, so identical entries are numbered."""
    reference = _text(entry, "AcctSvcrRef")
    if not reference and len(transactions) == 1:
        reference = _own_reference(transactions[0], "AcctSvcrRef")
    if not reference:
        fingerprint = _content_reference(*_entry_fingerprint(entry, account, transactions))
        fingerprints[fingerprint] += 1
        occurrence = fingerprints[fingerprint]
        reference = fingerprint if occurrence == 1 else f"{fingerprint}-{occurrence}"
    return reference


# --- CSV ------------------------------------------------------------------------------------


def _csv_amount(value: str, location: str) -> Decimal:
    try:
        return parse_amount(value)
    except ValueError:
        raise StatementError(
            _("%(value)r is not an amount.") % {"value": value}, location
        ) from None


def _csv_date(value: str, location: str) -> date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 - a plain date
        except ValueError:
            continue
    raise StatementError(
        _("%(value)r is not a date (use YYYY-MM-DD).") % {"value": value}, location
    )


def parse_csv(content: bytes) -> list[StatementEntry]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StatementError(_("the file is not UTF-8 text.")) from exc
    if not text.strip():
        raise StatementError(_("the file is empty."), _("line %(line)s") % {"line": 1})
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise StatementError(
            _("the file contains a NUL character."), _("line %(line)s") % {"line": line}
        )
    reader = csv.DictReader(io.StringIO(text), delimiter=csv_delimiter(text))
    try:
        return _csv_entries(reader)
    except csv.Error as exc:
        # A field longer than the csv module's limit (131,072 characters), for instance.
        raise StatementError(
            _("the line cannot be read (%(error)s).") % {"error": exc},
            # The reader has not counted the line it could not read yet.
            _("line %(line)s") % {"line": reader.line_num + 1},
        ) from None


def _csv_entries(reader: csv.DictReader) -> list[StatementEntry]:
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    missing = [h for h in CSV_REQUIRED if h not in headers]
    if missing:
        raise StatementError(
            ngettext(
                "the header lacks the column %(columns)s.",
                "the header lacks the columns %(columns)s.",
                len(missing),
            )
            % {"columns": ", ".join(missing)},
            _("line %(line)s") % {"line": 1},
        )
    entries: list[StatementEntry] = []
    for row in reader:
        line = reader.line_num
        location = _("line %(line)s") % {"line": line}
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not any(values.values()):
            continue
        if None in row:
            raise StatementError(_("the line has more fields than the header."), location)
        if not values.get("reference"):
            raise StatementError(_("the reference is missing."), location)
        entries.append(
            StatementEntry(
                reference=values["reference"],
                booking_date=_csv_date(values.get("date", ""), location),
                amount=_csv_amount(values.get("amount", ""), location),
                currency="EUR",
                remittance_text=values.get("remittance", ""),
                counterparty_name=values.get("name", ""),
                counterparty_iban=values.get("iban", "").replace(" ", "").upper(),
                location=location,
            )
        )
    if not entries:
        raise StatementError(_("the file holds no payments."))
    _check_unique(entries)
    return entries


def _check_unique(entries: list[StatementEntry], *, repeats_allowed: bool = False) -> None:
    """A reference names one payment. The same entry twice in one file (two overlapping
    statements in it) is allowed where ``repeats_allowed``; the import keeps the first. The
    same reference for different money is refused: one of them would be lost."""
    seen: dict[str, StatementEntry] = {}
    for entry in entries:
        first = seen.setdefault(entry.reference, entry)
        if first is entry or (repeats_allowed and first.same_money(entry)):
            continue
        raise StatementError(
            _("reference %(reference)s appears twice in the file (first at %(first)s).")
            % {"reference": entry.reference, "first": first.location},
            entry.location,
        )
