"""Production settings refuse to start without the addresses the README lists as required."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "production-like-secret",
    "ALLOWED_HOSTS": "portal.example.com",
    "PORTAL_URL": "https://portal.example.com",
}


def _load_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SUPPORT_PORTAL_URL", "DEBUG"}}
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", "import portal.settings as s; print(s.SUPPORT_PORTAL_URL)"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_requires_the_support_portal_url():
    result = _load_settings(**PRODUCTION)
    assert result.returncode == 1
    assert "ImproperlyConfigured: Set SUPPORT_PORTAL_URL" in result.stderr


def test_production_takes_the_support_portal_url_given():
    result = _load_settings(**PRODUCTION, SUPPORT_PORTAL_URL="https://support.vendor.example/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://support.vendor.example/"


def test_a_developer_machine_falls_back_to_the_example_address():
    result = _load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://support.example.com/"
