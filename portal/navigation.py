"""The sections of *Mijn organisatie* shown in the navigation, in order.

An app adds its section here when its pages exist, so the navigation never links to a page
that is not there. Each entry names the capability a user needs to see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.permissions import VIEW_AUDIT_LOG, VIEW_ORGANISATION
from core.urls import fixed_url


@dataclass(frozen=True)
class Section:
    url_name: str
    label: str | Promise
    capability: str

    @property
    def namespace(self) -> str:
        return self.url_name.partition(":")[0]

    @property
    def url(self) -> str:
        return fixed_url(self.url_name)


SECTIONS: list[Section] = [
    Section("invoices:list", _("Invoices"), VIEW_ORGANISATION),
    Section("billing_address:detail", _("Billing address"), VIEW_ORGANISATION),
    Section("users:list", _("Users"), VIEW_ORGANISATION),
    # The activity log stays last.
    Section("audit:list", _("Activity"), VIEW_AUDIT_LOG),
]


def visible_sections(can) -> list[Section]:
    return [section for section in SECTIONS if can.has(section.capability)]
