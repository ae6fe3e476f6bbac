"""Sizes a reader can hold: no function of the app code is longer than 60 lines, unless it
says why it stays whole.

A function counts from its ``def`` line to its last line, docstring and comments included
(decorators not). One that has to stay longer carries a comment directly above its ``def``
(or above its first decorator) that starts with ``# Whole:`` and gives the reason, e.g.::

    # Whole: the steps of the protocol read top to bottom; split, the order would be lost.
    def handshake(...):

Not counted, and why:
- ``tests/``: test code, not app code; a scenario or a table reads best in one piece;
- ``migrations/``: generated, and frozen once applied (history is not refactored);
- ``bench/``, ``drill/``, ``scripts/``: operator tools run by ``make bench``, ``make drill``
  and the Makefile, never imported by the portal; they have their own tests
  (tests/test_drill.py) and a report writer reads best as the report it prints.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
MAX_LINES = 60
NOT_APP_CODE = {"tests", "bench", "drill", "scripts", "var", "staticfiles"}
WHOLE = re.compile(r"^\s*# Whole: \S.{10,}")


def _app_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        top = relative.parts[0]
        if top in NOT_APP_CODE or top.startswith(".") or "migrations" in relative.parts:
            continue
        yield relative, path.read_text(encoding="utf-8")


def _functions(source: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def long_functions(source: str) -> list[tuple[str, int, bool]]:
    """Each function over ``MAX_LINES``: its name, its length, and whether the comment
    directly above it says why it stays whole."""
    lines = source.splitlines()
    found = []
    for function in _functions(source):
        length = function.end_lineno - function.lineno + 1
        if length <= MAX_LINES:
            continue
        first = min([function.lineno, *(d.lineno for d in function.decorator_list)])
        above = first - 2  # the line before, 0-based
        comment = []
        while above >= 0 and lines[above].lstrip().startswith("#"):
            comment.insert(0, lines[above])
            above -= 1
        found.append((function.name, length, bool(comment) and bool(WHOLE.match(comment[0]))))
    return found


def test_no_function_of_the_app_code_is_longer_than_60_lines_without_a_reason():
    too_long = [
        f"{relative}::{name} ({length} lines)"
        for relative, source in _app_modules()
        for name, length, explained in long_functions(source)
        if not explained
    ]
    assert too_long == []


def _source(length: int, above: str = "", decorated: bool = False) -> str:
    body = "\n".join(f"    x{n} = {n}" for n in range(length - 1))
    decorator = "@staticmethod\n" if decorated else ""
    return f"{above}{decorator}def f():\n{body}\n"


def test_the_rule_counts_from_def_to_the_last_line():
    assert long_functions(_source(60)) == []
    assert long_functions(_source(61)) == [("f", 61, False)]


def test_a_reason_directly_above_the_def_or_its_decorator_keeps_it_whole():
    reason = "# Whole: the protocol's steps read top to bottom.\n"
    assert long_functions(_source(61, reason)) == [("f", 61, True)]
    assert long_functions(_source(61, reason, decorated=True)) == [("f", 61, True)]
    two_lines = reason + "# (a second line of the reason)\n"
    assert long_functions(_source(61, two_lines)) == [("f", 61, True)]


def test_anything_else_above_is_no_reason():
    for above in (
        "",
        "# A comment that gives no reason.\n",
        "# Whole:\n",  # no reason given
        "# Whole: short\n",
        "# Whole: the steps read top to bottom.\n\n",  # not directly above
    ):
        assert long_functions(_source(61, above)) == [("f", 61, False)], above
