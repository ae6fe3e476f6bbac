from __future__ import annotations

from django.conf import settings

from accounts.permissions import Capabilities
from accounts.tokens import link_lifetime_hours
from portal.chrome import PageHeader
from portal.navigation import visible_sections


def portal(request) -> dict:
    can = getattr(request, "can", None) or Capabilities()
    sections = visible_sections(can)
    return {
        "can": can,
        "nav_sections": sections,
        # The page header's values (portal/chrome.py), each worked out when base.html reads it.
        "header": PageHeader(request, sections=sections),
        "SUPPORT_PORTAL_URL": settings.SUPPORT_PORTAL_URL,
        # How long a password-reset link lasts, for the pages that say so.
        "password_reset_hours": link_lifetime_hours(settings.PASSWORD_RESET_TIMEOUT),
    }
