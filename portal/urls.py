from __future__ import annotations

from allauth.account.decorators import secure_admin_login
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

# The admin login goes through allauth's login (rate limits, two-factor login) too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include(portal_patterns)),
    path("", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
