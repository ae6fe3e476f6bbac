"""Template filters for values the portal shows the same way everywhere."""

from __future__ import annotations

from django import template

from core import formatters
from core.phones import phone_display

register = template.Library()


@register.filter(name="phone")
def phone(value) -> str:
    """``{{ user.phone|phone }}``: see ``core.phones.phone_display``."""
    return phone_display(value)


@register.filter(name="email_parts")
def email_parts(value) -> tuple[str, str]:
    """``{% with parts=address|email_parts %}``: see ``core.formatters.email_parts``."""
    return formatters.email_parts(value)
