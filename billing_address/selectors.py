"""Reads of billing addresses. Every read takes the organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billing_address.models import BillingAddress, BillingAddressChange

if TYPE_CHECKING:
    from accounts.models import Organisation


def billing_address_get(*, organisation: Organisation) -> BillingAddress | None:
    return BillingAddress.objects.filter(organisation=organisation).first()


def billing_address_last_change(*, address: BillingAddress | None) -> BillingAddressChange | None:
    """The latest change (who, when), one indexed query whatever the history's length."""
    if address is None or address.pk is None:
        return None
    return (
        BillingAddressChange.objects.filter(address=address)
        .order_by("-changed_at", "-pk")[:1]
        .first()
    )


def billing_address_snapshot(*, organisation: Organisation) -> dict[str, str]:
    """The address as it is now, as the plain values an invoice copies (R11, R12).

    The one place invoices read the address from: a change is live for the next invoice, and
    what an invoice copied is never touched again. Without an address, only the name is known.
    """
    address = billing_address_get(organisation=organisation)
    if address is None:
        return {name: "" for name in BillingAddress.EDITABLE_FIELDS} | {
            "organisation_name": organisation.name
        }
    return address.values()


# The overview reads the address in its one statement (portal/overview.py), joined by the
# organisation (the unique index): the fields its card shows, in the model's order, as
# ``Model.from_db`` takes them.
CARD_FIELDS = ("id", "organisation_id", *BillingAddress.EDITABLE_FIELDS)
CARD_WIDTH = len(CARD_FIELDS)


def billing_address_join(alias: str) -> str:
    """``LEFT JOIN`` of the organisation's address (``%(organisation)s``) as ``alias``."""
    table = BillingAddress._meta.db_table
    return f"LEFT JOIN {table} {alias} ON {alias}.organisation_id = %(organisation)s"


def billing_address_columns(alias: str) -> str:
    columns = {field.attname: field.column for field in BillingAddress._meta.concrete_fields}
    return ", ".join(f"{alias}.{columns[name]}" for name in CARD_FIELDS)


def billing_address_from_row(values) -> BillingAddress | None:
    """The address (only ``CARD_FIELDS`` loaded) from its columns; None without one."""
    if values[0] is None:
        return None
    return BillingAddress.from_db(BillingAddress.objects.db, CARD_FIELDS, tuple(values))
