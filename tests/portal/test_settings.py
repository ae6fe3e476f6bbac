"""Production settings refuse to start without the addresses that docs/operations.md lists as
required."""

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


def test_check_deploy_prints_nothing_with_the_documented_production_settings():
    """The variables of .env.example (with a real secret) pass `check --deploy` silently."""
    documented = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            documented[name] = value
    documented.update(
        SECRET_KEY="a-long-random-production-secret-" + "x7Qp2#vL9!mK4$" * 4,
        # Never connected by the check.
        DATABASE_URL="postgres://portal@127.0.0.1:1/portal",
        MEDIA_ROOT=str(ROOT / "var" / "media"),
    )
    # Nothing of the test run's environment (DEBUG, DJANGO_ALLOW_ASYNC_UNSAFE, ...).
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        env={**clean, **documented, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."
    assert result.stderr == ""
