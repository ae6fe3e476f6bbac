"""The overview of *Mijn organisatie* (issue 17): the state of the account, worked out once per
request for ``templates/portal/organisation_home.html``.

What it shows comes from the apps' own selectors, never recomputed here: the figures from the
stored ledger (``invoices.selectors.invoice_account_figures``, the balance and the
processed-up-to moment written as *Facturen* writes them), the five latest invoices (the list's
own query and order), the billing address, the number of Admins and Viewers, and for Admins
the five latest sentences of *Activiteit* (``audit.rows``). A fixed number of SQL statements
whatever the data size: pinned in ``tests/portal/test_overview.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import VIEW_AUDIT_LOG, Capabilities
from accounts.selectors import PeopleCount, organisation_people_count
from audit.rows import EventRow, event_rows
from audit.selectors import audit_event_list
from billing_address.models import BillingAddress
from billing_address.selectors import billing_address_get
from core.formatters import TemplateRow, date_formatter, money_formatter
from invoices.ledger import ledger_publish_due
from invoices.models import Invoice
from invoices.selectors import (
    UNPAID_STATUSES,
    AccountFigures,
    invoice_account_figures,
    invoice_list,
)

LATEST_INVOICES = 5
LATEST_EVENTS = 5
# The columns an invoice of the overview reads (``QuerySet.only``).
INVOICE_FIELDS = (
    "number",
    "kind",
    "invoice_date",
    "due_date",
    "ledger_signed",
    "ledger_open",
    "ledger_state",
)
# The columns a sentence of *Activiteit* reads (``audit.rows.event_rows``): not the IP
# address and user agent, which are for staff.
EVENT_FIELDS = (
    "created_at",
    "action",
    "actor_name",
    "actor_email",
    "target_label",
    "before",
    "after",
)


@dataclass(frozen=True, slots=True)
class OverviewInvoice(TemplateRow):
    """One of the latest invoices as the overview shows it, every value text in the active
    language; ``url`` leads to the invoice (``invoice_link_maker``)."""

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


@dataclass(frozen=True)
class Overview:
    """Everything the overview shows of the active organisation."""

    figures: AccountFigures
    invoices: list[OverviewInvoice]
    address: BillingAddress | None
    people: PeopleCount
    # The latest sentences of *Activiteit*: only for those who may read it (Admins).
    show_activity: bool
    events: list[EventRow]
    # *Facturen* filtered on what is overdue, for the overdue figure's link.
    overdue_url: str


def invoice_link_maker() -> Callable[[str], str]:
    """The link of an invoice, made once per page: *Facturen* searched on its number, which
    finds that invoice. The one place to switch to the invoice page (``invoices:detail``,
    ``/invoices/<number>/``) once it exists: ``url_maker("invoices:detail", "number", "X")``."""
    list_url = reverse("invoices:list")
    return lambda number: f"{list_url}?q={quote(number, safe='/')}"


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


def overview_build(*, organisation: Organisation, can: Capabilities, now: datetime) -> Overview:
    """The overview of ``organisation`` for someone with the capabilities ``can``, at ``now``.

    Payments that became visible (R10) enter the ledger first, as on *Facturen*: the figures'
    one statement says whether any have come due; only then are they published and the
    figures read again."""
    figures = invoice_account_figures(organisation=organisation, now=now)
    if figures.publish_due:
        ledger_publish_due(organisation=organisation, now=now)
        figures = invoice_account_figures(organisation=organisation, now=now)
    latest = (
        invoice_list(organisation=organisation, now=now, annotated=False)
        .select_related(None)
        .only(*INVOICE_FIELDS)[:LATEST_INVOICES]
    )
    show_activity = can.has(VIEW_AUDIT_LOG)
    events = []
    if show_activity:
        events = event_rows(
            audit_event_list(organisation=organisation).only(*EVENT_FIELDS)[:LATEST_EVENTS]
        )
    return Overview(
        figures=figures,
        invoices=overview_invoice_rows(latest, today=timezone.localdate(now)),
        address=billing_address_get(organisation=organisation),
        people=organisation_people_count(organisation=organisation),
        show_activity=show_activity,
        events=events,
        overdue_url=f"{reverse('invoices:list')}?status={Invoice.Status.OVERDUE.value}",
    )
