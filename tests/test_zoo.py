"""The table layout zoo (examples/zoo): every table, printed by three producers in many styles,
compared cell for cell with what ``curate extract`` reads under its caption.

A case curate does not read yet is a strict xfail with the reason seen: when the table reader
learns it, the xfail turns into a failure here and is to be removed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from curate.schemas.io import unguard
from tests.conftest import EXAMPLES, extract_each
from tests.tables_compare import cell_mismatches, read_csv

ZOO = EXAMPLES / "zoo"
MANIFEST: list[dict[str, Any]] = json.loads((ZOO / "manifest.json").read_text(encoding="utf-8"))
PDFS = sorted({ZOO / e["pdf"] for e in MANIFEST})
CAPTION_NUMBER = re.compile(r"\s*Table\s*(\d+)\b")

_MARK_FIRST = "raised footnote mark read before its label ('a Weight, kg') instead of '^a'"
_MARK_TYPST = "typst sets superscripts as the font's superscript glyphs on the baseline: 'kga' instead of 'kg^a'; a kerned word split ('Diff erence', 'Demogra phics')"
_SPANNERS = "two spanning headers over partial rules: each is given to all four columns ('Intervention Control Events')"
_HEADERLESS = "no rules: the header row is not told from the body (read as a body row, header empty)"
_LONG_HEADERLESS = _HEADERLESS + ", over three pages"
_NOT_STITCHED = "over three pages: pages 2 and 3 are separate uncaptioned tables (not stitched), header lost"
_CHROMIUM_SPANNERS = "Chromium's per-cell rules under spanning headers: 4 of 6 columns, header empty"

KNOWN: dict[str, str] = {
    "reportlab-booktabs/table_2": _SPANNERS,
    "reportlab-headerrule/table_2": "one header rule: a wrapped cell's last line is lost ('Superior pancreaticoduodenal' without 'artery')",
    "reportlab-twocol-booktabs/table_2": "full-width table between column runs: the prose below is read into it (camelot-stream wins)",
    "reportlab-twocol-norules/table_3": "no rules: a two-line header ('Glucose (1)' over 'mg/dL') is cut: its second line read as a body row",
    "reportlab-sideways-norules/table_1": "sideways without rules: cut after 15 of 23 rows (the rest an uncaptioned table), an extra column",
    "reportlab-long-zebra/table_1": "zebra over three pages: the header is lost and the repeated header of page 2 is read as a body row",
    "chromium-grid/table_2": _MARK_FIRST,
    "chromium-booktabs/table_1": _MARK_FIRST,
    "chromium-booktabs/table_2": _CHROMIUM_SPANNERS,
    "chromium-headerrule/table_1": _MARK_FIRST,
    "chromium-headerrule/table_2": "one header rule, Chromium: wrapped cells split into rows and cut at hyphens ('BM-'), citation marks lost",
    "chromium-norules/table_2": _HEADERLESS,
    "chromium-zebra/table_1": _MARK_FIRST,
    "chromium-shaded/table_1": _MARK_FIRST,
    "chromium-twocol-booktabs/table_2": _CHROMIUM_SPANNERS,
    "chromium-twocol-norules/table_3": "no rules: a two-line header ('Glucose (1)' over 'mg/dL') is cut: its second line read as a body row",
    "chromium-sideways-grid/table_1": "on a sideways page the exponents are read apart ('6 5.8 × 10 /kg')",
    "chromium-sideways-norules/table_1": "sideways without rules: an extra column (one column's wrapped words split off)",
    "chromium-long-repeat/table_1": _LONG_HEADERLESS,
    "chromium-long-norepeat/table_1": _LONG_HEADERLESS,
    "chromium-long-zebra/table_1": _NOT_STITCHED,
    "typst-grid/table_2": _MARK_TYPST,
    "typst-booktabs/table_1": _MARK_TYPST,
    "typst-shaded/table_1": _MARK_TYPST,
    "typst-booktabs/table_2": _SPANNERS,
    "typst-twocol-booktabs/table_2": _SPANNERS,
    "typst-headerrule/table_1": _MARK_TYPST,
    "typst-headerrule/table_2": "one header rule, typst: the header's columns run together and wrapped cells are split into rows",
    "typst-norules/table_2": _HEADERLESS,
    "typst-zebra/table_1": _MARK_TYPST,
    "typst-twocol-norules/table_3": "no rules: a two-line header ('Glucose (1)' over 'mg/dL') is cut: its second line read as a body row",
    "typst-sideways-grid/table_1": "typst's sideways page is not turned upright: read as a grid of single letters, no caption",
    "typst-sideways-norules/table_1": "typst's sideways page is not turned upright: uncaptioned pieces of single letters",
    "typst-long-repeat/table_1": _NOT_STITCHED,
    "typst-long-norepeat/table_1": _LONG_HEADERLESS,
    "typst-long-zebra/table_1": _NOT_STITCHED,
    "reportlab-twocol-headerrule/table_3": "one header rule, in one column of two: the prose line beside the header is read into it",
    "chromium-twocol-headerrule/table_1": "one header rule in one column of two (Chromium): the header is lost",
    "chromium-twocol-headerrule/table_2": _HEADERLESS.replace("no rules", "one header rule in one column of two"),
    "chromium-twocol-headerrule/table_3": "one header rule, in one column of two below a full-width table (Chromium): prose read into the header, wrapped labels split into rows",
    "typst-twocol-headerrule/table_1": "one header rule in one column of two (typst): not found",
    "typst-twocol-headerrule/table_2": _HEADERLESS.replace("no rules", "one header rule in one column of two"),
    "typst-twocol-headerrule/table_3": "one header rule, in one column of two below a full-width table (typst): wrapped labels cut, 6 of 11 rows",
    "chromium-landscape-booktabs/table_1": "a table continued on a second landscape page (header repeated) is not stitched",
    "typst-landscape-booktabs/table_1": "typst sets exponents as the font's superscript glyphs on the baseline: '5.8 × 10^6 /kg' read as '5.8 × 106 /kg'",
}

#: PDFs where curate finds a table that is not there, or misses or splits one.
KNOWN_PDFS: dict[str, str] = {
    "reportlab-sideways-norules": "sideways without rules: the table is cut in two (an uncaptioned second piece)",
    "typst-twocol-headerrule": "Table 1 (one header rule, in one column of two) is not found; an uncaptioned piece is",
    "chromium-landscape-booktabs": "the landscape table's second page is read as separate tables without a caption",
    "chromium-headerrule": "the wide study table's wrapped rows make a second, uncaptioned table on page 2",
    "chromium-long-zebra": "zebra over three pages: pages 2 and 3 are separate tables without a caption",
    "typst-long-repeat": "over three pages with a repeated header: pages 2 and 3 are separate tables without a caption",
    "typst-long-zebra": "zebra over three pages: pages 2 and 3 are a separate table without a caption",
    "typst-sideways-grid": "typst's sideways page is not turned upright: one uncaptioned table of single letters",
    "typst-sideways-norules": "typst's sideways page is not turned upright: several uncaptioned tables of single letters",
}


def case_id(entry: dict[str, Any]) -> str:
    return f"{Path(entry['pdf']).stem}/table_{entry['table']}"


def cases() -> list[Any]:
    """One pytest param per zoo table, a strict xfail where curate is known to misread it."""
    return [
        pytest.param(e, id=case_id(e), marks=[pytest.mark.xfail(strict=True, reason=KNOWN[case_id(e)])] if case_id(e) in KNOWN else [])
        for e in MANIFEST
    ]


@pytest.fixture(scope="session")
def zoo_extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every zoo PDF extracted once; maps PDF stem to its raw folder."""
    return extract_each(PDFS, tmp_path_factory.mktemp("zoo"))


