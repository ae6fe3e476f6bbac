from __future__ import annotations

from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.core import context
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm, SetPasswordForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class AdminUserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "customer", "language"]


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's *Wachtwoord vergeten* form, prefilled from ``?email=`` (the expired-link page)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = getattr(context, "request", None)
        if not self.is_bound and request is not None:
            email = request.GET.get("email", "").strip()
            if email:
                self.initial.setdefault("email", email[:254])


class ActivationPasswordForm(SetPasswordForm):
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
