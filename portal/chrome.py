"""The page header every portal page shows (navigation, language switch, user menu), written
in Python.

It was the largest part of ``base.html`` and rendered on every request: about 0.7 ms of the
4.5 ms the organisation overview takes, spent resolving some hundred template variables,
``{% url %}`` tags and translations. The markup is the template's; tests/portal/
test_chrome.py checks what it shows and ``tests/e2e`` use it as a person would.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext

_CSRF = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
_USER_ICON = mark_safe(  # noqa: S308 - a constant
    '<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 16 16" '
    'aria-hidden="true" focusable="false" fill="currentColor"><path d="M8 8a3 3 0 1 0 0-6 '
    "3 3 0 0 0 0 6Zm2-3a2 2 0 1 1-4 0 2 2 0 0 1 4 0Zm4 8c0 1-1 1-1 1H3s-1 0-1-1 1-4 6-4 6 "
    "3 6 4Zm-1-.004c-.001-.246-.154-.986-.832-1.664C11.516 10.68 10.289 10 8 10c-2.29 "
    '0-3.516.68-4.168 1.332-.678.678-.83 1.418-.832 1.664h10Z"/></svg>'
)


def _nav_link(url: str, label, current: bool) -> SafeString:
    if current:
        return format_html(
            '<li class="nav-item"><a class="nav-link active" aria-current="page" '
            'href="{}">{}</a></li>',
            url,
            label,
        )
    return format_html('<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', url, label)


def _navigation(request, sections) -> SafeString:
    if getattr(request, "organisation", None) is None:
        return mark_safe("")  # noqa: S308 - empty
    overview = reverse("portal:organisation_home")
    namespace = request.resolver_match.namespace if request.resolver_match else None
    links = [_nav_link(overview, gettext("Overview"), request.path == overview)]
    links += [
        _nav_link(section.url, section.label, namespace == section.namespace)
        for section in sections
    ]
    return mark_safe("".join(links))  # noqa: S308 - each link is format_html


def _language_switch(request, csrf: SafeString) -> SafeString:
    current = get_language()
    buttons = []
    for code, _name in settings.LANGUAGES:
        local = get_language_info(code)["name_local"]
        buttons.append(
            format_html(
                '<button type="submit" name="language" value="{code}" lang="{code}" '
                'class="btn {style}" aria-pressed="{pressed}" title="{title}">{upper}'
                '<span class="visually-hidden"> {local}</span></button>',
                code=code,
                style="btn-dark" if code == current else "btn-outline-dark",
                pressed="true" if code == current else "false",
                title=capfirst(local),
                upper=code.upper(),
                local=local,
            )
        )
    return format_html(
        '<form class="d-flex align-items-center me-md-3 my-2 my-md-0 language-switch" '
        'method="post" action="{action}">{csrf}'
        '<input type="hidden" name="next" value="{next}">'
        '<span class="visually-hidden">{language}</span>'
        '<div class="btn-group btn-group-sm" role="group" aria-label="{language}">{buttons}'
        "</div></form>",
        action=reverse("portal:set_language"),
        csrf=csrf,
        next=request.get_full_path(),
        language=gettext("Language"),
        buttons=mark_safe("".join(buttons)),  # noqa: S308 - each button is format_html
    )


def _organisation_switch(request, csrf: SafeString) -> SafeString:
    action = reverse("portal:switch_organisation")
    active = request.organisation.pk if request.organisation else None
    forms = []
    for membership in request.organisation_memberships:
        current = membership.organisation_id == active
        forms.append(
            format_html(
                '<form method="post" action="{action}">{csrf}'
                '<input type="hidden" name="organisation" value="{pk}">'
                '<input type="hidden" name="next" value="{next}">'
                '<button type="submit" class="dropdown-item d-flex justify-content-between '
                'gap-3{active}"{current} data-organisation="{name}"><span>{name}</span>'
                '<span class="badge {badge}">{role}</span></button></form>',
                action=action,
                csrf=csrf,
                pk=membership.organisation_id,
                next=request.path,
                active=" active" if current else "",
                current=mark_safe(' aria-current="true"') if current else "",  # noqa: S308
                name=membership.organisation.name,
                badge="text-bg-light" if current else "text-bg-secondary",
                role=membership.get_role_display(),
            )
        )
    return format_html(
        '<div class="dropdown-divider"></div><div class="dropdown-header">{}</div>{}',
        gettext("Organisation"),
        mark_safe("".join(forms)),  # noqa: S308 - each form is format_html
    )


def _user_menu(request, user, csrf: SafeString) -> SafeString:
    organisation = getattr(request, "organisation", None)
    label = organisation.name if organisation else user.get_short_name()
    admin = ""
    if user.is_staff:
        admin = format_html(
            '<a class="dropdown-item" href="{}">{}</a>',
            reverse("admin:index"),
            gettext("Management (Django admin)"),
        )
    return format_html(
        '<div class="dropdown user-menu">'
        '<button class="btn btn-outline-dark dropdown-toggle d-flex align-items-center gap-2" '
        'type="button" id="user-menu-button" data-bs-toggle="dropdown" aria-expanded="false">'
        '{icon}<span class="visually-hidden">{menu}:</span>'
        '<span class="user-menu-label">{label}</span></button>'
        '<div class="dropdown-menu dropdown-menu-end shadow" aria-labelledby="user-menu-button">'
        '<div class="px-3 py-2"><div class="fw-semibold">{name}</div>'
        '<div class="small text-body-secondary">{email}</div></div>'
        "{organisations}"
        '<div class="dropdown-divider"></div>'
        '<a class="dropdown-item" href="{profile_url}">{profile}</a>{admin}'
        '<form method="post" action="{logout_url}">{csrf}'
        '<button type="submit" class="dropdown-item">{logout}</button></form>'
        "</div></div>",
        icon=_USER_ICON,
        menu=gettext("User menu"),
        label=label,
        name=user.get_full_name() or user.email,
        email=user.email,
        organisations=(
            _organisation_switch(request, csrf)
            if getattr(request, "organisation_memberships", None)
            else ""
        ),
        profile_url=reverse("accounts:profile"),
        profile=gettext("Profile"),
        admin=admin,
        logout_url=reverse("account_logout"),
        csrf=csrf,
        logout=gettext("Log out"),
    )


def page_header(request, *, user, sections, csrf_token) -> SafeString:
    """The ``<header>`` of a portal page for ``request`` in the active language.

    ``sections`` are the navigation's sections the user may see, ``csrf_token`` the page's
    token (the template context's, so every form of the page carries the same one)."""
    # As ``{% csrf_token %}``: nothing where the page has no token.
    missing = not csrf_token or csrf_token == "NOTPROVIDED"  # noqa: S105 - a marker
    csrf = "" if missing else format_html(_CSRF, csrf_token)
    menu = _user_menu(request, user, csrf) if user.is_authenticated else ""
    return format_html(
        '<header class="portal-header border-bottom">'
        '<nav class="navbar navbar-expand-md" aria-label="{main}"><div class="container">'
        '<a class="navbar-brand fw-semibold" href="{home}">{brand}</a>'
        '<button class="navbar-toggler" type="button" data-bs-toggle="collapse" '
        'data-bs-target="#main-nav" aria-controls="main-nav" aria-expanded="false" '
        'aria-label="{show}"><span class="navbar-toggler-icon"></span></button>'
        '<div class="collapse navbar-collapse" id="main-nav">'
        '<ul class="navbar-nav me-auto">{navigation}</ul>{languages}{menu}'
        "</div></div></nav></header>",
        main=gettext("Main navigation"),
        home=reverse("portal:home"),
        brand=gettext("Mijn organisatie"),
        show=gettext("Show the menu"),
        navigation=_navigation(request, sections),
        languages=_language_switch(request, csrf),
        menu=menu,
    )
