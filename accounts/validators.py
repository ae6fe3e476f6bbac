"""The debtor number's character set, in one place (issue 15, item 7).

A debtor number is the billing system's key of an organisation: the invoice import finds
organisations by it, and it is part of download names. It holds the letters A-Z and a-z,
the digits, ``.``, ``_`` and ``-``, and starts with a letter or a digit: what billing systems
use (``100001``, ``D-1``, ``DEB.2026_01``), and nothing that can end a header, a quoted
string, a file name or a CSV cell (no quotes, ``;``, blanks, line breaks, ``/``, accents).

The same rule is held three times, proven equal by the tests: the model's validator (admin,
``full_clean``, the invoice import), the database check (``debtor_number_check``) and the
report of migration ``accounts/0009`` (its own frozen copy).
"""

from __future__ import annotations

import re
import string

from django.core.exceptions import ValidationError
from django.db.models import CharField, F, Func, Q, Value
from django.db.models.functions import Left
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

DEBTOR_NUMBER_FIRST = string.ascii_letters + string.digits
DEBTOR_NUMBER_CHARACTERS = DEBTOR_NUMBER_FIRST + "._-"
# \A and \Z, not ^ and $: "$" also matches before a line break at the end ("1000\n").
DEBTOR_NUMBER_RE = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z")
DEBTOR_NUMBER_RULE = _(
    "Use letters A-Z, digits, dots, hyphens and underscores only, starting with a letter or "
    "a digit."
)
DEBTOR_NUMBER_HELP = _(
    "Letters A-Z, digits, dots, hyphens and underscores; starting with a letter or a digit."
)


def debtor_number_is_valid(value: str) -> bool:
    return DEBTOR_NUMBER_RE.match(value) is not None


def validate_debtor_number(value: str) -> None:
    if not debtor_number_is_valid(value):
        raise ValidationError(DEBTOR_NUMBER_RULE, code="invalid")


def _trimmed(expression, characters: str) -> Func:
    # TRIM(x, characters) removes every leading and trailing character found in
    # ``characters``: SQLite's trim(X, Y) and PostgreSQL's trim(x, y) (btrim) alike. It is
    # empty exactly when every character of x is one of them. A regular expression is not
    # portable: SQLite has no REGEXP of its own (Django adds one, in Python, to its own
    # connections only), and GLOB stops at a NUL character.
    return Func(expression, Value(characters), function="TRIM", output_field=CharField())


def debtor_number_check(field: str = "debtor_number") -> Q:
    """The rule as a database condition that SQLite and PostgreSQL evaluate alike."""
    return (
        ~Q(**{field: ""})
        & Q(Exact(_trimmed(F(field), DEBTOR_NUMBER_CHARACTERS), Value("")))
        & Q(Exact(_trimmed(Left(F(field), 1), DEBTOR_NUMBER_FIRST), Value("")))
    )
