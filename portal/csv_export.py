"""CSV downloads in the portal's one format: UTF-8 with a BOM (so spreadsheet programs read
the accents), ``;``-separated (what Dutch spreadsheet programs expect), streamed row by row."""

from __future__ import annotations

import csv
from http import HTTPStatus
from typing import TYPE_CHECKING

from django.http import StreamingHttpResponse

if TYPE_CHECKING:
    from collections.abc import Iterable

CSV_DELIMITER = ";"
BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_text_cell(value: object) -> str:
    """Free text typed by someone else, made safe to open in a spreadsheet: a leading formula
    character is escaped with an apostrophe, so a name like ``=HYPERLINK(...)`` stays text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_response(
    *, filename: str, header: Iterable[str], rows: Iterable[Iterable[object]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)

    def lines():
        yield BOM
        yield writer.writerow([str(cell) for cell in header])
        for row in rows:
            yield writer.writerow(["" if cell is None else str(cell) for cell in row])

    response = StreamingHttpResponse(
        lines(), content_type="text/csv; charset=utf-8", status=HTTPStatus.OK
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
