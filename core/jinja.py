"""The Jinja2 environment of the ``fragments`` template engine (the settings' TEMPLATES):
Jinja2's own, with the portal's few filters that fragments need, the same functions as the
Django templates' (``core/templatetags/portal_format.py``)."""

from __future__ import annotations

from jinja2 import Environment

from core.formatters import email_parts


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 - the settings turn autoescape on
    env.filters["email_parts"] = email_parts
    return env
