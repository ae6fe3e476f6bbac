from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingAddressConfig(AppConfig):
    name = "billing_address"
    verbose_name = _("Billing address")

    def ready(self) -> None:
        from billing_address import audit_events

        audit_events.register()
