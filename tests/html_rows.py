"""Reading a page's table rows as a person sees them, for tests that assert on the page."""

from __future__ import annotations

from html.parser import HTMLParser


class _TableRows(HTMLParser):
    """The cells of the ``<tr data-testid="…">`` rows with the given test id, each as the
    text a reader sees (tags dropped, entities decoded, white space collapsed)."""

    def __init__(self, testid: str) -> None:
        super().__init__(convert_charrefs=True)
        self.testid = testid
        self.rows: list[list[str]] = []
        self.in_row = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.in_row = ("data-testid", self.testid) in attrs
            if self.in_row:
                self.rows.append([])
        elif tag == "td" and self.in_row:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr":
            self.in_row = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(content: str, testid: str) -> list[list[str]]:
    """The rows marked ``data-testid=testid`` in ``content``, top to bottom, as cell texts."""
    parser = _TableRows(testid)
    parser.feed(content)
    parser.close()
    return parser.rows
