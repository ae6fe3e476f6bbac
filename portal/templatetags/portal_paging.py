"""The page links of a list, computed once in Python.

Looping over ``paginator.page_range`` in the template costs a comparison per page: 4,400
iterations for an organisation with 110,000 invoices, on every request. The links shown are
only the first and last page and two pages either side of the current one."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter(name="page_window")
def page_window(page, around: int = 2) -> list[int]:
    """``{% for number in page|page_window %}``: 1, the last page and ``around`` pages either
    side of the current one, in order and without duplicates."""
    last = page.paginator.num_pages
    numbers = {1, last, *range(max(1, page.number - around), min(last, page.number + around) + 1)}
    return sorted(numbers)
