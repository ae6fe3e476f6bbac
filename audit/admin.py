from __future__ import annotations

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.sentences import event_actor, event_sentence, event_title, event_values
from core.admin_tools import ReadOnlyAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Staff read every event, of every customer, with IP address and user agent; nobody adds,
    edits or deletes one here (the log is append-only; only the prune command removes)."""

    list_display = ["created_at", "who", "organisation", "action", "target_label", "ip_address"]
    list_filter = [
        "action",
        ("customer", admin.RelatedOnlyFieldListFilter),
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["organisation"]
    date_hierarchy = "created_at"
    search_fields = ["actor_name", "actor_email", "target_label", "ip_address"]
    fields = [
        "created_at",
        "sentence",
        "action",
        "actor",
        "actor_name",
        "actor_email",
        "customer",
        "organisation",
        "target_type",
        "target_id",
        "target_label",
        "before_display",
        "after_display",
        "ip_address",
        "user_agent",
    ]
    readonly_fields = fields

    @admin.display(description=_("who"), ordering="actor_name")
    def who(self, obj: AuditEvent) -> str:
        return event_actor(obj)

    @admin.display(description=_("what happened"))
    def sentence(self, obj: AuditEvent) -> str:
        return event_sentence(obj)

    @admin.display(description=_("before"))
    def before_display(self, obj: AuditEvent) -> str:
        return self._values(obj, "before")

    @admin.display(description=_("after"))
    def after_display(self, obj: AuditEvent) -> str:
        return self._values(obj, "after")

    def _values(self, obj: AuditEvent, side: str) -> str:
        return render_to_string(
            "admin/audit/auditevent/_values.html",
            {"values": event_values(obj, side), "empty": self.get_empty_value_display()},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The page's heading: local time and the sentence, not the stored UTC and action code.
        if obj is not None:
            context["subtitle"] = event_title(obj)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
