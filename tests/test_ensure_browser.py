"""scripts/ensure-browser (run by `make test`): a Chromium is found, installed or downloaded, or
the run stops with one line saying what to install. Commands are replaced by fakes here."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import chromium_executable

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "ensure-browser"


def _executable(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def fakes(tmp_path):
    """A PATH with a fake `id`, a missing Chromium, and fake apt-get / playwright commands
    that log their arguments and succeed or fail as a test decides."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    chromium = tmp_path / "chromium"
    log = tmp_path / "calls.log"

    def run(*, uid=0, apt_installs=False, playwright_downloads=False):
        _executable(bin_dir / "id", f"echo {uid}")
        apt = _executable(
            tmp_path / "apt-get",
            f'echo "apt-get $*" >> {log}\n'
            + (
                f'[ "$1" = install ] && {{ touch {chromium}; chmod +x {chromium}; }}\n'
                if apt_installs
                else '[ "$1" = install ] && exit 100\n'
            )
            + "exit 0",
        )
        playwright = _executable(
            tmp_path / "playwright",
            f'echo "playwright $*" >> {log}\nexit {0 if playwright_downloads else 1}',
        )
        env = {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "PORTAL_CHROMIUM": str(chromium),
            "APT_GET": str(apt),
            "PLAYWRIGHT": str(playwright),
        }
        result = subprocess.run(  # noqa: S603 - our own script
            [str(SCRIPT)], env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        calls = log.read_text().splitlines() if log.exists() else []
        return result, calls

    run.chromium = chromium
    return run


def test_an_existing_chromium_is_used_as_it_is(fakes):
    _executable(fakes.chromium, "exit 0")
    result, calls = fakes()
    assert result.returncode == 0
    assert calls == []


def test_as_root_debians_chromium_is_installed(fakes):
    result, calls = fakes(apt_installs=True)
    assert result.returncode == 0, result.stderr
    assert calls == ["apt-get update -qq", "apt-get install -y -qq chromium"]


def test_without_apt_playwright_downloads_its_chromium(fakes):
    result, calls = fakes(uid=1000, playwright_downloads=True)
    assert result.returncode == 0, result.stderr
    assert calls == ["playwright install chromium"]


def test_when_the_install_fails_playwright_is_tried(fakes):
    result, calls = fakes(playwright_downloads=True)
    assert result.returncode == 0, result.stderr
    assert calls[-1] == "playwright install chromium"


def test_without_any_browser_one_line_says_what_to_install(fakes):
    result, calls = fakes(uid=1000)
    assert result.returncode == 1
    assert calls == ["playwright install chromium"]
    assert result.stderr.splitlines() == [
        "No browser for the browser tests: install Debian's chromium (sudo apt-get install "
        "chromium) or let Playwright download one (.venv/bin/playwright install chromium), "
        "then run make test again."
    ]


def test_the_browser_tests_take_playwrights_chromium_when_debians_is_missing(tmp_path):
    managed = _executable(tmp_path / "chrome", "exit 0")
    assert chromium_executable(str(tmp_path / "missing"), str(managed)) == str(managed)
    debian = _executable(tmp_path / "chromium", "exit 0")
    assert chromium_executable(str(debian), str(managed)) == str(debian)


def test_the_browser_tests_fail_loudly_without_any_chromium(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="install Debian's chromium"):
        chromium_executable(str(tmp_path / "missing"), str(tmp_path / "also-missing"))
