from __future__ import annotations

from django.conf import settings

from accounts.permissions import Capabilities
from portal.navigation import visible_sections


def portal(request) -> dict:
    can = getattr(request, "can", None) or Capabilities()
    return {
        "can": can,
        "nav_sections": visible_sections(can),
        "SUPPORT_PORTAL_URL": settings.SUPPORT_PORTAL_URL,
    }
