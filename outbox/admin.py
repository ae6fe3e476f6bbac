from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin_tools import ReadOnlyAdminMixin
from outbox.models import OutgoingEmail
from outbox.services import outgoing_email_retry


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Staff see what went out, what waits and what finally failed, and can send again."""

    list_display = ["created_at", "to", "subject", "kind", "status", "attempts", "sent_at"]
    fields = [
        "kind",
        "to",
        "from_email",
        "subject",
        "text",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = fields  # a record: every field is shown, none is edited
    # Read-only record; the retry action is the only way to act on a mail. Old mails may be
    # deleted.
    refused_permissions = frozenset({"add", "change"})

    @admin.display(description=_("text"))
    def text(self, obj: OutgoingEmail) -> str:
        # A one-time link must not be readable by staff: it would let them act as the person.
        if obj.contains_secret:
            return gettext("Withheld: this mail contains a one-time link.")
        return obj.body_text

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("outbox.change_outgoingemail")

    @admin.action(description=_("Send the selected e-mails again"), permissions=["retry"])
    def retry(self, request, queryset) -> None:
        retried = sum(outgoing_email_retry(email=email) for email in queryset)
        skipped = queryset.count() - retried
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail queued again.", "%(count)d e-mails queued again.", retried
                )
                % {"count": retried},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request, gettext("E-mails already sent were left alone."), messages.WARNING
            )
