from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account import forms as allauth_forms
from allauth.core import context
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.emails import canonical_email
from accounts.lockout import ACCOUNT_CEILING_ERROR
from accounts.login_code import (
    CONFIRM_ACTION,
    REQUEST_ACTION,
    login_code_consume,
    login_code_redeem,
)
from accounts.models import User

if TYPE_CHECKING:
    from django.http import HttpRequest


class CanonicalEmailField(forms.EmailField):
    """An address, cleaned to its canonical form (accounts/emails.py) from the text as typed.

    allauth's own e-mail field lower-cases first, which turns the Kelvin sign into ``k``;
    the canonical rule must see the typed characters to refuse such spellings."""

    def clean(self, value):
        value = super().clean(value)
        return canonical_email(value) if value else value

    @classmethod
    def like(cls, field: forms.Field) -> CanonicalEmailField:
        """This field in place of another, with its label, widget and requiredness."""
        return cls(
            label=field.label,
            widget=field.widget,
            required=field.required,
            help_text=field.help_text,
            max_length=254,
        )


class PortalLabels:
    """allauth's forms in the portal's words (one term per concept in both languages).

    ``labels`` maps field name -> label; ``help_texts`` likewise, for the fields to change."""

    labels: dict = {}
    help_texts: dict = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            if name in self.fields:
                field = self.fields[name]
                field.label = label
                if "placeholder" in field.widget.attrs:  # allauth repeats its label there
                    field.widget.attrs["placeholder"] = label
        for name, help_text in self.help_texts.items():
            if name in self.fields:
                self.fields[name].help_text = help_text


class LoginForm(PortalLabels, allauth_forms.LoginForm):
    # The page itself links to "Forgot password?" once, below the form.
    labels = {"login": _("E-mail address"), "remember": _("Remember me")}
    help_texts = {"password": ""}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The account, its failure budgets and its known-device mark all follow from the
        # canonical spelling; text without one (``ſtaff@…``) is refused by the field, so no
        # password is checked for it.
        self.fields["login"] = CanonicalEmailField.like(self.fields["login"])
        # The page is for typing the address: the keyboard starts there (issue 17, item 3).
        self.fields["login"].widget.attrs["autofocus"] = True

    @property
    def login_code_offered(self) -> bool:
        """Refused by the account-wide ceiling: the page offers a login code by e-mail."""
        return self.has_error(NON_FIELD_ERRORS, code=ACCOUNT_CEILING_ERROR)


class LoginCodeRequestForm(forms.Form):
    """Asking for a one-time login code (accounts/login_code.py)."""

    email = CanonicalEmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict:
        cleaned_data = super().clean()
        if not self.errors and not login_code_consume(self.request, REQUEST_ACTION):
            raise forms.ValidationError(
                _("Too many login codes were asked for from this network. Try again later."),
                code="too_many_requests",
            )
        return cleaned_data


class LoginCodeConfirmForm(forms.Form):
    """Entering the code from the mail; ``user`` is the person it logs in."""

    code = forms.CharField(
        label=_("Login code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )

    def __init__(self, *args, request: HttpRequest, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.email = email
        self.user: User | None = None

    def clean(self) -> dict:
        cleaned_data = super().clean()
        code = cleaned_data.get("code")
        if not code:
            return cleaned_data
        if not login_code_consume(self.request, CONFIRM_ACTION):
            raise forms.ValidationError(
                _("Too many login codes were entered from this network. Try again later."),
                code="too_many_requests",
            )
        self.user = login_code_redeem(request=self.request, email=self.email, code=code)
        if self.user is None:
            self.add_error(
                "code",
                forms.ValidationError(
                    _("This code is not correct, or no longer valid."), code="wrong_code"
                ),
            )
        return cleaned_data


class ChangePasswordForm(PortalLabels, allauth_forms.ChangePasswordForm):
    labels = {
        "oldpassword": _("Current password"),
        "password1": _("New password"),
        "password2": _("New password (again)"),
    }


class SetPasswordForm(PortalLabels, allauth_forms.SetPasswordForm):
    labels = {"password1": _("New password"), "password2": _("New password (again)")}


class ResetPasswordKeyForm(PortalLabels, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": _("New password"), "password2": _("New password (again)")}


class ActivateTOTPForm(PortalLabels, AllauthActivateTOTPForm):
    labels = {"code": _("Code from the app")}


class ResetPasswordForm(PortalLabels, allauth_forms.ResetPasswordForm):
    """allauth's *Wachtwoord vergeten* form, prefilled from ``?email=`` (the expired-link page)."""

    labels = {"email": _("E-mail address")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The canonical form is what allauth looks up, counts (5 a minute per address) and
        # mails to.
        self.fields["email"] = CanonicalEmailField.like(self.fields["email"])
        # No address is longer (RFC 5321, User.email, the mail queue): a longer one is a form
        # error, not a failure when the mail is queued.
        email = self.fields["email"]
        email.max_length = 254
        email.validators.append(MaxLengthValidator(254))
        email.widget.attrs["maxlength"] = "254"
        request = getattr(context, "request", None)
        if not self.is_bound and request is not None:
            email = request.GET.get("email", "").strip()
            if email:
                self.initial.setdefault("email", email[:254])


class ActivationPasswordForm(DjangoSetPasswordForm):
    """Choosing the first password: Django's validators, their help shown in both languages."""

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("Choose a password")
        self.fields["new_password2"].label = _("Repeat the password")


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]
        labels = {"first_name": _("First name"), "last_name": _("Last name")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
