"""A person's language (R22), in one place: which languages exist, the language kept in the
profile applied to each request, and the cookie that keeps it after logging out.

Resolution order: the logged-in user's profile -> the language cookie -> the browser's
Accept-Language -> Dutch. The profile is changed by ``accounts.services.user_language_update``
(the language switch) and ``user_profile_update`` (the profile page)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def language_is_supported(code: str | None) -> bool:
    """Whether ``code`` is one of the portal's languages (settings.LANGUAGES)."""
    return code in {language for language, _name in settings.LANGUAGES}


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """Sets the language cookie the way Django's ``set_language`` does.

    Used wherever the profile's language becomes the browser's: at login, after activation and
    when the profile is saved, so the pages after logging out keep speaking it. An unsupported
    code is not written.
    """
    if not language_is_supported(language):
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def activate_user_language(request, user) -> None:
    """Speaks ``user``'s stored language for the rest of this request."""
    language = getattr(user, "language", None)
    if language_is_supported(language):
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class UserLocaleMiddleware(LocaleMiddleware):
    """Resolves the language user profile -> cookie -> browser -> default (R22).

    Placed after AuthenticationMiddleware so the logged-in user's stored choice wins; an
    anonymous visitor gets Django's usual cookie / Accept-Language resolution.
    """

    def process_request(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and language_is_supported(user.language):
            activate_user_language(request, user)
            return
        super().process_request(request)
