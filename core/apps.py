from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app may use and that knows no app: formatters, phone numbers, the CSV
    writer, download names, admin helpers and database helpers (issue 16)."""

    name = "core"
    verbose_name = _("Shared helpers")
