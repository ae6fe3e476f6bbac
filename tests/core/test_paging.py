"""The page links under a list: which pages are offered (portal_paging.page_links), and that
``portal/_pagination.html`` writes what the template loop over every page with a
``{% querystring %}`` per link wrote before it."""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from core.templatetags.portal_paging import PageLink, page_links, page_window

INCLUDE = '{% include "portal/_pagination.html" %}'
# The template before the links were worked out in Python, kept as the reference.
LOOP = """{% load i18n portal_paging %}{% if page.has_other_pages %}
  <nav aria-label="{% translate 'Pages' %}">
    <ul class="pagination flex-wrap">
      {% if page.has_previous %}
        <li class="page-item"><a class="page-link" href="{% querystring page=page.previous_page_number %}">{% translate "Previous" %}</a></li>
      {% endif %}
      {% for number in page|page_window %}
        {% if number == page.number %}
          <li class="page-item active"><span class="page-link" aria-current="page">{{ number }}</span></li>
        {% else %}
          <li class="page-item"><a class="page-link" href="{% querystring page=number %}">{{ number }}</a></li>
        {% endif %}
      {% endfor %}
      {% if page.has_next %}
        <li class="page-item"><a class="page-link" href="{% querystring page=page.next_page_number %}">{% translate "Next" %}</a></li>
      {% endif %}
    </ul>
  </nav>
{% endif %}"""  # noqa: E501


def render(source: str, *, count: int, number: int, query: dict) -> str:
    page = Paginator(range(count), 25).get_page(number)
    request = RequestFactory().get("/organisation/users/", query)
    html = engines["django"].from_string(source).render({"page": page}, request)
    # Whitespace between the list's elements means nothing.
    return re.sub(r"\s*(</?(?:nav|ul|li)\b[^>]*>)\s*", r"\1", html.strip())


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("count", "number", "query"),
    [
        (20, 1, {}),  # one page: nothing
        (60, 1, {}),
        (60, 3, {"q": "jansen"}),
        (500, 10, {"q": "<script>&\"'", "page": "10"}),
        (500, 20, {"page": "20", "q": "x", "tag": ["a", "b"]}),  # page first: it stays first
        (110_000, 2_200, {"status": "open"}),
    ],
)
def test_the_links_are_what_the_loop_over_every_page_wrote(language, count, number, query):
    with translation.override(language):
        expected = render(LOOP, count=count, number=number, query=query)
        written = render(INCLUDE, count=count, number=number, query=query)
    assert written == expected


def test_the_links_keep_the_query_and_say_where_they_go():
    with translation.override("nl"):
        html = render(INCLUDE, count=200, number=5, query={"q": "a&b"})
    assert html.startswith('<nav aria-label="Pagina\'s"><ul class="pagination flex-wrap">')
    links = re.findall(r'<a class="page-link" href="([^"]*)">([^<]*)</a>', html)
    assert links == [
        ("?q=a%26b&amp;page=4", "Vorige"),
        ("?q=a%26b&amp;page=1", "1"),
        ("?q=a%26b&amp;page=3", "3"),
        ("?q=a%26b&amp;page=4", "4"),
        ("?q=a%26b&amp;page=6", "6"),
        ("?q=a%26b&amp;page=7", "7"),
        ("?q=a%26b&amp;page=8", "8"),
        ("?q=a%26b&amp;page=6", "Volgende"),
    ]
    assert '<span class="page-link" aria-current="page">5</span>' in html


@pytest.mark.parametrize(
    ("count", "number", "expected"),
    [(25, 1, [1]), (200, 1, [1, 2, 3, 8]), (200, 5, [1, 3, 4, 5, 6, 7, 8]), (200, 8, [1, 6, 7, 8])],
)
def test_page_window(count, number, expected):
    assert page_window(Paginator(range(count), 25).get_page(number)) == expected


def test_the_links_worked_out():
    page = Paginator(range(200), 25).get_page(2)
    with translation.override("en"):
        links = page_links(page, QueryDict("q=a%26b&page=2&sort=-date"))
    assert links == [
        PageLink("Previous", "?q=a%26b&page=1&sort=-date"),
        PageLink("1", "?q=a%26b&page=1&sort=-date"),
        PageLink("2", "", current=True),
        PageLink("3", "?q=a%26b&page=3&sort=-date"),
        PageLink("4", "?q=a%26b&page=4&sort=-date"),
        PageLink("8", "?q=a%26b&page=8&sort=-date"),
        PageLink("Next", "?q=a%26b&page=3&sort=-date"),
    ]


def test_one_page_has_no_links():
    assert page_links(Paginator(range(25), 25).get_page(1), QueryDict("")) == []
