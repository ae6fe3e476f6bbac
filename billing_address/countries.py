"""Countries of billing addresses by name, in the reader's language (django-countries)."""

from __future__ import annotations

from typing import Any

from django_countries import countries


def country_name(code: Any) -> str:
    """``NL`` as *Nederland* (or *Netherlands*); a code django-countries does not know as
    itself."""
    return str(countries.name(str(code or ""))) or str(code or "")
