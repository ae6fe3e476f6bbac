"""Sets the active organisation of each request (R6).

The session holds only the id of the organisation the user picked, never a permission: on
every request the membership is read again, so access revoked while logged in takes effect on
the next request. A stale or foreign id is dropped and the first organisation by name is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import Capabilities
from accounts.selectors import organisation_membership_list

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse

    from accounts.models import Membership, Organisation

SESSION_KEY = "active_organisation_id"


def set_active_organisation(request: HttpRequest, organisation: Organisation) -> None:
    request.session[SESSION_KEY] = organisation.pk


class ActiveOrganisationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation_memberships = []
        request.membership = None
        request.organisation = None
        if request.user.is_authenticated:
            # Read with the user by accounts.backends (one query for both); else read now.
            memberships = getattr(request.user, "organisation_memberships", None)
            if memberships is None:
                memberships = organisation_membership_list(user=request.user)
            request.organisation_memberships = memberships
            membership = self._choose(request, memberships)
            request.membership = membership
            request.organisation = membership.organisation if membership else None
        request.can = Capabilities.for_membership(request.membership)
        return self.get_response(request)

    @staticmethod
    def _choose(request: HttpRequest, memberships: list[Membership]) -> Membership | None:
        wanted = request.session.get(SESSION_KEY)
        for membership in memberships:
            if membership.organisation_id == wanted:
                return membership
        if not memberships:
            request.session.pop(SESSION_KEY, None)
            return None
        # Stale, revoked or never chosen: fall back to the first organisation by name.
        set_active_organisation(request, memberships[0].organisation)
        return memberships[0]
