"""What the page header of every portal page shows: the navigation, the language switch and
the user menu with its organisation switch.

The markup is the templates': ``templates/base.html`` (the blocks ``header``,
``navigation``, ``language_switch`` and ``user_menu``, each overridable by a page) and
``templates/portal/_user_menu.html``. This module only works out the values they show, once
per request: which link is the current section, which language is pressed, which
organisation is active and each one's role, already translated. The ``portal`` context
processor hands them to the templates as ``header``; each part is worked out when a template
first reads it, so a page that replaces the header works out nothing.

Looked up in the templates, the same values cost a ``{% url %}``, a namespace comparison and
a ``{% get_language_info %}`` per link and button; here they are plain attributes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext

from core.urls import fixed_url


@dataclass(frozen=True, slots=True)
class NavLink:
    """A link of the navigation; ``current`` for the section the page belongs to."""

    url: str
    label: str
    current: bool


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    """A button of the language switch: ``code`` as sent (``nl``), ``short`` as shown (``NL``),
    ``name`` in the language itself (``Nederlands``), ``title`` capitalised."""

    code: str
    short: str
    name: str
    title: str
    current: bool


@dataclass(frozen=True, slots=True)
class OrganisationChoice:
    """An organisation of the user menu's switch, with the user's role there."""

    pk: int
    name: str
    role: str
    current: bool


class PageHeader:
    """The header's values for one request in the active language, each worked out when a
    template first reads it (``sections``: the navigation's sections the user may see,
    ``portal.navigation.visible_sections``)."""

    def __init__(self, request, *, sections: Iterable) -> None:
        self._request = request
        self._sections = sections

    @cached_property
    def _user(self):
        """The logged-in user, or None."""
        user = getattr(self._request, "user", None)
        return user if user is not None and user.is_authenticated else None

    @cached_property
    def navigation(self) -> tuple[NavLink, ...]:
        """Overview and the sections, for a page of an organisation; nothing otherwise."""
        request = self._request
        if getattr(request, "organisation", None) is None:
            return ()
        overview = fixed_url("portal:organisation_home")
        match = getattr(request, "resolver_match", None)
        namespace = match.namespace if match else None
        return (
            NavLink(overview, gettext("Overview"), request.path == overview),
            *(
                NavLink(section.url, str(section.label), namespace == section.namespace)
                for section in self._sections
            ),
        )

    @cached_property
    def languages(self) -> tuple[LanguageChoice, ...]:
        return _language_choices(get_language())

    @cached_property
    def organisations(self) -> tuple[OrganisationChoice, ...]:
        """The organisations the user may switch to (none for someone logged out)."""
        if self._user is None:
            return ()
        organisation = getattr(self._request, "organisation", None)
        active = organisation.pk if organisation is not None else None
        return tuple(
            OrganisationChoice(
                membership.organisation_id,
                membership.organisation.name,
                membership.get_role_display(),
                membership.organisation_id == active,
            )
            for membership in getattr(self._request, "organisation_memberships", None) or ()
        )

    @cached_property
    def menu_label(self) -> str:
        """The user menu's button: the active organisation, else the user's first name."""
        if self._user is None:
            return ""
        organisation = getattr(self._request, "organisation", None)
        return organisation.name if organisation is not None else self._user.get_short_name()

    @cached_property
    def user_name(self) -> str:
        """The menu's heading: the user's full name, else the e-mail address."""
        if self._user is None:
            return ""
        return self._user.get_full_name() or self._user.email


@cache
def _language_choices(current: str) -> tuple[LanguageChoice, ...]:
    """The language switch's buttons with ``current`` pressed: the same for every request in
    that language, so worked out once per process."""
    choices = []
    for code, _name in settings.LANGUAGES:
        local = get_language_info(code)["name_local"]
        choices.append(LanguageChoice(code, code.upper(), local, capfirst(local), code == current))
    return tuple(choices)
