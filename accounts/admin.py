from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminUserAddForm, AdminUserChangeForm
from accounts.models import Customer, Membership, Organisation, User


class OrganisationInline(admin.TabularInline):
    model = Organisation
    extra = 0
    fields = ["name", "debtor_number"]
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "csm_email"]
    search_fields = ["name", "csm_email", "organisations__name"]
    inlines = [OrganisationInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["organisation", "kind", "role", "security_contact", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "debtor_number", "customer"]
    list_filter = ["customer"]
    search_fields = ["name", "debtor_number", "customer__name"]
    list_select_related = ["customer"]
    autocomplete_fields = ["customer"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    ordering = ["last_name", "first_name", "email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "customer",
        "language",
        "is_active",
        "is_staff",
    ]
    list_filter = ["is_active", "is_staff", "language", "customer"]
    search_fields = ["email", "first_name", "last_name", "customer__name"]
    list_select_related = ["customer"]
    autocomplete_fields = ["customer"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "customer", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "first_name",
                    "last_name",
                    "customer",
                    "language",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "kind", "role", "security_contact", "created_at"]
    list_filter = ["kind", "role", "security_contact", "organisation__customer"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
