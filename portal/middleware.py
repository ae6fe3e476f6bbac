from __future__ import annotations


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


class NulCharacterMiddleware:
    """A NUL character in the path or the query string answers 400 before any view runs.

    No text the portal stores or looks up may contain one (PostgreSQL refuses it outright, so
    a lookup like ``/invoices/X%00.pdf`` or an admin filter ``?q=%00`` would fail with a 500).
    Form fields are covered by Django's forms, which refuse NUL characters themselves.
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
