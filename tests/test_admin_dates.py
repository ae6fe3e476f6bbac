"""Date-only fields in Django admin carry no time-zone note (issue 17, section 5, item 7).

Django's admin script adds "Let op: voer tijden in de tijdzone Europe/Amsterdam in (je loopt
1 uur achter)" below every date field when the browser's time zone differs from the server's,
also where no time is entered. ``static/js/admin_date_only.js`` leaves it out there; the
browser test in tests/e2e/test_rough_edges_journey.py shows that the note is gone."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import logged_in

pytestmark = pytest.mark.django_db

SCRIPT = settings.BASE_DIR / "static" / "js" / "admin_date_only.js"


def test_the_admin_loads_the_script_after_djangos_date_shortcuts(staff):
    html = logged_in(staff).get(reverse("admin:invoices_invoice_add")).content.decode()
    head = html[: html.index("</head>")]
    assert '<script src="/static/js/admin_date_only.js" defer></script>' in head
    # Deferred, it runs once the page is parsed: after DateTimeShortcuts.js, which the form's
    # media loads without defer, and before the load event on which the notes are added.
    [shortcuts] = re.findall(r"<script[^>]*DateTimeShortcuts\.js[^>]*>", head)
    assert "defer" not in shortcuts
    # The invoice's dates are date-only inputs, not the date half of a date-and-time pair.
    assert re.search(r'<input type="text" name="invoice_date"[^>]*class="vDateField', html)
    assert 'class="datetime"' not in html


def test_every_admin_page_loads_it(staff):
    html = logged_in(staff).get(reverse("admin:index")).content.decode()
    assert "/static/js/admin_date_only.js" in html
    assert 'id="site-name"' in html  # Django's own base_site.html, extended


def test_the_script_skips_date_only_fields_and_keeps_the_note_for_times():
    script = SCRIPT.read_text()
    assert "window.DateTimeShortcuts" in script
    assert 'input.classList.contains("vDateField") && !input.closest("p.datetime")' in script
    assert "addTimezoneWarning.call(this, input)" in script
