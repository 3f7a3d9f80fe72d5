"""The bundled example PDFs (generated in this repo): every table cell for cell.

These run without ../shared: they are the tests a fresh clone can always run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, extract_each
from tests.tables_compare import cell_mismatches, read_csv

PDFS = sorted((EXAMPLES / "pdfs").glob("*.pdf"))
EXPECTED = sorted((EXAMPLES / "expected").glob("*/table_*.csv"))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each example extracted once; maps PDF stem to its raw folder."""
    return extract_each(PDFS, tmp_path_factory.mktemp("raw"))


def test_examples_are_bundled() -> None:
    assert len(PDFS) >= 4 and len(EXPECTED) >= 6


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_example_table_matches(extracted: dict[str, Path], expected: Path) -> None:
    got = extracted[expected.parent.name] / "tables" / expected.name
    assert got.exists(), f"{expected.parent.name}: {expected.name} not extracted"
    assert cell_mismatches(read_csv(expected), read_csv(got)) == []


@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.stem)
def test_example_has_exactly_its_tables(extracted: dict[str, Path], pdf: Path) -> None:
    want = sorted(p.name for p in (EXAMPLES / "expected" / pdf.stem).glob("*.csv"))
    have = sorted(p.name for p in (extracted[pdf.stem] / "tables").glob("*.csv"))
    assert have == want


def test_example_generator_is_deterministic(tmp_path: Path) -> None:
    """Re-generating the examples gives byte-identical PDFs and CSVs (so the repo's copies are current)."""
    import subprocess
    import sys

    cmd = [sys.executable, str(EXAMPLES / "generate.py"), "--out", str(tmp_path / "pdfs"), "--expected", str(tmp_path / "expected")]
    subprocess.run(cmd, check=True, capture_output=True)
    for pdf in PDFS:
        assert (tmp_path / "pdfs" / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name
    for csv_path in EXPECTED:
        regenerated = tmp_path / "expected" / csv_path.parent.name / csv_path.name
        assert regenerated.read_text() == csv_path.read_text(), csv_path
