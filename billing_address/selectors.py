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
