"""The address an organisation's invoices are sent to (R12).

Its portal pages (view, edit, history) come with a later issue; invoices already copy it at
creation (R11), so the model and its admin exist now.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


class Country(models.TextChoices):
    # ISO 3166-1 alpha-2 codes: postcode checks per country (R12) key on them.
    NETHERLANDS = "NL", _("Netherlands")
    BELGIUM = "BE", _("Belgium")
    GERMANY = "DE", _("Germany")
    LUXEMBOURG = "LU", _("Luxembourg")
    FRANCE = "FR", _("France")
    UNITED_KINGDOM = "GB", _("United Kingdom")


class BillingAddress(models.Model):
    """Where the vendor sends an organisation's invoices: one per organisation."""

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
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.NETHERLANDS
    )
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
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
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name}, {self.city}"
