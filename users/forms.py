"""The forms of the *Gebruikers* pages: field validation only; every rule is in the services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.emails import canonical_email
from accounts.models import Membership, User
from accounts.selectors import PORTAL_USER_STATUSES, USER_STATUS_LABELS
from core.forms import FocusFirstErrorMixin
from core.phones import PhoneNumberFormField
from users.models import JobFunction
from users.selectors import DEFAULT_USER_SORT, UserFilters, user_sort_keys


class UserFilterForm(forms.Form):
    """A *Gebruikers* list's search, filters and order, read from the query string (R13,
    issue 17). A bad value is ignored, never an error page: a link kept from an older
    version, or a typed URL, still shows a list."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Membership.Role.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            *((status.value, USER_STATUS_LABELS[status]) for status in PORTAL_USER_STATUSES),
        ],
    )
    security_contact = forms.ChoiceField(
        label=_("Security/privacy contact"),
        required=False,
        choices=[("", _("Everyone")), ("yes", _("Yes")), ("no", _("No"))],
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for key in user_sort_keys()],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kind != Membership.Kind.ORGANISATION:
            del self.fields["role"]  # Mijn support access has no role

    def filters(self) -> UserFilters:
        self.is_valid()
        data = {
            name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors
        }
        return UserFilters(
            query=(data.get("q") or "").strip(),
            role=data.get("role") or "",
            status=data.get("status") or "",
            security_contact=data.get("security_contact") or "",
            sort=data.get("sort") or DEFAULT_USER_SORT,
        )


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
    # Editing only (R15): in the add wizard the address is step 1's, shown read-only.
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "The address the person logs in with. When you change it, we e-mail the old and "
            "the new address; from then on the person logs in with the new one."
        ),
    )
    # Someone new, or who never activated (R22): the language of the welcome e-mail and of
    # the portal at their first login; afterwards they choose it in their profile.
    # Not required: left out (a form of an older page), the service takes the Admin's.
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=settings.LANGUAGES,
        help_text=_(
            "The language of the welcome e-mail and of the portal when the person first logs "
            "in. They can change it in their profile."
        ),
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

    def __init__(
        self,
        *args,
        kind: str,
        job_functions,
        current_function_id=None,
        with_email: bool = False,
        with_language: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != Membership.Kind.ORGANISATION:
            del self.fields["role"]
        if not with_email:
            del self.fields["email"]
        if not with_language:
            del self.fields["language"]
        if current_function_id is not None:
            # A retired function stays on the people who have it (the service allows keeping
            # it), so their own form still offers it.
            job_functions = job_functions | JobFunction.objects.filter(pk=current_function_id)
        self.fields["job_function"].queryset = job_functions

    def clean_email(self) -> str:
        return canonical_email(self.cleaned_data["email"])

    @staticmethod
    def initial_from(user, membership: Membership | None = None) -> dict:
        """What is known of a contact (and of their access, when editing)."""
        # The function as its id: the form's choice, without reading the function.
        initial = {field: user.serializable_value(field) for field in User.CONTACT_FIELDS}
        initial |= {"email": user.email, "language": user.language}
        if membership is not None:
            initial["security_contact"] = membership.security_contact
            if membership.role:
                initial["role"] = membership.role
        return initial

    def service_kwargs(self) -> dict:
        """The cleaned values as the services take them (they trim the texts and store the
        phones as E.164)."""
        data = self.cleaned_data
        optional = {field: data[field] or None for field in ("email", "language") if field in data}
        return {
            **{field: data[field] for field in User.CONTACT_FIELDS},
            "role": data.get("role") or None,
            "security_contact": data["security_contact"],
            **optional,
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
