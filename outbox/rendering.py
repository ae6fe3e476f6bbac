"""Rendering a mail from its templates: the one place that decides how mail text is made.

A mail is ``<prefix>_subject.txt``, ``<prefix>_message.txt`` and, if it exists,
``<prefix>_message.html``. The subject and the text body are plain text: they are rendered by
the ``mail_text`` template engine (settings.TEMPLATES), which does not autoescape, so a name
like ``O'Brien`` or ``Bakker & Zn`` arrives as typed instead of ``O&#x27;Brien``. No template
has to remember ``{% autoescape off %}``. The HTML body is rendered by the default engine and
stays escaped. The subject is one line, whatever the names in it hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

TEXT_ENGINE = "mail_text"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str


def email_subject_line(subject: str) -> str:
    """A subject on one line: line breaks (from a template or a name) become spaces."""
    return " ".join(subject.splitlines()).strip()


def email_render(*, template_prefix: str, context: dict) -> RenderedEmail:
    """Renders a mail in the active language (callers use ``translation.override``)."""
    subject = render_to_string(f"{template_prefix}_subject.txt", context, using=TEXT_ENGINE)
    body_text = render_to_string(f"{template_prefix}_message.txt", context, using=TEXT_ENGINE)
    try:
        body_html = render_to_string(f"{template_prefix}_message.html", context)
    except TemplateDoesNotExist:
        body_html = ""
    return RenderedEmail(
        subject=email_subject_line(subject), body_text=body_text, body_html=body_html
    )
