"""The forms of the users admin (users/admin.py): a contact's pages and the removal of access."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from users.models import JobFunction


class AdminUserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = [
            "email",
            *User.CONTACT_NAME_FIELDS,
            "customer",
            "language",
            *User.CONTACT_WORK_FIELDS,
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _limit_job_functions(self)


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _limit_job_functions(self)


def _limit_job_functions(form: forms.ModelForm) -> None:
    """Only active functions can be chosen anew; a retired one stays on who has it (R18)."""
    field = form.fields.get("job_function")
    if field is not None:
        current = getattr(form.instance, "job_function_id", None)
        field.queryset = JobFunction.objects.filter(Q(active=True) | Q(pk=current))


class MembershipInlineForm(forms.ModelForm):
    """An access row on the user page. An existing access keeps its organisation and kind:
    changing them would be a removal (with a reason) and an addition, each by its service."""

    class Meta:
        model = Membership
        fields = ["organisation", "kind", "role", "security_contact"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("organisation", "kind"):
                if name in self.fields:
                    self.fields[name].disabled = True


class MembershipRemoveForm(forms.Form):
    """The reason asked before access is removed in admin (R16), as in the portal."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    deactivate = forms.BooleanField(
        label=_("This person no longer works for the organisation"),
        help_text=_(
            "Deactivate the person altogether: all their access everywhere ends, login stops "
            "and their open sessions end."
        ),
        required=False,
    )
