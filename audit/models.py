"""The audit log (R25): who did what, in which organisation, with the values before and after."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


class UnescapedJSONEncoder(DjangoJSONEncoder):
    """JSON with non-ASCII characters kept as they are (SQLite stores the text as given)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class AuditEvent(models.Model):
    """One thing that happened: a mutation in the portal or admin, or a security event.

    Append-only: written by ``audit.services.audit_record`` inside the transaction of the change
    it records (a rolled-back change leaves no event), never edited, pruned after
    ``AUDIT_RETENTION_DAYS``. The actor's e-mail is copied so the record outlives the account.
    """

    class Action(models.TextChoices):
        BILLING_ADDRESS_CHANGED = "billing_address.changed", _("Billing address changed")
        ACCESS_GRANTED = "access.granted", _("Access granted")
        ACCESS_CHANGED = "access.changed", _("Access changed")
        ACCESS_REMOVED = "access.removed", _("Access removed")
        CONTACT_DEACTIVATED = "contact.deactivated", _("Contact deactivated")
        CONTACT_REACTIVATED = "contact.reactivated", _("Contact reactivated")
        CONTACT_CHANGED = "contact.changed", _("Contact details changed")
        WELCOME_SENT = "contact.welcome_sent", _("Welcome e-mail sent")
        WELCOME_REFUSED = "contact.welcome_refused", _("Welcome e-mail not sent")
        LOGIN_SUCCEEDED = "login.succeeded", _("Logged in")
        LOGIN_FAILED = "login.failed", _("Login failed")
        LOGIN_CODE_SENT = "login.code_sent", _("Login code e-mailed")
        LOGIN_CODE_USED = "login.code_used", _("Login code used")
        LOGIN_CODE_FAILED = "login.code_failed", _("Wrong login code")
        PASSWORD_CHANGED = "password.changed", _("Password changed")
        MFA_ENABLED = "mfa.enabled", _("Two-factor login turned on")
        MFA_DISABLED = "mfa.disabled", _("Two-factor login turned off")
        ORGANISATION_SWITCHED = "organisation.switched", _("Organisation switched")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_email = models.CharField(_("who (e-mail)"), max_length=254, blank=True)
    actor_name = models.CharField(_("who (name)"), max_length=301, blank=True)
    customer = models.ForeignKey(
        "accounts.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    target_type = models.CharField(_("target type"), max_length=40, blank=True)
    target_id = models.CharField(_("target id"), max_length=40, blank=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    # Stored as written (not \u-escaped), so searching "Financiën" finds it on SQLite too.
    before = models.JSONField(_("before"), default=dict, blank=True, encoder=UnescapedJSONEncoder)
    after = models.JSONField(_("after"), default=dict, blank=True, encoder=UnescapedJSONEncoder)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_created"),
            models.Index(fields=["customer", "-created_at"], name="audit_customer_created"),
        ]

    def __str__(self) -> str:
        # In local time and the reader's language: admin's breadcrumbs and links show it.
        when = formats.date_format(timezone.localtime(self.created_at), "DATETIME_FORMAT")
        return f"{when} · {self.get_action_display()}"
