"""Every table of the three source papers, compared cell for cell with the printed table.

The expected CSVs in tests/expected/ were written by reading the PDFs and the seed texts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.tables_compare import cell_mismatches, read_csv

EXPECTED = sorted((ROOT / "tests" / "expected").glob("*/table_*.csv"))


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_table_matches_printed_table(extracted_papers: Path, expected: Path) -> None:
    got = extracted_papers / expected.parent.name / "tables" / expected.name
    assert got.exists(), f"{expected.parent.name}: {expected.name} not extracted"
    assert cell_mismatches(read_csv(expected), read_csv(got)) == []


def test_each_paper_has_exactly_its_tables(extracted_papers: Path) -> None:
    for paper in {p.parent.name for p in EXPECTED}:
        want = sorted(p.name for p in EXPECTED if p.parent.name == paper)
        have = sorted(p.name for p in (extracted_papers / paper / "tables").glob("*.csv"))
        assert have == want, paper


def test_multipage_table_is_one_table_with_its_pages(extracted_papers: Path) -> None:
    meta = json.loads((extracted_papers / "matsuoka2025" / "tables.json").read_text())
    assert len(meta) == 1
    table = meta[0]
    assert (table["n_rows"], table["n_cols"]) == (58, 6)
    assert len(table["pages"]) >= 2
    assert [p["page"] for p in table["parts"]] == table["pages"]
    assert table["caption"].startswith("Table 1")


def test_tables_json_carries_provenance(extracted_papers: Path) -> None:
    for folder in extracted_papers.iterdir():
        for table in json.loads((folder / "tables.json").read_text()):
            assert table["caption"] and table["caption"].startswith("Table")
            assert 0 < table["score"] <= 1
            assert table["extractor"]
            for part in table["parts"]:
                x0, top, x1, bottom = part["bbox"]
                assert 0 <= x0 < x1 <= 612 and 0 <= top < bottom <= 842
            boxes = table["row_boxes"]
            assert len(boxes) == table["n_rows"]
            positions = [(page, top) for page, _, top, _, _ in boxes]
            assert positions == sorted(positions), "rows out of reading order"
            assert {page for page, *_ in boxes} == set(table["pages"])


def test_running_headers_and_captions_never_leak_into_cells(extracted_papers: Path) -> None:
    for csv_path in extracted_papers.glob("*/tables/*.csv"):
        for row in read_csv(csv_path):
            for cell in row:
                assert not cell.startswith("Table "), (csv_path, cell)
                assert "Preprints.org" not in cell and "et al." not in cell, (csv_path, cell)
