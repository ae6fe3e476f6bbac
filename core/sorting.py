"""The header of a sortable column: a link that sorts the list by it, for any list page.

The markup is the page's template (a ``sort_header`` partial); this works out the link, the
``aria-sort`` value and the arrow once per column, keeping the rest of the query string (the
search and filters) and dropping the page, as a new order starts at page 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.template.defaulttags import querystring

from core.formatters import TemplateRow

if TYPE_CHECKING:
    from django.http import QueryDict


@dataclass(frozen=True, slots=True)
class SortHeader(TemplateRow):
    """A sortable column's header: ``label``, the link ``href`` that sorts by it, ``order``
    for ``aria-sort`` (ascending, descending or none) and the ``arrow`` of the order in
    force."""

    label: str
    href: str
    order: str
    arrow: str
    numeric: bool = False


def sort_header(
    query: QueryDict,
    current: str,
    key: str,
    label,
    *,
    numeric: bool = False,
    descending_first: bool = False,
) -> SortHeader:
    """The header of the column sorted by ``key`` (``-key`` descending) while the list is
    sorted by ``current``. A click on the column in force reverses it; on another column
    it sorts ascending (names, addresses) or, with ``descending_first``, descending (dates
    and amounts: the newest or largest first)."""
    descending = f"-{key}"
    if current == key:
        order, arrow, target = "ascending", " ▲", descending
    elif current == descending:
        order, arrow, target = "descending", " ▼", key
    else:
        order, arrow = "none", ""
        target = descending if descending_first else key
    href = querystring(None, query, sort=target, page=None)
    return SortHeader(str(label), href, order, arrow, numeric)
