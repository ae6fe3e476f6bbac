"""The overview of *Mijn organisatie* (issue 17): the state of the account, worked out once per
request for ``templates/portal/organisation_home.html``.

What it shows comes from the apps' own reads, never recomputed here: the figures from the
stored ledger (``invoices.selectors``: the balance and the processed-up-to moment are the very
subqueries of *Facturen*'s summary), the five latest invoices in the list's order, the billing
address, the number of Admins and Viewers (``accounts.selectors``), and for Admins the five
latest sentences of *Activiteit* (``audit.rows``).

It all comes in one SQL statement (``_OVERVIEW_SQL``), composed of the parts each app writes
and reads back itself (``ACCOUNT_FIGURES_*``, ``PEOPLE_COUNT_*``, ``billing_address_*``,
``LATEST_INVOICES_*``, ``LATEST_EVENTS_*``): six separate queries made the overview three
times slower than the page it replaced (bench/README.md). A fixed number of SQL statements
whatever the data size, pinned in ``tests/portal/test_overview.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import VIEW_AUDIT_LOG, Capabilities
from accounts.selectors import (
    PEOPLE_COUNT_COLUMNS,
    PEOPLE_COUNT_CTE,
    PEOPLE_COUNT_WIDTH,
    PeopleCount,
    people_count_from_row,
    people_count_params,
)
from audit.models import AuditEvent
from audit.rows import EventRow, event_rows
from audit.selectors import (
    LATEST_EVENTS_CTE,
    LATEST_EVENTS_ORDER,
    LATEST_EVENTS_WIDTH,
    latest_event_from_row,
)
from billing_address.models import BillingAddress
from billing_address.selectors import (
    CARD_WIDTH,
    billing_address_columns,
    billing_address_from_row,
    billing_address_join,
)
from core.formatters import TemplateRow, date_formatter, money_formatter, url_maker
from invoices.ledger import ledger_publish_due
from invoices.models import Invoice
from invoices.selectors import (
    ACCOUNT_FIGURES_COLUMNS,
    ACCOUNT_FIGURES_CTES,
    ACCOUNT_FIGURES_FROM,
    ACCOUNT_FIGURES_WIDTH,
    LATEST_INVOICES_CTE,
    LATEST_INVOICES_ORDER,
    LATEST_INVOICES_WIDTH,
    UNPAID_STATUSES,
    AccountFigures,
    account_figures_from_row,
    account_figures_params,
    latest_invoice_from_row,
)

LATEST_INVOICES = 5
LATEST_EVENTS = 5


@dataclass(frozen=True, slots=True)
class OverviewInvoice(TemplateRow):
    """One of the latest invoices as the overview shows it, every value text in the active
    language; ``url`` leads to the invoice's page (``invoice_link_maker``)."""

    number: str
    url: str
    kind: str
    invoice_date: str
    # Amount incl. VAT and open amount, signed (a credit invoice negative), without the €.
    total: str
    open: str
    # The status and the Bootstrap class of its badge, as on *Facturen*; ``unpaid`` for an
    # open or overdue one, whose open amount the row names.
    status: str
    badge: str
    unpaid: bool


@dataclass(frozen=True, slots=True)
class FigureTexts(TemplateRow):
    """The figures as the cards write them, in the active language and time zone: amounts
    without the € (as ``floatformat:"2g"``), dates as ``DATE_FORMAT``, and for the ``time``
    elements the ISO forms; "" for a date there is none of."""

    balance: str
    overdue: str
    next_due: str
    next_due_iso: str
    next_due_amount: str
    processed: str
    processed_iso: str


def figure_texts(figures: AccountFigures) -> FigureTexts:
    money = money_formatter()
    long_date = date_formatter("DATE_FORMAT")
    next_due = figures.next_due_date
    processed = figures.payments_processed_until
    if processed is not None:
        processed = timezone.localtime(processed)
    return FigureTexts(
        balance=money(figures.open_balance),
        overdue=money(figures.overdue_amount),
        next_due=long_date(next_due) if next_due else "",
        next_due_iso=next_due.isoformat() if next_due else "",
        next_due_amount=money(figures.next_due_amount),
        processed=(
            f"{long_date(processed.date())} {processed:%H:%M}" if processed is not None else ""
        ),
        processed_iso=processed.isoformat() if processed is not None else "",
    )


@dataclass(frozen=True)
class Overview:
    """Everything the overview shows of the active organisation."""

    figures: AccountFigures
    texts: FigureTexts
    invoices: list[OverviewInvoice]
    address: BillingAddress | None
    people: PeopleCount
    # The latest sentences of *Activiteit*: only for those who may read it (Admins).
    show_activity: bool
    events: list[EventRow]
    # *Facturen* filtered on what is overdue, for the overdue figure's link.
    overdue_url: str


def invoice_link_maker() -> Callable[[str], str]:
    """The link of an invoice to its page (``invoices:detail``), made once per page."""
    return url_maker("invoices:detail", "number", "NUMBER")


