"""The portal's URLs plus one Admin-only page, to see a role change through the middleware."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path

from accounts.decorators import admin_required
from portal.urls import urlpatterns as portal_urlpatterns


@admin_required
def admin_only(request):
    return HttpResponse(f"Admin of {request.organisation.name}")


urlpatterns = [path("test/admin-only/", admin_only, name="test_admin_only"), *portal_urlpatterns]
