"""CSV downloads in the portal's one format: UTF-8 with a BOM (so spreadsheet programs read
the accents), ``;``-separated (what Dutch spreadsheet programs expect), streamed row by row.

Every export goes through ``csv_response``, which writes every cell itself, so no export can
forget the formula guard. What a cell is follows from its Python type:

- ``str`` (translated labels included) is **text**: whoever typed it, it passes the formula
  guard (``csv_text_cell``), so a name like ``=HYPERLINK(...)`` or ``-2+3`` stays text. Phone
  numbers, invoice numbers and labels are text too; the guard leaves them as they are unless
  they start like a formula.
- ``int`` and ``Decimal`` are the portal's own **numbers**: written as numbers, a negative
  amount included (``-12,50`` stays a number a spreadsheet can add up). A ``Decimal`` is an
  amount of money: two decimals, with a decimal comma in Dutch and a point in English.
- ``datetime.date`` is a **date**: ISO ``2026-03-01``.
- ``None`` is an empty cell.

Anything else (a float, a bool, a datetime, a model) is refused with ``TypeError``: an export
writes it as text or as one of the types above, deliberately.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from http import HTTPStatus
from typing import TYPE_CHECKING

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.functional import Promise

from core.downloads import download_headers_set

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

CSV_DELIMITER = ";"
BOM = "\ufeff"
# A cell starting with one of these is read as a formula by spreadsheet programs: the four
# formula characters, and the tab and carriage return (OWASP's list) and line feed that some
# programs skip before one.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
CHUNK_ROWS = 500


def csv_text_cell(value: str) -> str:
    """Text made safe to open in a spreadsheet: a leading formula character is escaped with an
    apostrophe, which spreadsheet programs read as "this is text" and do not show."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _cell_writer(language: str | None) -> Callable[[object], str]:
    """The function that turns one value into its cell, for the language of the export."""
    decimal_comma = (language or "").startswith("nl")

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, str | Promise):
            return csv_text_cell(str(value))
        if isinstance(value, bool):  # a bool is an int to Python, not a number to a reader
            raise TypeError("Write a yes/no as its translated label.")
        if isinstance(value, int):
            return str(value)
        if isinstance(value, Decimal):
            amount = f"{value:.2f}"
            return amount.replace(".", ",") if decimal_comma else amount
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        raise TypeError(f"A CSV cell is text, a number or a date, not {type(value).__name__}.")

    return cell


def csv_response(
    *, name: Sequence[object], header: Iterable[object], rows: Iterable[Iterable[object]]
) -> StreamingHttpResponse:
    """The download of ``rows`` under ``header``, named from ``name``'s parts (see
    ``core.downloads``). Every cell is written by the rules of the module's docstring.

    The rows are generated while the response streams, after the view has returned, when the
    request's language may no longer be active: the language of this call is kept for them
    (labels, function names and the decimal separator)."""
    language = translation.get_language()
    cell = _cell_writer(language)
    header_cells = [cell(label) for label in header]

    def lines():
        # Rows are written in chunks of CHUNK_ROWS: one piece of text per chunk rather than
        # one per row, so a long download is a few hundred writes to the socket, not 20,000.
        with translation.override(language):
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
            buffer.write(BOM)
            writer.writerow(header_cells)
            for position, row in enumerate(rows, start=1):
                writer.writerow([cell(value) for value in row])
                if position % CHUNK_ROWS == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()

    response = StreamingHttpResponse(
        lines(), content_type="text/csv; charset=utf-8", status=HTTPStatus.OK
    )
    return download_headers_set(response, *name, extension="csv")
