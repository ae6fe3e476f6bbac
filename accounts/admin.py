"""Django admin of allauth's models, named and labelled in the staff's language: a person's
two-factor login methods and login sessions. Customers, organisations, contacts and access
are in users/admin.py, which calls the users services."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import LoginSession, TwoFactorMethod
from accounts.user_agents import browser_and_system
from core.admin_tools import ReadOnlyAdminMixin

for _model in (Authenticator, UserSession):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TwoFactorMethod)
class TwoFactorMethodAdmin(admin.ModelAdmin):
    raw_id_fields = ["user"]
    list_display = ["user", "kind", "created", "last_used"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = ["created_at", "last_used_at"]

    @admin.display(description=_("kind"), ordering="type")
    def kind(self, obj: TwoFactorMethod) -> str:
        return obj.get_type_display()

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, obj: TwoFactorMethod):
        return obj.created_at

    @admin.display(description=_("last used at"), ordering="last_used_at")
    def last_used(self, obj: TwoFactorMethod):
        return obj.last_used_at


@admin.register(LoginSession)
class LoginSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    raw_id_fields = ["user"]
    list_display = ["user", "started", "last_seen", "ip_address", "device"]
    search_fields = ["user__email", "ip"]
    list_select_related = ["user"]
    fields = ["user", "created_at", "last_seen_at", "ip", "user_agent"]
    readonly_fields = fields
    refused_permissions = frozenset({"add"})  # sessions begin by logging in

    @admin.display(description=_("started at"), ordering="created_at")
    def started(self, obj: LoginSession):
        return obj.created_at

    @admin.display(description=_("last seen at"), ordering="last_seen_at")
    def last_seen(self, obj: LoginSession):
        return obj.last_seen_at

    @admin.display(description=_("IP address"), ordering="ip")
    def ip_address(self, obj: LoginSession) -> str:
        return obj.ip

    @admin.display(description=_("browser and system"))
    def device(self, obj: LoginSession) -> str:
        return browser_and_system(obj.user_agent)
