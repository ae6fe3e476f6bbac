from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class UserLocaleMiddleware(LocaleMiddleware):
    """Resolves the language user profile -> cookie -> browser -> default (R22).

    Placed after AuthenticationMiddleware so the logged-in user's stored choice wins; an
    anonymous visitor gets Django's usual cookie / Accept-Language resolution.
    """

    def process_request(self, request):
        user = getattr(request, "user", None)
        supported = {code for code, _name in settings.LANGUAGES}
        if user is not None and user.is_authenticated and user.language in supported:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


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
            "/healthz"
        ):
            from django.shortcuts import render

            response = render(request, "portal/unsupported_browser.html")
            response["Vary"] = "User-Agent"
            response["Cache-Control"] = "no-store"
            return response
        response = self.get_response(request)
        return response
