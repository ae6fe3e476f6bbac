from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingAddressConfig(AppConfig):
    name = "billing_address"
    verbose_name = _("Billing address")
