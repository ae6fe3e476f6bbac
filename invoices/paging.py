"""Pages of a long list that cost the same at page 1 and page 400."""

from __future__ import annotations

from django.core.paginator import Paginator


class IndexPaginator(Paginator):
    """Takes a page's keys first (``SELECT id … ORDER BY … LIMIT/OFFSET``, which PostgreSQL
    answers from an index that includes ``id``, without visiting the rows it skips), then
    loads only those rows with everything the page shows. A late page then reads 25 rows, not
    the thousands before it; a page in the second half is counted from the end (the order
    reversed), so the last page costs what page 1 costs. The first and the last page, which
    skip nothing, take their rows in one query. The list's order must be total (it ends in
    the unique invoice number).

    ``count``, when the caller knows it (the organisation's stored invoice count for the
    unfiltered list), replaces the ``COUNT(*)``, which at 100,000 invoices is an index scan
    over all of them."""

    def __init__(self, *args, count: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if count is not None:
            # ``Paginator.count`` is a cached property: the known value takes its place.
            self.count = count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom == 0:
            # Page 1 skips nothing: its rows in one query.
            return self._get_page(list(self.object_list[:top]), number, self)
        if top == self.count:
            # The last page skips nothing from the other end: one query in the reverse order.
            rows = list(self.object_list.reverse()[: top - bottom])[::-1]
            return self._get_page(rows, number, self)
        if bottom > self.count // 2:
            # The second half is read from the other end, in the reverse order (the index is
            # walked backwards): the last page skips nothing, however long the list.
            tail = self.object_list.reverse().values_list("pk", flat=True)
            keys = list(tail[self.count - top : self.count - bottom])[::-1]
        else:
            keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)
