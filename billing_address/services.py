"""The one write path of billing addresses (R12): portal, admin and demo call it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from audit.services import audit_record
from billing_address.models import BillingAddress, BillingAddressChange

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import Organisation, User


class BillingAddressConflict(Exception):
    """Someone else saved the address after this edit began (optimistic check on version).

    Carries the address as it is now, so the person can see it and decide; nothing was saved.
    """

    def __init__(self, current: BillingAddress) -> None:
        super().__init__(f"billing address changed meanwhile (now version {current.version})")
        self.current = current


@transaction.atomic
def billing_address_update(
    *,
    organisation: Organisation,
    by: User | None,
    values: dict[str, Any],
    expected_version: int,
    request: HttpRequest | None = None,
) -> BillingAddress:
    """Validates and saves the organisation's billing address, keeping its history.

    ``expected_version`` is the version the edit started from (0 when there was no address):
    if the stored address has moved on, ``BillingAddressConflict`` is raised and nothing
    changes, so two Admins editing at once never overwrite each other silently. A change
    writes a ``BillingAddressChange`` (each changed field before and after) and an audit event
    in the same transaction; saving the same values again writes nothing.
    """
    # The row lock serialises concurrent saves; the version comparison catches edits that
    # began before another one was saved.
    address = BillingAddress.objects.select_for_update().filter(organisation=organisation).first()
    current_version = address.version if address is not None else 0
    if address is None:
        address = BillingAddress(organisation=organisation)
    if expected_version != current_version:
        raise BillingAddressConflict(address)
    before = address.values() if address.pk else {}
    for name in BillingAddress.EDITABLE_FIELDS:
        if name in values:
            setattr(address, name, values[name] if values[name] is not None else "")
    # The organisation is fixed by the caller; its uniqueness is the database's to enforce.
    address.full_clean(exclude=["organisation"])
    after = address.values()
    changed = [
        name for name in BillingAddress.EDITABLE_FIELDS if before.get(name, "") != after[name]
    ]
    if not changed:
        return address
    if address.pk:
        address.version += 1
        address.save()
    else:
        try:
            with transaction.atomic():
                address.save()
        except IntegrityError:
            # Another Admin created the first address a moment ago: theirs stands.
            raise BillingAddressConflict(
                BillingAddress.objects.get(organisation=organisation)
            ) from None
    _change_record(
        address=address,
        organisation=organisation,
        by=by,
        before={name: before.get(name, "") for name in changed},
        after={name: after[name] for name in changed},
        request=request,
    )
    return address


def _change_record(
    *,
    address: BillingAddress,
    organisation: Organisation,
    by: User | None,
    before: dict,
    after: dict,
    request: HttpRequest | None,
) -> None:
    """The address's history (staff and the portal show it) and the audit event of one
    change, both with the changed fields only."""
    BillingAddressChange.objects.create(
        address=address,
        changed_by=by,
        changed_by_name=by.get_full_name() if by is not None else "",
        changed_by_email=by.email if by is not None else "",
        version=address.version,
        before=before,
        after=after,
    )
    audit_record(
        action=AuditEvent.Action.BILLING_ADDRESS_CHANGED,
        actor=by,
        organisation=organisation,
        target=address,
        target_label=str(organisation),
        before=before,
        after=after,
        request=request,
    )
