"""``{% portal_header %}``: the page header of ``base.html``, written by portal/chrome.py."""

from __future__ import annotations

from django import template

from portal.chrome import page_header

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_header(context):
    request = context["request"]
    return page_header(
        request,
        user=context["user"],
        sections=context.get("nav_sections", []),
        csrf_token=context.get("csrf_token", ""),
    )
