"""Browser and system from a User-Agent header, for people reading their sessions list.

Deliberately small: the families people actually use, tested in tests/accounts. Order
matters because browsers borrow each other's tokens (Edge and Opera say "Chrome", Chrome says
"Safari", an iPhone says "like Mac OS X", Android says "Linux")."""

from __future__ import annotations

from django.utils.translation import gettext

BROWSERS = (
    ("Edge", ("Edg/", "EdgA/", "EdgiOS/", "Edge/")),
    ("Opera", ("OPR/", "Opera")),
    ("Samsung Internet", ("SamsungBrowser/",)),
    ("Firefox", ("Firefox/", "FxiOS/")),
    ("Chrome", ("Chrome/", "CriOS/", "Chromium/")),
    ("Safari", ("Safari/",)),
    ("Internet Explorer", ("Trident/", "MSIE ")),
)
SYSTEMS = (
    ("Windows", ("Windows",)),
    ("iOS", ("iPhone", "iPod")),
    ("iPadOS", ("iPad",)),
    ("Android", ("Android",)),
    ("ChromeOS", ("CrOS",)),
    ("macOS", ("Macintosh", "Mac OS X")),
    ("Linux", ("Linux", "X11")),
)


def _first(user_agent: str, families) -> str | None:
    for name, tokens in families:
        if any(token in user_agent for token in tokens):
            return name
    return None


def browser_and_system(user_agent: str | None) -> str:
    """``"Chrome on Windows"`` (in the active language), or what of it is known."""
    user_agent = user_agent or ""
    browser = _first(user_agent, BROWSERS)
    system = _first(user_agent, SYSTEMS)
    if browser and system:
        return gettext("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or gettext("Unknown browser")