def read_cells(path: Path) -> list[list[str]]:
    """A table CSV curate wrote, cells as printed (the spreadsheet guard quote taken off)."""
    return [[unguard(cell) for cell in row] for row in read_csv(path)]


def captioned(folder: Path, number: int) -> dict[str, Any] | None:
    """The entry of tables.json whose caption is "Table <number>", if curate found one."""
    for table in json.loads((folder / "tables.json").read_text(encoding="utf-8")):
        m = CAPTION_NUMBER.match(table["caption"] or "")
        if m and int(m.group(1)) == number:
            return table
    return None


def test_zoo_is_complete() -> None:
    """Three producers, every style and layout; a table is expected the same whoever printed it; small."""
    assert {e["producer"] for e in MANIFEST} == {"reportlab", "chromium", "typst"}
    assert {e["style"] for e in MANIFEST} >= {"grid", "booktabs", "headerrule", "norules", "zebra", "shaded"}
    assert {e["layout"] for e in MANIFEST} == {"single", "twocol", "sideways", "landscape", "long"}
    by_source: dict[str, str] = {}
    for e in MANIFEST:
        text = (ZOO / e["expected"]).read_text(encoding="utf-8")
        assert by_source.setdefault(e["source"], text) == text, f"{e['expected']}: the same table expected differently"
        if e["layout"] == "long":
            assert len(e["pages"]) == 3, case_id(e)
    assert sum(p.stat().st_size for p in PDFS) < 5_000_000
    assert set(KNOWN) <= {case_id(e) for e in MANIFEST}, "an xfail names a table the zoo no longer has"


