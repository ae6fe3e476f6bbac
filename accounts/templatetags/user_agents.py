from __future__ import annotations

from django import template

from accounts.user_agents import browser_and_system as _browser_and_system

register = template.Library()


@register.filter
def browser_and_system(user_agent: str | None) -> str:
    return _browser_and_system(user_agent)
