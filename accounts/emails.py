"""One spelling per e-mail address: the canonical form that identifies a person (issue 15).

An address is a person's identity (R1, R14), so every way of writing the same address must
lead to one stored value, and every lookup is an exact match on that value. Before this rule
the login looked people up with ``email__iexact``, which PostgreSQL evaluates with ``UPPER()``
and so folds ``ſ`` to ``S`` and ``ı`` to ``I``, while the rate-limit keys used Python's
``lower()`` of the typed text: ``ſtaff@example.com`` logged in as ``staff@example.com`` with a
failure budget of its own.

The rule (SECURITY.md "One address, one spelling"; docs/accounts.md "E-mail addresses"):

- Surrounding white space is removed.
- The **local part** (before the last ``@``) is printable ASCII without spaces, and is
  lower-cased: the portal treats ``Julia.Bos`` and ``julia.bos`` as one mailbox, as every
  large mail provider does. Anything outside ASCII there is refused, never folded: ``ſ``,
  ``ı``, ``K`` (the Kelvin sign), full-width letters and combining accents would otherwise be
  other spellings of ASCII letters.
- The **domain** is lower-cased and stored in its IDNA ASCII form (``xn--…``, as DNS and SMTP
  use it), so ``Bäcker.NL`` and ``bäcker.nl`` are one domain. A non-ASCII character is accepted
  there only when the label is already in IDNA's prepared form apart from its case, and the
  character lower-cases to one non-ASCII character that upper-cases back to it: ``ß``, ``ς``,
  ``ı``, ``ſ``, ``K``, ``İ``, full-width letters and decomposed accents are refused.

So the canonical form is ASCII, lower-case and trimmed: the database checks exactly that (a
check constraint) and keeps it unique, and ``UPPER``/``LOWER`` in any database agree with it.
``canonical_email(canonical_email(x)) == canonical_email(x)``, and two addresses that a
database compares as equal case-insensitively have one canonical form or are refused
(``tests/accounts/test_emails.py``, hypothesis over Unicode addresses).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from encodings.idna import ToASCII, nameprep
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Iterable

INVALID_MESSAGE = _("Enter a valid e-mail address.")


def canonical_email(value: str) -> str:
    """The one stored spelling of an address; ValidationError (code "invalid") if it has none."""
    text = (value or "").strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise _invalid()
    return f"{_canonical_local(local)}@{_canonical_domain(domain)}"


def canonical_email_or_none(value: object) -> str | None:
    """For lookups of typed text: None when the text is no address the portal can hold, so
    the lookup finds nobody (and nobody's budget is touched)."""
    if not isinstance(value, str):
        return None
    try:
        return canonical_email(value)
    except ValidationError:
        return None


def validate_canonical_email(value: str) -> None:
    """Field validator: the address has a canonical form (see the module's rule)."""
    canonical_email(value)


def _invalid() -> ValidationError:
    return ValidationError(INVALID_MESSAGE, code="invalid")


def _canonical_local(local: str) -> str:
    if not all("!" <= character <= "~" for character in local):
        raise _invalid()
    return local.lower()


def _canonical_domain(domain: str) -> str:
    labels = domain.split(".")
    if any(not label for label in labels):
        raise _invalid()
    return ".".join(_canonical_label(label) for label in labels)


def _canonical_label(label: str) -> str:
    if not label.isascii():
        label = _ascii_label(label)
    if not all("!" <= character <= "~" for character in label):
        raise _invalid()
    return label.lower()


def _ascii_label(label: str) -> str:
    """An internationalised label's IDNA ASCII form (``xn--…``), if it has exactly one."""
    lowered = label.lower()
    if not all(_is_stable_letter(character) for character in label if not character.isascii()):
        raise _invalid()
    try:
        if nameprep(lowered) != lowered:
            # IDNA would map it to another spelling (full-width letters, decomposed accents).
            raise _invalid()
        return ToASCII(lowered).decode("ascii")
    except UnicodeError as error:
        raise _invalid() from error


def _is_stable_letter(character: str) -> bool:
    """Lower-cases to one character outside ASCII that upper-cases back to the same pair.

    Refuses what case mapping would turn into another character: ``ſ``/``ı`` (upper-case ``S``/
    ``I``), ``K`` and ``İ`` (lower-case ``k`` and ``i̇``), ``ß`` and ``ς`` (``SS``, ``Σ``)."""
    lower = character.lower()
    return len(lower) == 1 and not lower.isascii() and lower.upper().lower() == lower


@dataclass(frozen=True)
class CanonicalPlan:
    """What canonicalising stored addresses would do: the rows to rewrite, and the rows it
    cannot rewrite, which a person must resolve (never merged or dropped automatically)."""

    updates: dict[int, str]
    problems: list[str]


def canonical_plan(rows: Iterable[tuple[int, str]]) -> CanonicalPlan:
    """``rows`` are (primary key, stored address). A problem is an address without a
    canonical form, or several rows whose addresses share one (two accounts that the new
    rule says are one person: which account stays is a decision for staff)."""
    updates: dict[int, str] = {}
    problems: list[str] = []
    owners: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, email in rows:
        canonical = canonical_email_or_none(email)
        if canonical is None:
            problems.append(f"user {pk}: {email!r} has no canonical form (accounts/emails.py)")
            continue
        owners[canonical].append((pk, email))
        if canonical != email:
            updates[pk] = canonical
    for canonical, holders in sorted(owners.items()):
        if len(holders) > 1:
            listed = ", ".join(f"user {pk} {email!r}" for pk, email in holders)
            problems.append(f"{canonical!r} is the address of several users: {listed}")
            for pk, _email in holders:
                updates.pop(pk, None)
    return CanonicalPlan(updates=updates, problems=problems)
