"""The 500 page in the portal's look and language; logged-in pages are never cached."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client, override_settings
from django.urls import path, reverse

from portal.urls import urlpatterns as portal_urlpatterns


@login_not_required
def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken), *portal_urlpatterns]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("language", "heading"), [("nl", "Er ging iets mis"), ("en", "Something went wrong")]
)
def test_a_server_error_shows_the_portal_page_in_the_language(language, heading):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get("/broken/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    content = response.content.decode()
    assert f'<h1 class="h3">{heading}</h1>' in content
    assert f'<html lang="{language}">' in content


def test_logged_in_pages_are_not_stored(viewer_client):
    response = viewer_client.get(reverse("portal:organisation_home"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_file_download_keeps_its_own_policy(viewer_client, organisation):
    from tests.invoices.factories import InvoiceFactory

    invoice = InvoiceFactory(organisation=organisation, with_pdf=True)
    response = viewer_client.get(reverse("invoices:download", kwargs={"number": invoice.number}))
    assert response["Cache-Control"] == "private, no-store"
