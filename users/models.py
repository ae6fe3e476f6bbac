"""Managing who has access (R13-R20): the function pick list and the record of removals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership


class JobFunction(models.Model):
    """An entry of the function pick list (*Functie*, R18), kept by staff in admin.

    The vendor uses it to inform contacts by what they do; the person's formal title is free
    text on the contact (*Functie visitekaart*).
    """

    name_nl = models.CharField(_("name (Dutch)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active functions can be chosen.")
    )

    class Meta:
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        ordering = ["order", "name_nl"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the interface language (Dutch unless the language is English)."""
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class UserRemoval(models.Model):
    """The record of an access removed in the portal or admin (R16): staff keep it.

    Names and e-mail addresses are copied, so the record stays readable whatever happens to
    the accounts afterwards.
    """

    removed_at = models.DateTimeField(_("removed at"), default=timezone.now, db_index=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removed_by_email = models.CharField(_("removed by (e-mail)"), max_length=254, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="removals",
        verbose_name=_("person"),
    )
    user_email = models.CharField(_("e-mail address"), max_length=254)
    user_name = models.CharField(_("name"), max_length=301, blank=True)
    customer = models.ForeignKey(
        "accounts.Customer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind of access"), max_length=16, choices=Membership.Kind.choices)
    # NULL for support access, as on the membership it records.
    role = models.CharField(  # noqa: DJ001
        _("role"), max_length=16, null=True, blank=True, choices=Membership.Role.choices
    )
    reason = models.TextField(_("reason"))
    deactivated = models.BooleanField(
        _("deactivated altogether"),
        default=False,
        help_text=_("The person no longer works for the organisation: all access ended."),
    )
    # The CSM gets one mail per person and organisation per 10 minutes (users.services
    # CSM_MAIL_INTERVAL); a removal soon after a mailed one is recorded without a mail.
    csm_notified = models.BooleanField(
        _("CSM mailed"),
        default=False,
        help_text=_(
            "Whether the Customer Success Manager got a mail about this removal. Removals of "
            "the same person from the same organisation within 10 minutes of a mailed one are "
            "not mailed again."
        ),
    )

    class Meta:
        verbose_name = _("removal")
        verbose_name_plural = _("removals")
        ordering = ["-removed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_email} – {self.organisation}"
