from __future__ import annotations

from django.contrib import admin

from core.admin_tools import ReadOnlyAdminMixin
from users.models import JobFunction, UserRemoval


@admin.register(JobFunction)
class JobFunctionAdmin(admin.ModelAdmin):
    """The function pick list (R18): its order, both languages' names, and whether it can
    still be chosen (a retired function stays on the people who have it)."""

    list_display = ["name_nl", "name_en", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    search_fields = ["name_nl", "name_en"]
    ordering = ["order", "name_nl"]


@admin.register(UserRemoval)
class UserRemovalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of every removal (R16): staff keep it, nobody edits or deletes it."""

    list_display = [
        "removed_at",
        "user_email",
        "user_name",
        "organisation",
        "kind",
        "role",
        "deactivated",
        "csm_notified",
        "removed_by_email",
    ]
    list_filter = ["deactivated", "csm_notified", "customer", "organisation", "kind"]
    search_fields = ["user_email", "user_name", "removed_by_email", "reason", "organisation__name"]
    list_select_related = ["organisation"]
    date_hierarchy = "removed_at"
    readonly_fields = [field.name for field in UserRemoval._meta.fields]
