from __future__ import annotations

from django.urls import path

from accounts.models import Membership
from users import views

app_name = "users"

ORGANISATION = {"kind": Membership.Kind.ORGANISATION}
SUPPORT = {"kind": Membership.Kind.SUPPORT}

urlpatterns = [
    path("", views.user_list, ORGANISATION, name="list"),
    path("support/", views.user_list, SUPPORT, name="support_list"),
    path("add/", views.user_add, ORGANISATION, name="add"),
    path("add/details/", views.user_add_details, ORGANISATION, name="add_details"),
    path("support/add/", views.user_add, SUPPORT, name="support_add"),
    path("support/add/details/", views.user_add_details, SUPPORT, name="support_add_details"),
    path("<int:pk>/edit/", views.user_edit, name="edit"),
    path("<int:pk>/delete/", views.user_delete, name="delete"),
    path("<int:pk>/resend-welcome/", views.user_resend_welcome, name="resend_welcome"),
    path("export.csv", views.user_export_csv, name="export_csv"),
]
