from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from portal import views

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("organisation/", views.organisation_home, name="organisation_home"),
        path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
        path("language/", views.set_language, name="set_language"),
        # Answered by portal.middleware.HealthCheckMiddleware before sessions; named here for
        # reverse() and the permission matrix.
        path("healthz", views.healthz, name="healthz"),
        path("livez", views.livez, name="livez"),
    ],
    "portal",
)

admin.site.site_header = _("Mijn organisatie – management")
admin.site.site_title = _("Mijn organisatie – management")
admin.site.index_title = _("Customers, organisations, invoices and users")
# The admin login goes through allauth's login (rate limits, two-factor login) too.
admin.site.login = secure_admin_login(admin.site.login)

# The 403 page in the words of the refusal (a role without the right, no access yet, access
# removed); 404 and 500 are Django's handlers with the portal's templates.
handler403 = views.permission_denied

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says; answer with the real icon.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url="/static/favicon.svg", permanent=True)),
    ),
    path("", include(portal_patterns)),
    path("invoices/", include("invoices.urls")),
    path("organisation/billing-address/", include("billing_address.urls")),
    path("organisation/users/", include("users.urls")),
    path("organisation/activity/", include("audit.urls")),
    path("", include("accounts.urls")),
    # A contact's e-mail address is their identity at one customer (R14): only an Admin or
    # staff may change it, so allauth's self-service e-mail pages do not exist here.
    path("accounts/email/", views.not_available, name="allauth_email_disabled"),
    re_path(
        r"^accounts/confirm-email/", views.not_available, name="allauth_confirm_email_disabled"
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
