"""Production settings refuse to start without the addresses that docs/operations.md lists as
required."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


VENDOR = {
    "VENDOR_NAME": "HR & Payroll Software B.V.",
    "VENDOR_IBAN": "NL91 ABNA 0417 1643 00",
    "VENDOR_BIC": "abnanl2a",
}
PRINT_VENDOR = "import portal.settings as s; print(s.VENDOR_NAME, s.VENDOR_IBAN, s.VENDOR_BIC)"


def _load_vendor(**env) -> subprocess.CompletedProcess:
    """The settings loaded with only the vendor variables of ``env`` (none of the test run's)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("VENDOR_") and k != "DEBUG"}
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", PRINT_VENDOR],
        env={**clean, "SUPPORT_PORTAL_URL": "https://support.vendor.example/", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_takes_the_vendor_account_given_and_stores_it_plainly():
    result = _load_vendor(**PRODUCTION, **VENDOR)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "HR & Payroll Software B.V. NL91ABNA0417164300 ABNANL2A"


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("VENDOR_NAME", "Set VENDOR_NAME"),
        ("VENDOR_IBAN", "Set VENDOR_IBAN"),
        ("VENDOR_BIC", "Set VENDOR_BIC"),
    ],
)
def test_production_requires_the_vendor_account(missing, message):
    given = {k: v for k, v in VENDOR.items() if k != missing}
    result = _load_vendor(**PRODUCTION, **given)
    assert result.returncode == 1
    assert f"ImproperlyConfigured: {message}" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        # One digit off: the mod-97 check digits fail.
        ("VENDOR_IBAN", "NL91ABNA0417164301", "Set VENDOR_IBAN"),
        ("VENDOR_IBAN", "NL91 ABNA", "Set VENDOR_IBAN"),
        ("VENDOR_BIC", "ABNANL", "Set VENDOR_BIC"),
        ("VENDOR_NAME", "x" * 71, "Set VENDOR_NAME"),
    ],
)
def test_a_wrong_vendor_account_stops_the_start(name, value, message):
    """Also with DEBUG on: a typo never reaches a customer's transfer."""
    for debug in ("0", "1"):
        result = _load_vendor(**{**PRODUCTION, "DEBUG": debug}, **{**VENDOR, name: value})
        assert result.returncode == 1, (debug, result.stdout)
        assert f"ImproperlyConfigured: {message}" in result.stderr


def test_a_developer_machine_falls_back_to_the_demo_account():
    result = _load_vendor(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "HR & Payroll Software B.V. NL44RABO0123456789 RABONL2U"


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
