"""``{% fragment %}`` (core/templatetags/portal_fragments.py): a list's rows written by a Jinja2
fragment of templates/jinja2/, inside a Django template."""

from __future__ import annotations

import pytest
from django.template import engines
from jinja2 import UndefinedError

from audit.rows import EventRow

ROW = EventRow(
    moment="2026-03-04T12:00:00+01:00",
    when="4-3-2026 12:00",
    actor='<script>alert("x")</script> & Co',
    sentence="O'Brien <b>wijzigde</b> het factuuradres",
)


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load portal_fragments %}" + source).render(context)


LABELS = 'when_label="Wanneer" who_label=who what_label="Wat"'


def test_the_fragment_escapes_each_value_once_and_django_leaves_it_as_it_is():
    html = render(
        '{% fragment "audit/rows.jinja" rows=rows ' + LABELS + " %}",
        rows=[ROW, ROW],
        who='"Wie" <b>',
    )
    assert html.count('<tr data-testid="event-row">') == 2
    assert (
        '<td data-label="&#34;Wie&#34; &lt;b&gt;">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;'
        " &amp; Co</td>"
    ) in html
    assert "O&#39;Brien &lt;b&gt;wijzigde&lt;/b&gt; het factuuradres</td></tr>" in html
    assert "&amp;lt;" not in html  # not escaped a second time by Django's engine


def test_a_value_the_fragment_names_but_was_not_given_is_an_error():
    with pytest.raises(UndefinedError):
        render('{% fragment "invoices/rows.jinja" rows=rows %}', rows=[{"number": "F1"}])


def test_no_rows_write_nothing():
    html = render('{% fragment "audit/rows.jinja" rows=rows ' + LABELS + " %}", rows=[], who="")
    assert html.strip() == ""
