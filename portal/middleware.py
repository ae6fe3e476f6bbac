from __future__ import annotations


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
