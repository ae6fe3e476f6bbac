"""What the apps' Django admin pages share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from phonenumber_field.modelfields import PhoneNumberField

from core.phones import AdminPhoneNumberInput, PhoneNumberFormField


class ServiceRefusalMixin:
    """Admin pages write only through the services (one write path): access, billing addresses.

    A service refuses with a ValidationError once the admin form has been found valid (the
    last Admin, an address of another customer, a race). The admin's own transaction around
    the save is then rolled back, so nothing of the page is stored, and the refusal is shown
    as an error message on the page the user came from.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            for message in refusal.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyAdminMixin:
    """Refuses, to everyone (superusers too), the writes a record never gets in admin.

    Records written only by a service, an import, a login or the mail queue (the audit log,
    removal records, bank statement imports, mails, ...) are read in admin, never written
    there: a write beside the service would skip its rules and its audit event. Each of
    ``"add"``, ``"change"`` and ``"delete"`` named in ``refused_permissions`` is refused;
    the others keep Django's permission checks. By default all three are refused: the record
    is read-only. Put the mixin before ``admin.ModelAdmin`` (or an inline) in the bases.
    """

    refused_permissions: frozenset[str] = frozenset({"add", "change", "delete"})

    # ``*args``: a ModelAdmin asks ``has_add_permission(request)``, an inline adds ``obj``.
    def has_add_permission(self, request, *args) -> bool:
        return "add" not in self.refused_permissions and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return "change" not in self.refused_permissions and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return "delete" not in self.refused_permissions and super().has_delete_permission(
            request, obj
        )


class PhoneAdminMixin:
    """Phone fields in admin forms show and take numbers as the portal does
    (``core.phones``): ``+32 2 501 02 11``, not the stored ``+3225010211``."""

    formfield_overrides = {
        PhoneNumberField: {"form_class": PhoneNumberFormField, "widget": AdminPhoneNumberInput}
    }
