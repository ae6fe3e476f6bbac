from __future__ import annotations

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("activate/password/", views.activate_password, name="activate_password"),
    path("activate/<str:uid>/<str:token>/", views.activate, name="activate"),
    path("profile/", views.profile, name="profile"),
    path("accounts/login/code/", views.login_code_request, name="login_code_request"),
    path("accounts/login/code/confirm/", views.login_code_confirm, name="login_code_confirm"),
]
