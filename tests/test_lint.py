"""ruff and mypy (configured in pyproject.toml) pass, so every full test run catches new lint
and type errors, whoever wrote them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def _namespace_tree(tmp: Path) -> Path:
    """The installed layout (curate/ with extract/ and schemas/ inside) as symlinks: mypy cannot
    follow setuptools' package-dir mapping of the editable install, so it reads this instead."""
    tree = tmp / "curate"
    tree.mkdir()
    for entry in (ROOT / "curate").iterdir():
        if entry.name != "__pycache__":
            (tree / entry.name).symlink_to(entry)
    for sub in ("extract", "schemas"):
        (tree / sub).symlink_to(ROOT / sub, target_is_directory=True)
    return tmp


def test_mypy_finds_no_type_errors_in_the_library(tmp_path: Path) -> None:
    result = _run("mypy", "--config-file", str(ROOT / "pyproject.toml"), "-p", "curate", cwd=_namespace_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout and "source files" in result.stdout, result.stdout