@pytest.mark.parametrize("entry", cases())
def test_zoo_table_matches(zoo_extracted: dict[str, Path], entry: dict[str, Any]) -> None:
    folder = zoo_extracted[Path(entry["pdf"]).stem]
    table = captioned(folder, entry["table"])
    assert table is not None, f"no table captioned 'Table {entry['table']}' found"
    assert table["pages"] == entry["pages"]
    assert cell_mismatches(read_csv(ZOO / entry["expected"]), read_cells(folder / table["file"])) == []


@pytest.mark.parametrize("pdf", [pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_PDFS[p.stem])] if p.stem in KNOWN_PDFS else []) for p in PDFS])
def test_zoo_pdf_has_exactly_its_tables(zoo_extracted: dict[str, Path], pdf: Path) -> None:
    """Every table found is one of the PDF's captioned tables, each found once (prose, notes or
    a caption's continuation are never a table of their own)."""
    want = sorted(e["table"] for e in MANIFEST if Path(e["pdf"]).stem == pdf.stem)
    found = json.loads((zoo_extracted[pdf.stem] / "tables.json").read_text(encoding="utf-8"))
    numbers = [int(m.group(1)) if (m := CAPTION_NUMBER.match(t["caption"] or "")) else None for t in found]
    assert numbers == want


@pytest.mark.xfail(strict=True, reason="wrong readings are scored 1.0 (e.g. Chromium grids cut to 3 columns, zebra tables without their header)")
def test_zoo_misreadings_are_not_scored_confident(zoo_extracted: dict[str, Path]) -> None:
    """A table read wrong must not carry a confident quality score (>= 0.95)."""
    confident = []
    for entry in MANIFEST:
        folder = zoo_extracted[Path(entry["pdf"]).stem]
        table = captioned(folder, entry["table"])
        if table is not None and table["score"] >= 0.95 and cell_mismatches(read_csv(ZOO / entry["expected"]), read_cells(folder / table["file"])):
            confident.append(f"{case_id(entry)} ({table['score']})")
    assert confident == []


def test_zoo_reportlab_part_is_deterministic(tmp_path: Path) -> None:
    """Regenerating the reportlab documents gives the committed PDFs, CSVs and manifest entries."""
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ZOO / "generate.py"), "--out", str(tmp_path), "--producers", "reportlab"], check=True, capture_output=True)
    mine = [e for e in MANIFEST if e["producer"] == "reportlab"]
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8")) == mine
    for e in mine:
        assert (tmp_path / e["pdf"]).read_bytes() == (ZOO / e["pdf"]).read_bytes(), e["pdf"]
        assert (tmp_path / e["expected"]).read_text(encoding="utf-8") == (ZOO / e["expected"]).read_text(encoding="utf-8"), e["expected"]
