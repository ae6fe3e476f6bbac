"""Activation through the welcome link (R2), the login code offered during an attack (issue
15) and the user's own profile page."""

from __future__ import annotations

from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import (
    ActivationPasswordForm,
    LoginCodeConfirmForm,
    LoginCodeRequestForm,
    ProfileForm,
)
from accounts.language import activate_user_language, remember_language
from accounts.login_code import (
    MAX_WRONG_PER_REQUEST,
    PendingCode,
    login_code_offered,
    login_code_send,
)
from accounts.models import User
from accounts.services import user_activate, user_profile_update
from accounts.signals import activation_logged_in
from accounts.tokens import (
    activation_token_generator,
    link_lifetime_hours,
    user_from_activation_uid,
)

SESSION_KEY = "_activation"


def _valid_user(request: HttpRequest, uid: str, token: str) -> tuple[User | None, bool]:
    """The user the link names (None for a forged id) and whether the link still works.

    A genuine (signed) link identifies the person, so its pages speak the language kept in
    their profile, the language of the welcome mail, not the browser's."""
    user = user_from_activation_uid(uid)
    if user is not None:
        activate_user_language(request, user)
    valid = bool(
        user is not None and user.is_active and activation_token_generator.check_token(user, token)
    )
    return user, valid


def _link_invalid(request: HttpRequest, user: User | None) -> HttpResponse:
    reset_url = reverse("account_reset_password")
    if user is not None:
        # Only a genuine (signed) link names a user, so prefilling reveals nothing new.
        reset_url = f"{reset_url}?{urlencode({'email': user.email})}"
    request.session.pop(SESSION_KEY, None)
    context = {
        "reset_url": reset_url,
        "valid_hours": link_lifetime_hours(settings.ACCOUNT_ACTIVATION_TIMEOUT),
    }
    return render(request, "accounts/activate_invalid.html", context)


@login_not_required
@never_cache
@require_GET
def activate(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """The link in the welcome mail. The token moves into the session and the browser is sent
    on to a URL without it, so it cannot leak through the Referer header or browser history."""
    user, valid = _valid_user(request, uid, token)
    if not valid:
        return _link_invalid(request, user)
    request.session[SESSION_KEY] = {"uid": uid, "token": token}
    return redirect("accounts:activate_password")


@login_not_required
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def activate_password(request: HttpRequest) -> HttpResponse:
    """Choose a password; then the person is logged in and lands on Home."""
    stored = request.session.get(SESSION_KEY) or {}
    user, valid = _valid_user(request, stored.get("uid", ""), stored.get("token", ""))
    if not valid:
        return _link_invalid(request, user)
    form = ActivationPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_activate(user=user, password=form.cleaned_data["new_password1"], request=request)
        login(request, user, backend="accounts.backends.ModelBackend")
        # Django's login(), not allauth's, whose login signal the audit log records.
        activation_logged_in.send(sender=User, request=request, user=user)
        messages.success(request, gettext("Welcome! Your account is active."))
        response = redirect(settings.LOGIN_REDIRECT_URL)
        remember_language(response, user.language)
        return response
    return render(request, "accounts/activate_password.html", {"form": form, "person": user})


@never_cache
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own name and language, with links to password, two-factor login, sessions."""
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(
            user=user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            language=form.cleaned_data["language"],
        )
        with translation.override(user.language):  # the confirmation speaks the new language
            messages.success(request, gettext("Your profile has been saved."))
        response = redirect("accounts:profile")
        remember_language(response, user.language)
        return response
    context = {
        "form": form,
        "mfa_enabled": Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists(),
    }
    return render(request, "accounts/profile.html", context)


# --- the login code (accounts/login_code.py) -------------------------------------------------


def _code_context(**context) -> dict:
    return {"valid_minutes": settings.LOGIN_CODE_TIMEOUT // 60, **context}


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def login_code_request(request: HttpRequest) -> HttpResponse:
    """Asks for a one-time login code, offered while the address's ceiling is reached."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = LoginCodeRequestForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not login_code_offered(request, email):
            messages.info(
                request,
                gettext(
                    "Log in with your password. A login code by e-mail is offered only while "
                    "logins to an address from new devices are blocked because of failed "
                    "attempts."
                ),
            )
            return redirect("account_login")
        login_code_send(request=request, email=email)
        PendingCode(email=email).keep(request)
        return redirect("accounts:login_code_confirm")
    return render(request, "accounts/login_code_request.html", _code_context(form=form))


@login_not_required
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_code_confirm(request: HttpRequest) -> HttpResponse:
    """Entering the code: a correct one logs in through allauth (a second factor is still
    asked where one is set); too many wrong ones and the browser must ask again."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    pending = PendingCode.of(request)
    if pending is None:
        return redirect("account_login")
    form = LoginCodeConfirmForm(request.POST or None, request=request, email=pending.email)
    if request.method == "POST":
        if form.is_valid():
            PendingCode.forget(request)
            return perform_login(request, form.user, email=form.user.email)
        if form.has_error("code", code="wrong_code"):
            pending = PendingCode(email=pending.email, wrong=pending.wrong + 1)
            if pending.wrong >= MAX_WRONG_PER_REQUEST:
                PendingCode.forget(request)
                messages.error(
                    request,
                    gettext("Too many wrong codes. Ask for a login code again to try once more."),
                )
                return redirect("accounts:login_code_request")
            pending.keep(request)
    return render(
        request,
        "accounts/login_code_confirm.html",
        _code_context(form=form, email=pending.email),
    )
