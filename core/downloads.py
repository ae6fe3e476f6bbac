"""Every download's name and headers, in one place (issue 15, item 7).

A download's name is made of parts (a translated word, a debtor number, an invoice number, a
date) that come from data; none of them may shape the ``Content-Disposition`` header. Every
download (the CSV exports, the invoice PDF, the ZIP of PDFs, the admin's exports) is named
here, as RFC 6266 recommends:

    attachment; filename="<ASCII name>"; filename*=UTF-8''<the name in UTF-8, percent-encoded>

- The ASCII name keeps letters, digits, ``.``, ``_`` and ``-`` only: accents are dropped
  (``é`` → ``e``), any other run of characters becomes ``_``. Quotes, ``;``, CR, LF, NUL and
  path separators can never appear in it, so it needs no escaping and cannot end the header
  or add a parameter; a client that ignores ``filename*`` still gets a sensible name.
- The ``filename*`` name keeps letters and digits of any script (``Café``, ``請求書``), ``.``,
  ``_`` and ``-``; anything else (spaces, quotes, control and formatting characters such as a
  right-to-left override, path separators) becomes ``_``. It is percent-encoded, so the
  header itself stays ASCII.
- Each part is trimmed of leading and trailing ``.``, ``_`` and ``-`` (no hidden files, no
  ``../``); empty parts are left out; the parts are joined with ``-``, at most 100
  characters, then the extension. Nothing left: ``download.<extension>``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import IO, TYPE_CHECKING
from urllib.parse import quote

from django.http import FileResponse

if TYPE_CHECKING:
    from django.http import HttpResponseBase

ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
UNICODE_UNSAFE = re.compile(r"[^\w.-]+")  # \w: letters and digits of any script, and _
EXTENSION = re.compile(r"[a-z0-9]{1,8}")
TRIM = "._-"
MAX_STEM = 100
FALLBACK = "download"


def _stem(parts: list[str], unsafe: re.Pattern[str]) -> str:
    cleaned = (unsafe.sub("_", part).strip(TRIM) for part in parts)
    stem = "-".join(part for part in cleaned if part)[:MAX_STEM].rstrip(TRIM)
    return stem or FALLBACK


def download_name(*parts: object, extension: str) -> tuple[str, str]:
    """The download's ASCII name and its full (Unicode) name, from ``parts`` joined with
    ``-`` and the ``extension`` (the module's docstring gives the rules)."""
    if not EXTENSION.fullmatch(extension):
        raise ValueError(f"Not an extension: {extension!r}")
    texts = [unicodedata.normalize("NFC", str(part)) for part in parts]
    ascii_texts = [
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        for text in texts
    ]
    return (
        f"{_stem(ascii_texts, ASCII_UNSAFE)}.{extension}",
        f"{_stem(texts, UNICODE_UNSAFE)}.{extension}",
    )


def content_disposition(*parts: object, extension: str) -> str:
    """The ``Content-Disposition`` header of a download named from ``parts``."""
    ascii_name, full_name = download_name(*parts, extension=extension)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(full_name, safe='')}"


def download_headers_set(
    response: HttpResponseBase, *parts: object, extension: str
) -> HttpResponseBase:
    """Makes ``response`` the download of a file named from ``parts``. A download holds the
    organisation's data: like every response to a logged-in person it is never stored by a
    shared cache or kept by the browser (``portal.middleware.PrivatePagesMiddleware`` sets
    ``Cache-Control: private, no-store``; tests/test_downloads.py asks every download)."""
    response["Content-Disposition"] = content_disposition(*parts, extension=extension)
    return response


def file_download(
    file: IO[bytes], *parts: object, extension: str, content_type: str
) -> FileResponse:
    """A stored file (an invoice PDF, a ZIP) as a download named from ``parts``.

    FileResponse would name the download after the file object's own name (its storage path)
    or the name it is given, through its own header builder; it gets a fixed name here and
    the header is replaced at once, so neither the storage nor the caller shapes it."""
    response = FileResponse(file, filename=f"{FALLBACK}.{extension}", content_type=content_type)
    download_headers_set(response, *parts, extension=extension)
    return response
