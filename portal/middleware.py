from __future__ import annotations

import re

from django.utils.cache import patch_cache_control


class HealthCheckMiddleware:
    """Answers /healthz and /livez first of all: no session, user, language or organisation
    is read for them, so a health check needs at most one database round trip (/healthz) or
    none (/livez), whatever cookie the caller sends, and is never redirected to HTTPS."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in ("/healthz", "/livez"):
            from portal import views

            view = views.healthz if request.path_info == "/healthz" else views.livez
            return view(request)
        return self.get_response(request)


# The control characters a header value must not contain (RFC 9110 5.5: CTL except HTAB).
# obs-text (bytes 0x80-0xFF, which WSGI hands over as Latin-1) stays: it is how UTF-8 arrives.
HEADER_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class RequestTextMiddleware:
    """Makes the text of a request safe before anything reads it.

    - A NUL character in the path or the query string answers 400 before any view runs. No
      text the portal stores or looks up may contain one (PostgreSQL refuses it outright, so
      a lookup like ``/invoices/X%00.pdf`` or an admin filter ``?q=%00`` would fail with a
      500). Form fields are covered by Django's forms, which refuse NUL characters themselves.
    - Control characters in header values (User-Agent, Referer, Accept-Language,
      X-Forwarded-For, Cookie, any other) are replaced by a space, as RFC 9110 allows a
      recipient to do. A user agent is stored with logins and audit events (by allauth too),
      and a NUL there was a 500 on PostgreSQL; whatever reads a header later gets clean text.
      Cookie *values* may still carry escaped characters (``"\\000"``): each cookie the portal
      reads checks its own value (portal/sessions.py, Django's CSRF and language checks, the
      signed device cookie).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            from django.core.exceptions import SuspiciousOperation

            raise SuspiciousOperation("NUL character in the request's path or query string")
        meta = request.META
        dirty = [
            key
            for key, value in meta.items()
            if key.startswith("HTTP_")
            and isinstance(value, str)
            and HEADER_CONTROL_CHARACTERS.search(value)
        ]
        for key in dirty:
            meta[key] = HEADER_CONTROL_CHARACTERS.sub(" ", meta[key])
        if dirty:
            # request.headers and request.COOKIES are cached readings of META: whatever read
            # them already (nothing before this middleware does) reads the clean values again.
            request.__dict__.pop("headers", None)
            request.__dict__.pop("COOKIES", None)
        return self.get_response(request)


class UnsupportedBrowserMiddleware:
    """Internet Explorer gets a plain page saying the portal does not support it (R23).

    Answered before sessions and the database are touched, with status 200 so the user sees
    the page rather than a browser error. Static files are served by WhiteNoise before this.
    """

    MARKERS = ("Trident/", "MSIE ")

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user_agent = request.META.get("HTTP_USER_AGENT", "")
        if any(marker in user_agent for marker in self.MARKERS) and not request.path.startswith(
            ("/healthz", "/livez")
        ):
            from django.shortcuts import render

            response = render(request, "portal/unsupported_browser.html")
            response["Vary"] = "User-Agent"
            response["Cache-Control"] = "no-store"
            return response
        response = self.get_response(request)
        return response


class PrivatePagesMiddleware:
    """A page made for a logged-in person is never stored by a browser or proxy cache
    (``Cache-Control: private, no-store``): after logging out on a shared computer, the back
    button must not show invoices or users. Responses that set their own policy keep it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
