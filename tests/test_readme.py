"""The README stays a newcomer's page (at most 200 lines; the rest is in docs/), and no relative
link of the README, docs/, SECURITY.md or bench/README.md points at a file or heading that
does not exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(
    [ROOT / "README.md", ROOT / "SECURITY.md", ROOT / "bench" / "README.md"]
    + list((ROOT / "docs").glob("*.md"))
)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    anchors: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        anchor, number = _anchor(heading), 0
        while (anchor if not number else f"{anchor}-{number}") in anchors:
            number += 1
        anchors.add(anchor if not number else f"{anchor}-{number}")
    return anchors


def _broken_links(path: Path, root: Path = ROOT) -> list[str]:
    broken = []
    for target in LINK.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target):  # https:, mailto: …
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{target}: no file {linked.relative_to(root)}")
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.relative_to(root)}")
    return broken


def test_the_readme_has_at_most_200_lines():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move detail into docs/"


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_points_at_something_that_exists(path):
    assert _broken_links(path) == []


def test_the_readme_links_every_document_of_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {target.partition("#")[0] for target in LINK.findall(readme)}
    documents = {f"docs/{path.name}" for path in (ROOT / "docs").glob("*.md")}
    assert documents, "docs/ holds the README's detail"
    assert documents - linked == set()


def test_a_missing_file_and_a_missing_heading_are_found(tmp_path):
    """The checker itself: it reports what it should (so a broken link cannot slip through)."""
    (tmp_path / "other.md").write_text("# Other\n\n## Database timeouts (PostgreSQL)\n")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](other.md#database-timeouts-postgresql) [gone](missing.md) "
        "[no heading](other.md#nowhere) [web](https://example.com/x.md)\n"
        "```\n[in code](also-missing.md)\n```\n"
    )
    assert _broken_links(page, root=tmp_path) == [
        "missing.md: no file missing.md",
        "other.md#nowhere: no heading #nowhere in other.md",
    ]
