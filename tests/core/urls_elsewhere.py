"""A second URLconf for tests/core/test_urls.py."""

from django.urls import include, path

app_name = None
urlpatterns = [
    path("elsewhere/invoices/", include(([path("", lambda r: None, name="list")], "invoices")))
]
