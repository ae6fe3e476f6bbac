"""The 500 page in the portal's look and language; logged-in pages are never cached."""

from __future__ import annotations

import ast
from http import HTTPStatus
from pathlib import Path

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
def test_a_file_download_is_not_stored_either(viewer_client, organisation):
    from tests.invoices.factories import InvoiceFactory

    invoice = InvoiceFactory(organisation=organisation, with_pdf=True)
    response = viewer_client.get(reverse("invoices:download", kwargs={"number": invoice.number}))
    assert response["Cache-Control"] == "private, no-store"


def test_the_cache_policy_is_set_in_one_place():
    """``PrivatePagesMiddleware`` sets ``private, no-store`` on every response to a logged-in
    person, downloads included; no view or helper sets it again by hand (a second copy that
    drifts from the first is how a page ends up cached). The middleware module also answers
    the unsupported-browser page, before any login, with its own ``no-store``."""
    root = Path(__file__).parents[2]
    setters = []
    for module in sorted(root.glob("*/**/*.py")):
        relative = module.relative_to(root)
        if relative.parts[0] in {".venv", "tests"} or "migrations" in relative.parts:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            header = (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.slice, ast.Constant)
                and str(node.slice.value).lower() == "cache-control"
            )
            patch = isinstance(node, ast.Call) and "patch_cache_control" in ast.unparse(node.func)
            if header or patch:
                setters.append(str(relative))
    assert sorted(set(setters)) == ["portal/middleware.py"]
