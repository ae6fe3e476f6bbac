"""The demo's accounts share a published password: never loaded by accident in production."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_seed_demo_refuses_with_debug_off():
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.filter(email="staff@example.com").exists()


@override_settings(DEBUG=False)
def test_seed_demo_runs_when_forced():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.filter(email="staff@example.com", is_superuser=True).exists()
