"""ruff and mypy (configured in pyproject.toml) pass, so every full test run catches new lint
and type errors, whoever wrote them."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_errors_in_the_library() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