def overview_invoice_rows(invoices: Iterable[Invoice], *, today: date) -> list[OverviewInvoice]:
    """The rows of the latest invoices (``INVOICE_FIELDS`` loaded), *Vervallen* as of
    ``today``, labels and formats looked up once."""
    kinds = dict(Invoice.Kind.choices)
    statuses = {status.value: (str(status.label), status.badge_class) for status in Invoice.Status}
    link = invoice_link_maker()
    short_date = date_formatter()
    money = money_formatter()
    rows = []
    for invoice in invoices:
        state = invoice.ledger_status(today)
        status, badge = statuses[state]
        rows.append(
            OverviewInvoice(
                number=invoice.number,
                url=link(invoice.number),
                kind=str(kinds[invoice.kind]),
                invoice_date=short_date(invoice.invoice_date),
                total=money(invoice.ledger_signed),
                open=money(invoice.ledger_open),
                status=status,
                badge=badge,
                unpaid=state in UNPAID_STATUSES,
            )
        )
    return rows


# The overview's one statement: the ledger's figures, the people by role, the billing address,
# the latest invoices and (for those who may read them) the latest events, each the part its
# app writes: its named subquery, its columns and a function reading them back. The figures
# and the people have one row each; the address, the invoices and the events are joined to it
# (LEFT JOIN), so the statement answers at least one row and at most invoices × events (25):
# the first row holds the figures, the people and the address, and each invoice and each
# event appears in order, repeated for the other list's rows.
_OVERVIEW_SQL = f"""
WITH {ACCOUNT_FIGURES_CTES},
{PEOPLE_COUNT_CTE},
{LATEST_INVOICES_CTE},
{LATEST_EVENTS_CTE}
SELECT {ACCOUNT_FIGURES_COLUMNS},
  {PEOPLE_COUNT_COLUMNS},
  {billing_address_columns("address")},
  latest_invoices.*,
  latest_events.*
FROM {ACCOUNT_FIGURES_FROM} CROSS JOIN people
{billing_address_join("address")}
LEFT JOIN latest_invoices ON 1 = 1
LEFT JOIN latest_events ON 1 = 1
ORDER BY {LATEST_INVOICES_ORDER}, {LATEST_EVENTS_ORDER}
"""  # noqa: S608 - names from the apps' models; every value is a parameter
_PEOPLE_AT = ACCOUNT_FIGURES_WIDTH
_ADDRESS_AT = _PEOPLE_AT + PEOPLE_COUNT_WIDTH
_INVOICE_AT = _ADDRESS_AT + CARD_WIDTH
_EVENT_AT = _INVOICE_AT + LATEST_INVOICES_WIDTH


@dataclass(frozen=True)
class _Read:
    figures: AccountFigures
    people: PeopleCount
    address: BillingAddress | None
    invoices: list[Invoice]
    events: list[AuditEvent]


def _distinct(rows, start: int, end: int, read: Callable) -> list:
    """The records of columns ``start:end`` of ``rows``, each once, in the rows' order."""
    records = {}
    for row in rows:
        key = row[start]
        if key is not None and key not in records:
            records[key] = read(row[start:end])
    return list(records.values())


def _read(*, organisation: Organisation, now: datetime, events: int) -> _Read:
    """Everything but the page: one statement, with the ``events`` latest events (0: none)."""
    params = {
        **account_figures_params(organisation=organisation, now=now),
        **people_count_params(organisation=organisation),
        "latest": LATEST_INVOICES,
        "events": events,
    }
    with connection.cursor() as cursor:
        cursor.execute(_OVERVIEW_SQL, params)
        rows = cursor.fetchall()
    first = rows[0]
    return _Read(
        figures=account_figures_from_row(first[:_PEOPLE_AT]),
        people=people_count_from_row(first[_PEOPLE_AT:_ADDRESS_AT]),
        address=billing_address_from_row(first[_ADDRESS_AT:_INVOICE_AT]),
        invoices=_distinct(rows, _INVOICE_AT, _EVENT_AT, latest_invoice_from_row),
        events=_distinct(rows, _EVENT_AT, _EVENT_AT + LATEST_EVENTS_WIDTH, latest_event_from_row),
    )


def overview_build(*, organisation: Organisation, can: Capabilities, now: datetime) -> Overview:
    """The overview of ``organisation`` for someone with the capabilities ``can``, at ``now``:
    one statement (``_OVERVIEW_SQL``); the latest events only for those who may read
    *Activiteit* (Admins).

    Payments that became visible (R10) enter the ledger first, as on *Facturen*: the figures
    say whether any have come due; only then are they published and everything read again."""
    show_activity = can.has(VIEW_AUDIT_LOG)
    events = LATEST_EVENTS if show_activity else 0
    read = _read(organisation=organisation, now=now, events=events)
    if read.figures.publish_due:
        ledger_publish_due(organisation=organisation, now=now)
        read = _read(organisation=organisation, now=now, events=events)
    return Overview(
        figures=read.figures,
        texts=figure_texts(read.figures),
        invoices=overview_invoice_rows(read.invoices, today=timezone.localdate(now)),
        address=read.address,
        people=read.people,
        show_activity=show_activity,
        events=event_rows(read.events),
        overdue_url=f"{reverse('invoices:list')}?status={Invoice.Status.OVERDUE.value}",
    )
