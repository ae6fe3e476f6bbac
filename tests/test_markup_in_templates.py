"""Markup lives in template files (issue 16, item 2).

Every Python file of the project's apps (tests and migrations aside) is read token by token:
no string literal and no comment may hold an HTML tag, and no code may mark text safe
(``mark_safe``, ``SafeString``, ``format_html`` …). HTML written in Python strings escapes the
template engine's autoescaping, cannot be changed by a ``{% block %}``, and spreads one table
over several files; the rows, headers and links are values built in Python and looped by a
template instead. A place where a library requires marked-safe text goes on ``ALLOWED`` with
a comment naming the library.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from django.apps import apps
from django.conf import settings

# An HTML tag as it starts: ``<td>``, ``<a href``, ``</span>``, ``<br/>``.
TAG = re.compile(
    r"</?(a|abbr|b|br|button|caption|code|dd|details|div|dl|dt|em|fieldset|footer|form|"
    r"h[1-6]|header|hr|i|iframe|img|input|label|legend|li|link|main|meta|nav|ol|optgroup|"
    r"option|p|path|pre|script|section|select|small|span|strong|style|summary|svg|table|"
    r"tbody|td|textarea|tfoot|th|thead|time|tr|ul)[\s>/]",
    re.IGNORECASE,
)
# Names that turn text into markup the template engine will not escape.
MARKING_SAFE = {
    "Markup",
    "mark_safe",
    "SafeString",
    "SafeText",
    "SafeData",
    "format_html",
    "format_html_join",
    "html_safe",
}
TEXT_TOKENS = {tokenize.STRING, tokenize.COMMENT, getattr(tokenize, "FSTRING_MIDDLE", -1)}

# (path relative to the project, name) for places a library requires marked-safe text, each
# with a comment naming the library.
ALLOWED: set[tuple[str, str]] = {
    # Jinja2 (markupsafe): {% fragment %} hands Django the fragment Jinja2 wrote, every value
    # in it escaped by Jinja2's autoescape; Markup keeps Django from escaping it twice.
    ("core/templatetags/portal_fragments.py", "Markup"),
}


def findings(source: str) -> list[tuple[int, str]]:
    """(line, what) for every HTML tag in a string or comment and every use of a name that
    marks text safe in ``source``."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in TEXT_TOKENS and (match := TAG.search(token.string)):
            found.append((token.start[0], f"HTML tag {match.group(0).strip()!r}"))
        elif token.type == tokenize.NAME and token.string in MARKING_SAFE:
            found.append((token.start[0], token.string))
    return found


def app_python_files() -> list[Path]:
    """The project's own apps' Python files, without migrations and tests."""
    base = Path(settings.BASE_DIR).resolve()
    files = []
    for config in apps.get_app_configs():
        root = Path(config.path).resolve()
        if not root.is_relative_to(base) or ".venv" in root.parts:
            continue  # Django's and third parties' apps
        for path in root.rglob("*.py"):
            parts = path.relative_to(base).parts
            if "migrations" in parts or "tests" in parts or path.name.startswith("test_"):
                continue
            files.append(path)
    return sorted(files)


def test_the_project_apps_are_read():
    relative = {path.relative_to(settings.BASE_DIR).as_posix() for path in app_python_files()}
    # One file of every app, so a change in how apps are found cannot empty the check.
    for name in ("portal/views.py", "accounts/models.py", "invoices/views.py", "users/views.py",
                 "audit/views.py", "billing_address/views.py", "outbox/services.py"):  # fmt: skip
        assert name in relative
    assert not any("/migrations/" in name for name in relative)


def test_no_markup_in_python():
    base = Path(settings.BASE_DIR)
    offending = []
    for path in app_python_files():
        relative = path.relative_to(base).as_posix()
        for line, what in findings(path.read_text(encoding="utf-8")):
            if (relative, what) not in ALLOWED:
                offending.append(f"{relative}:{line}: {what}")
    assert offending == [], "markup belongs in a template:\n" + "\n".join(offending)


def test_the_check_finds_markup_in_every_disguise():
    source = """
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
ROW = '<tr data-testid="x"><td>{}</td></tr>'
ICON = mark_safe("<svg viewBox='0 0 16 16'></svg>")
link = f'<a href="{url}">{label}</a>'
safe = SafeString("".join(cells))
# writes </span> after the label
text = "1 < 2 and a<b, 3 <= 4, <email@example.com>, x<p"
"""
    found = findings(source)
    assert [what for _line, what in found] == [
        "format_html",
        "SafeString",
        "mark_safe",
        "HTML tag '<tr'",
        "mark_safe",
        "HTML tag '<svg'",
        "HTML tag '<a'",
        "HTML tag '</a>'",
        "SafeString",
        "HTML tag '</span>'",
    ]
    assert [line for line, _what in found] == [2, 3, 3, 4, 5, 5, 6, 6, 7, 8]


def test_every_allowed_place_still_needs_it():
    """An allow-list entry whose file no longer marks text safe is taken off."""
    base = Path(settings.BASE_DIR)
    for path, name in ALLOWED:
        assert name in {what for _line, what in findings((base / path).read_text())}, path
