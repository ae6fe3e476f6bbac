"""CSV downloads in the portal's one format: UTF-8 with a BOM (so spreadsheet programs read
the accents), ``;``-separated (what Dutch spreadsheet programs expect), streamed row by row."""

from __future__ import annotations

import csv
import io
from http import HTTPStatus
from typing import TYPE_CHECKING

from django.http import StreamingHttpResponse

if TYPE_CHECKING:
    from collections.abc import Iterable

CSV_DELIMITER = ";"
BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 500


def csv_text_cell(value: object) -> str:
    """Free text typed by someone else, made safe to open in a spreadsheet: a leading formula
    character is escaped with an apostrophe, so a name like ``=HYPERLINK(...)`` stays text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_response(
    *, filename: str, header: Iterable[str], rows: Iterable[Iterable[object]]
) -> StreamingHttpResponse:
    def lines():
        # Rows are written in chunks of CHUNK_ROWS: one piece of text per chunk rather than
        # one per row, so a long download is a few hundred writes to the socket, not 20,000.
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
        buffer.write(BOM)
        writer.writerow([str(cell) for cell in header])
        for position, row in enumerate(rows, start=1):
            writer.writerow(["" if cell is None else cell for cell in row])
            if position % CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(
        lines(), content_type="text/csv; charset=utf-8", status=HTTPStatus.OK
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
