from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.conf import settings

        # Only where the PostgreSQL pool is on (DATABASE_POOL): without it nothing to tune.
        if settings.DATABASES["default"].get("OPTIONS", {}).get("pool"):
            from core.db import tune_pool_backoff

            tune_pool_backoff()
