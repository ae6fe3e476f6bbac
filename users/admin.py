"""Django admin of customers, organisations, contacts and their access, the function pick
list and the removal records (R24). Every write of access goes through the users services, as
the portal's pages do; moved here from accounts (issue 16) because it calls them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Customer, Membership, Organisation, User
from core.admin_tools import PhoneAdminMixin, ReadOnlyAdminMixin, ServiceRefusalMixin
from users.admin_forms import (
    AdminUserAddForm,
    AdminUserChangeForm,
    MembershipInlineForm,
    MembershipRemoveForm,
)
from users.exports import security_contacts_csv
from users.models import JobFunction, UserRemoval
from users.selectors import security_contact_list, sole_admin_organisations
from users.services import (
    contact_block,
    contact_changes_record,
    contact_unblock,
    membership_add,
    membership_remove,
    membership_update,
    welcome_send,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse

    from users.services import AccessAdded, WelcomeResult


def _access_add(request: HttpRequest, membership: Membership) -> AccessAdded:
    user = membership.user
    added = membership_add(
        by=request.user,
        organisation=membership.organisation,
        email=user.email,
        kind=membership.kind,
        role=membership.role,
        security_contact=membership.security_contact,
        request=request,
        **user.contact_details(),  # admin keeps them on the user page
    )
    membership.pk, membership.created_at = added.membership.pk, added.membership.created_at
    return added


def _access_update(request: HttpRequest, membership: Membership) -> Membership:
    return membership_update(
        by=request.user,
        membership=membership,
        role=membership.role,
        security_contact=membership.security_contact,
        request=request,
        **User.objects.get(pk=membership.user_id).contact_details(),
    )


def _welcome_message(modeladmin: admin.ModelAdmin, request: HttpRequest, welcome: WelcomeResult):
    """What became of the welcome mail of an access given in admin: sent, or refused by the
    limits of ``welcome_send`` (the access stands either way)."""
    if welcome.sent:
        modeladmin.message_user(
            request,
            gettext("A welcome e-mail was sent to %(email)s.") % {"email": welcome.email},
            messages.SUCCESS,
        )
    elif welcome.limit is not None:
        modeladmin.message_user(request, welcome.message, messages.WARNING)


def _warn_sole_admin(modeladmin: admin.ModelAdmin, request: HttpRequest, user: User) -> None:
    """Blocking a login (R4) stays possible for a compromised account, even of the last Admin;
    its access is kept so it can be given back. Staff are told which organisations now have no
    Admin who can log in, so they can appoint one (or remove the access with a reason)."""
    organisations = sole_admin_organisations(user=user)
    if organisations:
        modeladmin.message_user(
            request,
            gettext(
                "Now that %(email)s is blocked, nobody can log in as Admin of "
                "%(organisations)s. Make someone else Admin there."
            )
            % {"email": user.email, "organisations": ", ".join(o.name for o in organisations)},
            messages.WARNING,
        )


@admin.action(description=_("Export security/privacy contacts (CSV)"), permissions=["view"])
def export_security_contacts(modeladmin, request: HttpRequest, queryset: QuerySet):
    """R20: the security/privacy contacts of the selected customers' or organisations'."""
    if queryset.model is Customer:
        organisations = Organisation.objects.filter(customer__in=queryset)
    else:
        organisations = queryset
    return security_contacts_csv(
        memberships=security_contact_list(organisations=organisations),
        name=gettext("security-privacy-contacts"),
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
    actions = [export_security_contacts]


class MembershipInline(admin.TabularInline):
    """The person's access on the user page. Rows are added and changed through the users
    services (``UserAdmin.save_formset``); removal needs a reason, so it is a link to the
    *Remove access* page instead of a delete box."""

    model = Membership
    form = MembershipInlineForm
    extra = 0
    can_delete = False
    fields = ["organisation", "kind", "role", "security_contact", "created_at", "remove_link"]
    readonly_fields = ["created_at", "remove_link"]
    autocomplete_fields = ["organisation"]

    @admin.display(description=_("Remove"))
    def remove_link(self, obj: Membership) -> str:
        if not obj.pk:
            return ""
        return render_to_string(
            "admin/accounts/membership/_remove_link.html",
            {"url": reverse("admin:accounts_membership_remove", args=[obj.pk])},
        )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "debtor_number", "customer", "invoice_count"]
    # Kept by the database (migration invoices/0007); ``manage.py ledger_check --repair``
    # recounts it. Never a form field.
    readonly_fields = ["invoice_count"]
    list_filter = ["customer"]
    search_fields = ["name", "debtor_number", "customer__name"]
    list_select_related = ["customer"]
    autocomplete_fields = ["customer"]
    actions = [export_security_contacts]


@admin.register(User)
class UserAdmin(PhoneAdminMixin, ServiceRefusalMixin, DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserAddForm
    ordering = ["last_name", "first_name", "email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "customer",
        "job_function",
        "language",
        "is_active",
        "inactive_reason",
        "is_staff",
        "welcome_sent_at",
        "last_login",
    ]
    actions = ["send_welcome", "deactivate", "reactivate"]
    list_filter = [
        "is_active",
        "inactive_reason",
        "is_staff",
        "language",
        "customer",
        "job_function",
    ]
    search_fields = ["email", "first_name", "last_name", "customer__name"]
    list_select_related = ["customer", "job_function"]
    autocomplete_fields = ["customer"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": [*User.CONTACT_NAME_FIELDS, "customer", "language"]}),
        (_("Function and phone"), {"fields": list(User.CONTACT_WORK_FIELDS)}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "inactive_reason",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "welcome_sent_at"]}),
    ]
    # Why a contact is inactive is set by the services that block or deactivate (unticking
    # *active* here is a staff block), never typed.
    readonly_fields = ["last_login", "date_joined", "welcome_sent_at", "inactive_reason"]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    *AdminUserAddForm.Meta.fields,
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def save_model(self, request, obj, form, change) -> None:
        previous = User.objects.select_related("job_function").get(pk=obj.pk) if change else None
        wanted_active = obj.is_active
        if previous is not None:
            # Blocking is more than a flag: the services below end the sessions and record it.
            obj.is_active = previous.is_active
        super().save_model(request, obj, form, change)
        if previous is None:
            return
        contact_changes_record(by=request.user, previous=previous, user=obj, request=request)
        if previous.is_active and not wanted_active:
            contact_block(by=request.user, user=obj, request=request)
            _warn_sole_admin(self, request, obj)
        elif not previous.is_active and wanted_active:
            contact_unblock(by=request.user, user=obj, request=request)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        # Access is written by the users services, never by the formset itself: the rules
        # (one support organisation, the last Admin, the welcome mail) hold in admin too.
        user = form.instance
        memberships = formset.save(commit=False)
        for membership in memberships:
            membership.user = user
            if membership.pk is None:
                _welcome_message(self, request, _access_add(request, membership).welcome)
            else:
                _access_update(request, membership)

    @admin.action(description=_("Send the welcome e-mail (again)"), permissions=["change"])
    def send_welcome(self, request, queryset) -> None:
        """Through ``welcome_send``, as the portal: one mail per person per 10 minutes (staff
        are not bound per hour), each send or refusal in the audit log."""
        sent, skipped, refused = 0, [], []
        for user in queryset:
            result = welcome_send(by=request.user, user=user, request=request)
            if result.sent:
                sent += 1
            elif result.limit is not None:
                refused.append(result)
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
        for result in refused:
            self.message_user(request, result.message, messages.WARNING)

    @admin.action(description=_("Deactivate (log out everywhere)"), permissions=["change"])
    def deactivate(self, request, queryset) -> None:
        users = [user for user in queryset if user.pk != request.user.pk]
        for user in users:
            contact_block(by=request.user, user=user, request=request)
            _warn_sole_admin(self, request, user)
        self.message_user(
            request,
            ngettext("%(count)d user deactivated.", "%(count)d users deactivated.", len(users))
            % {"count": len(users)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reactivate"), permissions=["change"])
    def reactivate(self, request, queryset) -> None:
        for user in queryset:
            contact_unblock(by=request.user, user=user, request=request)
        self.message_user(request, gettext("The selected users can log in again."))


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, ServiceRefusalMixin, admin.ModelAdmin):
    """Access rows, written only through the users services. There is no plain delete: a
    removal asks a reason and may deactivate the person (*Remove access…*)."""

    list_display = ["user", "organisation", "kind", "role", "security_contact", "created_at"]
    list_filter = ["kind", "role", "security_contact", "organisation__customer", "organisation"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
    actions = ["remove_access"]
    refused_permissions = frozenset({"delete"})  # a removal asks a reason: *Remove access…*

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # Another person, organisation or kind is another access: remove and add.
            return ["user", "organisation", "kind", "created_at"]
        return ["created_at"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            _access_update(request, obj)
            return
        _welcome_message(self, request, _access_add(request, obj).welcome)

    def get_urls(self):
        return [
            path(
                "<int:pk>/remove/",
                self.admin_site.admin_view(self.remove_view),
                name="accounts_membership_remove",
            ),
            *super().get_urls(),
        ]

    def remove_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = get_object_or_404(Membership, pk=pk)
        if not self.has_change_permission(request, membership):
            raise PermissionDenied
        response = self._remove(request, Membership.objects.filter(pk=pk), action=None)
        if response is None:
            return HttpResponseRedirect(reverse("admin:accounts_membership_changelist"))
        return response

    @admin.action(description=_("Remove access…"), permissions=["change"])
    def remove_access(self, request: HttpRequest, queryset: QuerySet):
        return self._remove(request, queryset, action="remove_access")

    def _remove(self, request: HttpRequest, queryset: QuerySet, *, action: str | None):
        """Like Django's delete confirmation: the first POST shows what will end and asks the
        reason; the confirmation removes through ``membership_remove``, one access at a time,
        each in its own transaction, and says what was refused and why."""
        memberships = list(
            queryset.select_related("user", "organisation").order_by("user__email", "pk")
        )
        confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
        form = MembershipRemoveForm(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            reason = form.cleaned_data["reason"]
            deactivate = form.cleaned_data["deactivate"]
            removed, deactivated_users = 0, set()
            for membership in memberships:
                if deactivate and membership.user_id in deactivated_users:
                    continue  # already ended with the person's first selected access
                try:
                    membership_remove(
                        by=request.user,
                        membership=membership,
                        reason=reason,
                        deactivate=deactivate,
                        request=request,
                    )
                except ValidationError as refusal:
                    for message in refusal.messages:
                        self.message_user(request, f"{membership}: {message}", messages.ERROR)
                    continue
                removed += 1
                if deactivate:
                    deactivated_users.add(membership.user_id)
            if removed:
                self.message_user(
                    request,
                    (
                        ngettext(
                            "%(count)d person deactivated altogether.",
                            "%(count)d people deactivated altogether.",
                            removed,
                        )
                        if deactivate
                        else ngettext(
                            "%(count)d access removed.", "%(count)d accesses removed.", removed
                        )
                    )
                    % {"count": removed},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Remove access"),
            "memberships": memberships,
            "form": form,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/accounts/membership/remove.html", context)


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
