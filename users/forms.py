"""The forms of the *Gebruikers* pages: field validation only; every rule is in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.emails import canonical_email
from accounts.models import Membership, User
from core.forms import FocusFirstErrorMixin
from core.phones import PhoneNumberFormField
from users.models import JobFunction


class UserSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class EmailStepForm(FocusFirstErrorMixin, forms.Form):
    """Step 1 of adding a user: the e-mail address only (R14)."""

    initial_focus = "email"

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self) -> str:
        return canonical_email(self.cleaned_data["email"])


class UserDetailsForm(FocusFirstErrorMixin, forms.Form):
    """Step 2 of adding a user, and the edit page: the person's details and this access.

    *Rol* exists only for *Mijn organisatie* access; support access has no role.
    """

    initial_focus = "first_name"

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput({"autocomplete": "off"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput({"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.VIEWER
    )
    job_function = forms.ModelChoiceField(
        label=_("Function"),
        queryset=JobFunction.objects.none(),
        empty_label=_("Choose a function"),
        help_text=_(
            "The function closest to the person's role in your organisation; it helps us "
            "inform the right contacts."
        ),
    )
    job_title = forms.CharField(
        label=_("Business card title"),
        max_length=150,
        required=False,
        help_text=_("The person's formal title."),
    )
    phone = PhoneNumberFormField(label=_("Phone number"), required=False, region="NL")
    mobile = PhoneNumberFormField(label=_("Mobile phone number"), required=False, region="NL")
    security_contact = forms.BooleanField(
        label=_("Security/privacy contact"),
        required=False,
        help_text=_(
            "We contact this person when we find a security or privacy incident in our "
            "processing that concerns your organisation."
        ),
    )

    def __init__(self, *args, kind: str, job_functions, current_function_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != Membership.Kind.ORGANISATION:
            del self.fields["role"]
        if current_function_id is not None:
            # A retired function stays on the people who have it (the service allows keeping
            # it), so their own form still offers it.
            job_functions = job_functions | JobFunction.objects.filter(pk=current_function_id)
        self.fields["job_function"].queryset = job_functions

    @staticmethod
    def initial_from(user, membership: Membership | None = None) -> dict:
        """What is known of a contact (and of their access, when editing)."""
        # The function as its id: the form's choice, without reading the function.
        initial = {field: user.serializable_value(field) for field in User.CONTACT_FIELDS}
        if membership is not None:
            initial["security_contact"] = membership.security_contact
            if membership.role:
                initial["role"] = membership.role
        return initial

    def service_kwargs(self) -> dict:
        """The cleaned values as the services take them (they trim the texts and store the
        phones as E.164)."""
        data = self.cleaned_data
        return {
            **{field: data[field] for field in User.CONTACT_FIELDS},
            "role": data.get("role") or None,
            "security_contact": data["security_contact"],
        }


class RemovalForm(FocusFirstErrorMixin, forms.Form):
    """The *Weet je het zeker?* page (R16): a reason, and whether the person left altogether."""

    initial_focus = "reason"

    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deactivate = forms.BooleanField(
        label=_("This person no longer works for our organisation"),
        required=False,
        help_text=_(
            "Then the contact is deactivated altogether: every access to Mijn organisatie and "
            "Mijn support ends and they can no longer log in."
        ),
    )
