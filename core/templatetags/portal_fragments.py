"""``{% fragment "invoices/rows.jinja" rows=rows … %}``: the repeated parts of a list page
(its rows, the options of its filters, its page links), written by a Jinja2 fragment of
``templates/jinja2/`` (the ``fragments`` engine of the settings).

A list page loops over 25 to 50 rows of a dozen cells, and a filter may offer hundreds of
options (the activity log's *Who*). Django's template engine spends about 25 µs on such a row
(a variable lookup, a localisation check and an escape per cell, each through several calls)
and 5 µs on an option; Jinja2 compiles the fragment to Python and spends a fifth of that. The
loops were written in Python strings for that reason; as Jinja2 fragments they stay markup in
template files, escaped by Jinja2 (autoescape), at about the cost of the Python strings.
Everything else of a page, its blocks and the page header, is a Django template.

A fragment gets only the values passed here: labels are translated in the Django template
(``{% translate … as label %}``) and passed in, so every string stays where the catalogue
finds it, and a form gets the page's ``csrf_token``. A value a fragment names but was not
passed is an error (``StrictUndefined``), not an empty cell.
"""

from __future__ import annotations

from django import template
from django.template import engines
from markupsafe import Markup

register = template.Library()


@register.simple_tag
def fragment(template_name: str, **values) -> Markup:
    template_ = engines["fragments"].get_template(template_name)
    # Jinja2 escaped every value it wrote (autoescape); Markup tells Django's engine that
    # the fragment is markup already, as Jinja2's own templates know it (markupsafe).
    return Markup(template_.render(values))  # noqa: S704 - Jinja2 escaped what it wrote
