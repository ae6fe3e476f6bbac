from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminUserAddForm, AdminUserChangeForm
from accounts.models import Customer, Membership, Organisation, User
from accounts.services import (
    user_deactivate,
    user_reactivate,
    user_send_welcome,
    user_welcome_if_needed,
)


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
        "welcome_sent_at",
        "last_login",
    ]
    actions = ["send_welcome", "deactivate", "reactivate"]
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
        (_("Important dates"), {"fields": ["last_login", "date_joined", "welcome_sent_at"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "welcome_sent_at"]
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
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def save_model(self, request, obj, form, change) -> None:
        # Deactivation is more than a flag: it goes through the service that ends the sessions.
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivating:
            user_deactivate(user=obj, by=request.user)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Staff just gave a never-activated contact access: the welcome mail goes out (R2).
        if user_welcome_if_needed(user=form.instance):
            self.message_user(
                request,
                gettext("A welcome e-mail was sent to %(email)s.") % {"email": form.instance.email},
                messages.SUCCESS,
            )

    @admin.action(description=_("Send the welcome e-mail (again)"), permissions=["change"])
    def send_welcome(self, request, queryset) -> None:
        sent, skipped = 0, []
        for user in queryset:
            if user_send_welcome(user=user):
                sent += 1
            else:
                skipped.append(user.email)
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d welcome e-mail queued.", "%(count)d welcome e-mails queued.", sent
                )
                % {"count": sent},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                gettext(
                    "No welcome e-mail for %(emails)s: already activated or deactivated. "
                    "Activated users can use Forgot password."
                )
                % {"emails": ", ".join(skipped)},
                messages.WARNING,
            )

    @admin.action(description=_("Deactivate (log out everywhere)"), permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        users = [user for user in queryset if user.pk != request.user.pk]
        for user in users:
            user_deactivate(user=user, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", len(users))
            % {"count": len(users)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reactivate"), permissions=["change"])
    def reactivate(self, request, queryset) -> None:
        for user in queryset:
            user_reactivate(user=user, by=request.user)
        self.message_user(request, gettext("The selected users can log in again."))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "kind", "role", "security_contact", "created_at"]
    list_filter = ["kind", "role", "security_contact", "organisation__customer"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change and user_welcome_if_needed(user=obj.user):
            self.message_user(
                request,
                gettext("A welcome e-mail was sent to %(email)s.") % {"email": obj.user.email},
                messages.SUCCESS,
            )
