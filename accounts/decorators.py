"""The access rules of every portal view (R21), for function views and class-based views.

- not logged in                          -> redirect to the login page
- no *Mijn organisatie* access at all    -> 403
- logged in, but the role lacks the right -> 403
Another organisation's object is a 404, answered by the selectors, which always filter on
``request.organisation``.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.permissions import CAPABILITIES, MANAGE_USERS, VIEW_ORGANISATION

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.http import HttpRequest, HttpResponse


def capability_required(capability: str) -> Callable:
    if capability not in CAPABILITIES:
        raise ValueError(f"Unknown capability {capability!r}")

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # The reason is for the log only (portal/log_filters.py); the 403 page says less.
            if request.membership is None:
                raise PermissionDenied("no Mijn organisatie access")
            if not request.can.has(capability):
                raise PermissionDenied(f"the role lacks {capability}")
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability
        return wrapped

    return decorator


organisation_required = capability_required(VIEW_ORGANISATION)
organisation_required.__doc__ = "Any Viewer or Admin of the active organisation."
admin_required = capability_required(MANAGE_USERS)
admin_required.__doc__ = "An Admin of the active organisation."


class CapabilityRequiredMixin:
    """Wraps ``as_view()`` with the same decorator the function views use."""

    required_capability: str = VIEW_ORGANISATION

    @classmethod
    def as_view(cls, **initkwargs):
        return capability_required(cls.required_capability)(super().as_view(**initkwargs))


class OrganisationRequiredMixin(CapabilityRequiredMixin):
    required_capability = VIEW_ORGANISATION


class AdminRequiredMixin(CapabilityRequiredMixin):
    required_capability = MANAGE_USERS
