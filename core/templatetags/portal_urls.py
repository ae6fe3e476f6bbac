"""``{% fixed_url 'portal:home' %}``: ``{% url %}`` for a URL without arguments, reversed once
per process (core/urls.py). For the links every page repeats, such as the page header's."""

from __future__ import annotations

from django import template

from core.urls import fixed_url as _fixed_url

register = template.Library()


@register.simple_tag
def fixed_url(name: str) -> str:
    return _fixed_url(name)
