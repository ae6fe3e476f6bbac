from __future__ import annotations

from django.urls import path

from billing_address import views

app_name = "billing_address"

urlpatterns = [
    path("", views.billing_address_detail, name="detail"),
    path("edit/", views.billing_address_edit, name="edit"),
]
