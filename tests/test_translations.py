"""Every translatable string in the code and templates has a Dutch translation.

The strings are extracted here with Babel (for Python) and Django's own template-to-gettext
conversion (for templates), so the check needs no GNU gettext on the machine. The test fails on
a string missing from ``locale/nl/LC_MESSAGES/django.po``, an empty translation or a fuzzy one.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
PACKAGES = ["portal", "accounts", "invoices", "billing_address", "users", "outbox", "audit"]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def _python_files():
    for package in PACKAGES:
        yield from (ROOT / package).rglob("*.py")


def _template_files():
    yield from (ROOT / "templates").rglob("*.html")
    yield from (ROOT / "templates").rglob("*.txt")
    for package in PACKAGES:
        yield from (ROOT / package).glob("templates/**/*.html")
        yield from (ROOT / package).glob("templates/**/*.txt")


def _extract(source: bytes, origin: Path):
    for _lineno, message, _comments, context in extract(
        "python", io.BytesIO(source), keywords=KEYWORDS, comment_tags=()
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            yield (context, msgid), origin


def extracted_strings() -> dict[tuple[str | None, str], str]:
    found: dict[tuple[str | None, str], str] = {}
    for path in _python_files():
        for key, origin in _extract(path.read_bytes(), path):
            found.setdefault(key, str(origin.relative_to(ROOT)))
    for path in _template_files():
        converted = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        # templatize keeps the template's layout as X's; indentation means nothing to the
        # extractor (each call is on one line), but would upset Python's tokenizer.
        converted = "\n".join(line.lstrip() for line in converted.splitlines())
        for key, origin in _extract(converted.encode(), path):
            found.setdefault(key, str(origin.relative_to(ROOT)))
    return found


@pytest.fixture(scope="module")
def catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="nl")


def test_extraction_finds_strings():
    strings = extracted_strings()
    # a known msgid from a template and one from Python code
    assert (None, "Skip to content") in strings
    assert (None, "You are now working in %(organisation)s.") in strings


def test_every_string_has_a_dutch_translation(catalogue):
    problems = []
    for (context, msgid), origin in sorted(
        extracted_strings().items(), key=lambda item: (item[1], item[0][1])
    ):
        message = catalogue.get(msgid, context=context)
        if message is None:
            problems.append(f"missing   {origin}: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy     {origin}: {msgid!r}")
        elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
            problems.append(f"untranslated {origin}: {msgid!r}")
    assert not problems, "Dutch catalogue incomplete:\n" + "\n".join(problems)


def test_catalogue_has_no_fuzzy_entries(catalogue):
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy"
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
