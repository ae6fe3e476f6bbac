"""Markup that pages repeat many times, written in Python rather than in a template loop."""

from __future__ import annotations

from django.utils.html import format_html_join
from django.utils.safestring import SafeString


def select_options(choices, selected) -> SafeString:
    """The ``<option>`` elements of a ``<select>``, the one whose value equals ``selected``
    (compared as text) marked ``selected``.

    A filter with hundreds of choices (the activity log's *Who*) costs a template loop
    iteration, a filter and a comparison per option; this is one join."""
    chosen = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == chosen else "", label) for value, label in choices),
    )
