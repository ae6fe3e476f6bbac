from __future__ import annotations

from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import User


class AdminUserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "customer", "language"]


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
