"""The apps depend on each other in one direction (issue 16; docs/architecture.md): the
import-linter contract in pyproject.toml holds, and it fails on an import that runs up the
layers, also one hidden inside a function."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
APPS = ["core", "outbox", "accounts", "audit", "billing_address", "users", "invoices", "portal"]


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own virtualenv's lint-imports
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layers_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def copy_of_the_apps(tmp_path):
    for app in APPS:
        shutil.copytree(
            ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    "source",
    [
        "import invoices.models\n",
        "def later():\n    from users import services\n\n    return services\n",
    ],
    ids=["at the top", "inside a function"],
)
def test_an_upward_import_breaks_the_layers(copy_of_the_apps, source):
    (copy_of_the_apps / "accounts" / "upward.py").write_text(source)
    result = _lint(copy_of_the_apps)
    assert result.returncode != 0
    assert "accounts is not allowed to import" in result.stdout
    assert "accounts.upward ->" in result.stdout
