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
