"""Download names and headers, built by one function (``core.downloads``, issue 15 item 7):
a safe ASCII ``filename`` and the RFC 6266 ``filename*`` (UTF-8, percent-encoded), whatever
the parts hold, values the debtor-number check forbids included."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

import pytest
from django.http import HttpResponse
from hypothesis import given
from hypothesis import strategies as st

from core.downloads import content_disposition, download_headers_set

# The only shape a Content-Disposition of the portal may have.
HEADER = re.compile(
    r"attachment; filename=\"(?P<ascii>[A-Za-z0-9][A-Za-z0-9._-]*)\"; "
    r"filename\*=UTF-8''(?P<encoded>[A-Za-z0-9%._-]+)"
)


def parsed(header: str) -> tuple[str, str]:
    """The two names of a header of the portal's shape (and fails on any other shape)."""
    match = HEADER.fullmatch(header)
    assert match, header
    return match["ascii"], unquote(match["encoded"], errors="strict")


@pytest.mark.parametrize(
    ("parts", "ascii_name", "unicode_name"),
    [
        (("invoices", "100001", "2026-03-01"), "invoices-100001-2026-03-01.csv", None),
        (("F2026-04711",), "F2026-04711.csv", None),
        (("facturen", '10"; x=1'), "facturen-10_x_1.csv", None),
        (("gebruikers", "1000\n02"), "gebruikers-1000_02.csv", None),
        (("x", "1\r\nSet-Cookie: a=b"), "x-1_Set-Cookie_a_b.csv", None),
        (("x", "../../etc/passwd"), "x-etc_passwd.csv", None),
        (("x", "..\\..\\boot.ini"), "x-boot.ini.csv", None),
        (("Café Lente",), "Cafe_Lente.csv", "Café_Lente.csv"),
        (("x", "\u202egpj.exe"), "x-gpj.exe.csv", None),  # right-to-left override
        (("x", "1\x00"), "x-1.csv", None),
        (("", ";", "\n"), "download.csv", None),
        (("請求書",), "download.csv", "請求書.csv"),
    ],
)
def test_hostile_parts_give_safe_names(parts, ascii_name, unicode_name):
    header = content_disposition(*parts, extension="csv")
    assert parsed(header) == (ascii_name, unicode_name or ascii_name)


def test_the_header_is_accepted_by_a_response():
    # Cache-Control comes from PrivatePagesMiddleware, as for every logged-in response
    # (tests/test_downloads.py asks every real download for it).
    response = download_headers_set(HttpResponse(), "facturen", "1000\n02", extension="zip")
    assert response["Content-Disposition"] == (
        "attachment; filename=\"facturen-1000_02.zip\"; filename*=UTF-8''facturen-1000_02.zip"
    )


@given(parts=st.lists(st.text(), max_size=4), extension=st.sampled_from(["csv", "pdf", "zip"]))
def test_any_text_gives_a_header_of_the_one_shape(parts, extension):
    header = content_disposition(*parts, extension=extension)
    HttpResponse()["Content-Disposition"] = header  # no BadHeaderError: no CR, LF or NUL
    header.encode("ascii")
    ascii_name, unicode_name = parsed(header)
    for name in (ascii_name, unicode_name):
        assert name.endswith(f".{extension}")
        assert len(name) <= 120
        assert not name.startswith((".", "-", "_"))
        assert not any(unicodedata.category(char).startswith(("C", "Z")) for char in name)
        assert not set(name) & set("/\\\"';:*?<>|%")
