"""The address an organisation's invoices are sent to (R12), and every change made to it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from phonenumber_field.modelfields import PhoneNumberField

from accounts.models import Organisation
from billing_address.postcodes import postcode_normalise


class BillingAddress(models.Model):
    """Where the vendor sends an organisation's invoices: one per organisation.

    A change is live at once: the next invoice copies the address as it is then (R11), earlier
    invoices keep their copy. Changes go through ``billing_address.services``, which keeps the
    history; ``version`` grows with every change so a stale edit is refused, not applied.
    """

    # The fields a person edits, in the order of the guide's card; history and invoices use it.
    EDITABLE_FIELDS = (
        "attention",
        "organisation_name",
        "street",
        "postcode",
        "city",
        "country",
        "email",
        "phone",
    )

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="billing_address",
        verbose_name=_("organisation"),
    )
    attention = models.CharField(
        _("attention line"),
        max_length=200,
        blank=True,
        help_text=_("For example: Afdeling Crediteurenadministratie."),
    )
    organisation_name = models.CharField(_("organisation name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=16)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"), default="NL")
    email = models.EmailField(_("e-mail address"))
    phone = PhoneNumberField(_("phone"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("billing address")
        verbose_name_plural = _("billing addresses")
        ordering = ["organisation__name"]
        # The OneToOneField already makes the column unique; the named constraint states the
        # business rule in the schema and gives a readable message.
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                name="billing_address_one_per_organisation",
                violation_error_message=_("This organisation already has a billing address."),
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1),
                name="billing_address_version_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name}, {self.city}"

    def clean(self) -> None:
        super().clean()
        for name in ("attention", "organisation_name", "street", "city"):
            setattr(self, name, " ".join((getattr(self, name) or "").split()))
        if self.country and self.postcode is not None:
            try:
                self.postcode = postcode_normalise(self.postcode, str(self.country))
            except ValidationError as error:
                raise ValidationError({"postcode": error.messages}) from None

    def values(self) -> dict[str, str]:
        """The editable fields as plain strings (country as its code, phone as E.164)."""
        result = {}
        for name in self.EDITABLE_FIELDS:
            value = getattr(self, name)
            if name == "phone":
                value = value.as_e164 if value else ""
            result[name] = str(value or "")
        return result


class BillingAddressChange(models.Model):
    """One change of a billing address: who, when, and each changed field before and after.

    Written by ``billing_address_update`` in the transaction of the change; never edited.
    The person's name and e-mail are copied so the record outlives their account.
    """

    address = models.ForeignKey(
        BillingAddress,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("billing address"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_by_name = models.CharField(_("changed by (name)"), max_length=301, blank=True)
    changed_by_email = models.CharField(_("changed by (e-mail)"), max_length=254, blank=True)
    version = models.PositiveIntegerField(_("version"))
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)

    class Meta:
        verbose_name = _("billing address change")
        verbose_name_plural = _("billing address changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["address", "-changed_at"], name="billing_change_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["address", "version"], name="billing_change_one_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} v{self.version}"

    @property
    def changed_by_label(self) -> str:
        return self.changed_by_name or self.changed_by_email
