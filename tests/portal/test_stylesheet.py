"""The portal's stylesheet parses: a rule that loses its closing brace (a merge of two blocks
appended at the end, say) swallows every rule after it without an error anywhere, as the
overview's block once did to the empty states' link colour and the invoice page's QR code."""

from __future__ import annotations

import re
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css"


def test_every_block_and_comment_of_the_stylesheet_closes():
    text = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    assert "/*" not in text and "*/" not in text, "a comment of portal.css does not close"
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"portal.css line {number}: a brace closes nothing"
    assert depth == 0, "a block of portal.css does not close"
