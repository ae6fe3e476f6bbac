"""core.urls.fixed_url: the URL reverse() gives, reversed once per script prefix and URLconf."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix

from core.urls import _reversed, fixed_url

NAMES = ["portal:home", "portal:organisation_home", "invoices:list", "users:list", "audit:list"]


@pytest.mark.parametrize("name", NAMES)
def test_it_is_what_reverse_gives(name):
    assert fixed_url(name) == reverse(name)


def test_a_script_prefix_is_part_of_the_url_and_of_the_key():
    plain = fixed_url("invoices:list")
    set_script_prefix("/portal/")
    try:
        assert fixed_url("invoices:list") == "/portal" + plain
    finally:
        clear_script_prefix()
    assert fixed_url("invoices:list") == plain


def test_it_is_reversed_once():
    _reversed.cache_clear()
    fixed_url("invoices:list")
    fixed_url("invoices:list")
    assert _reversed.cache_info().misses == 1
    assert _reversed.cache_info().hits == 1


def test_another_urlconf_empties_the_cache():
    fixed_url("invoices:list")
    with override_settings(ROOT_URLCONF="tests.core.urls_elsewhere"):
        assert fixed_url("invoices:list") == "/elsewhere/invoices/"
    assert fixed_url("invoices:list") == reverse("invoices:list")


def test_the_header_links_with_it(admin_client_portal):
    page = admin_client_portal.get(reverse("portal:organisation_home")).content.decode()
    assert f'href="{reverse("accounts:profile")}"' in page
    assert f'action="{reverse("portal:set_language")}"' in page
