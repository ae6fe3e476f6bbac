from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from portal import views

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("organisation/", views.organisation_home, name="organisation_home"),
        path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
        path("language/", views.set_language, name="set_language"),
        path("healthz", views.healthz, name="healthz"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("invoices/", include("invoices.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
