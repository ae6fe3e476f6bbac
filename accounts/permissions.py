"""What each role may do in *Mijn organisatie* (R21).

Views and templates ask for a named capability, never for a role, so a new role or a moved
right changes this table only. An unknown capability name raises instead of silently
answering "no", which would hide a typo in a template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Membership

if TYPE_CHECKING:
    from collections.abc import Iterable

VIEW_ORGANISATION = "view_organisation"
EDIT_BILLING_ADDRESS = "edit_billing_address"
MANAGE_USERS = "manage_users"
VIEW_AUDIT_LOG = "view_audit_log"

CAPABILITIES = frozenset({VIEW_ORGANISATION, EDIT_BILLING_ADDRESS, MANAGE_USERS, VIEW_AUDIT_LOG})

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Membership.Role.VIEWER: frozenset({VIEW_ORGANISATION}),
    Membership.Role.ADMIN: CAPABILITIES,
}


class UnknownCapabilityError(Exception):
    """Raised for a capability name that does not exist (a typo in a view or template)."""


class Capabilities:
    """The capabilities of the current request's membership, loaded once per request.

    Templates use ``{% if can.manage_users %}``; views use ``can.has("manage_users")``.
    """

    def __init__(self, granted: Iterable[str] = ()) -> None:
        self._granted = frozenset(granted)

    @classmethod
    def for_membership(cls, membership: Membership | None) -> Capabilities:
        if membership is None or membership.kind != Membership.Kind.ORGANISATION:
            return cls()
        return cls(ROLE_CAPABILITIES.get(membership.role, frozenset()))

    def has(self, name: str) -> bool:
        if name not in CAPABILITIES:
            raise UnknownCapabilityError(name)
        return name in self._granted

    # The template language looks names up with [] first; an exception other than
    # KeyError/AttributeError/TypeError/ValueError/IndexError propagates, as intended.
    __getitem__ = has

    def __repr__(self) -> str:
        return f"Capabilities({sorted(self._granted)!r})"
