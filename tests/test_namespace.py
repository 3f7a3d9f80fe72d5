"""The toolkit lives under one namespace (curate, curate.extract, curate.schemas), so a steward's
own ``schemas/`` folder, ``extract.py`` or ``cli.py`` in the working folder cannot shadow it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES

_BOOBYTRAP = "raise SystemExit('the user\\'s own module was imported instead of the toolkit\\'s')\n"


def _shadowing_folder(tmp_path: Path) -> Path:
    """A working folder holding modules named like the repo's top-level folders, each of which
    fails loudly if imported."""
    work = tmp_path / "work"
    (work / "schemas").mkdir(parents=True)
    (work / "schemas" / "__init__.py").write_text(_BOOBYTRAP)
    (work / "extract.py").write_text(_BOOBYTRAP)
    (work / "cli.py").write_text(_BOOBYTRAP)
    return work


def test_python_m_curate_is_not_shadowed_by_the_users_own_schemas_folder_or_extract_py(tmp_path: Path) -> None:
    work = _shadowing_folder(tmp_path)
    pdf = EXAMPLES / "pdfs" / "ruled_example.pdf"
    result = subprocess.run([sys.executable, "-m", "curate", "extract", str(pdf), "--raw", "raw"], cwd=work, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [p.name for p in (work / "raw").glob("*/manifest.json")] == ["manifest.json"]


def test_library_imports_resolve_inside_the_curate_package(tmp_path: Path) -> None:
    work = _shadowing_folder(tmp_path)
    code = "import curate.extract.tables as t, curate.schemas.io as s, curate.api as a; print(t.__name__, s.__name__, a.__name__)"
    result = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["curate.extract.tables", "curate.schemas.io", "curate.api"]
