"""The table layout zoo (examples/zoo): every table, printed by nine producers in many styles,
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

KNOWN: dict[str, str] = {}

#: Misread tables (in KNOWN) that curate still scores confident (>= 0.95).
OVERCONFIDENT: set[str] = set()

#: PDFs where curate finds a table that is not there, or misses or splits one.
KNOWN_PDFS: dict[str, str] = {}


def case_id(entry: dict[str, Any]) -> str:
    return f"{Path(entry['pdf']).stem}/table_{entry['table']}"


def cases(known: dict[str, str] | set[str] = KNOWN) -> list[Any]:
    """One pytest param per zoo table, a strict xfail where it is in ``known`` (the reason is
    KNOWN's)."""
    return [
        pytest.param(e, id=case_id(e), marks=[pytest.mark.xfail(strict=True, reason=KNOWN[case_id(e)])] if case_id(e) in known else [])
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
    """Nine producers, every style and layout; a table is expected the same whoever printed it; small."""
    assert {e["producer"] for e in MANIFEST} == {"reportlab", "chromium", "typst", "libreoffice", "groff", "latex", "xelatex", "weasyprint", "fop"}
    assert {e["style"] for e in MANIFEST} >= {"grid", "booktabs", "headerrule", "norules", "zebra", "shaded"}
    assert {e["layout"] for e in MANIFEST} == {"single", "twocol", "sideways", "landscape", "long"}
    assert {e["density"] for e in MANIFEST} == {"normal", "tight", "airy"}
    by_source: dict[str, str] = {}
    for e in MANIFEST:
        text = (ZOO / e["expected"]).read_text(encoding="utf-8")
        assert by_source.setdefault(e["source"], text) == text, f"{e['expected']}: the same table expected differently"
        if e["layout"] == "long":
            assert len(e["pages"]) == 3, case_id(e)
    # 27 Chromium PDFs of ~100 kB and 15 pdfLaTeX PDFs of ~190 kB (embedded fonts) among them; FOP's
    # are ~11 kB (base-14 fonts), WeasyPrint's ~20 kB, of which a sample is committed (generate.py COMMITTED)
    assert sum(p.stat().st_size for p in PDFS) < 9_000_000
    assert set(KNOWN) <= {case_id(e) for e in MANIFEST}, "an xfail names a table the zoo no longer has"
    assert OVERCONFIDENT <= set(KNOWN), "an over-confident misreading is a misreading"


@pytest.mark.parametrize("entry", cases())
def test_zoo_table_matches(zoo_extracted: dict[str, Path], entry: dict[str, Any]) -> None:
    folder = zoo_extracted[Path(entry["pdf"]).stem]
    table = captioned(folder, entry["table"])
    assert table is not None, f"no table captioned 'Table {entry['table']}' found"
    assert table["pages"] == entry["pages"]
    assert cell_mismatches(read_csv(ZOO / entry["expected"]), read_cells(folder / table["file"])) == []
    assert table["score"] >= 0.95, table["reasons"]  # a right reading is called confident


@pytest.mark.parametrize("pdf", [pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_PDFS[p.stem])] if p.stem in KNOWN_PDFS else []) for p in PDFS])
def test_zoo_pdf_has_exactly_its_tables(zoo_extracted: dict[str, Path], pdf: Path) -> None:
    """Every table found is one of the PDF's captioned tables, each found once (prose, notes or
    a caption's continuation are never a table of their own)."""
    want = sorted(e["table"] for e in MANIFEST if Path(e["pdf"]).stem == pdf.stem)
    found = json.loads((zoo_extracted[pdf.stem] / "tables.json").read_text(encoding="utf-8"))
    numbers = [int(m.group(1)) if (m := CAPTION_NUMBER.match(t["caption"] or "")) else None for t in found]
    assert numbers == want


@pytest.mark.parametrize("entry", cases(OVERCONFIDENT))
def test_zoo_misreadings_are_not_scored_confident(zoo_extracted: dict[str, Path], entry: dict[str, Any]) -> None:
    """A table read wrong must not carry a confident quality score (>= 0.95)."""
    folder = zoo_extracted[Path(entry["pdf"]).stem]
    table = captioned(folder, entry["table"])
    if table is not None and cell_mismatches(read_csv(ZOO / entry["expected"]), read_cells(folder / table["file"])):
        assert table["score"] < 0.95, table["reasons"]


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


#: Generated cuts the check does not see yet (strict: one it sees fails here), with the reason.
UNSEEN: dict[str, str] = {}


def _cuts(rows: list[list[float]], lines: list[Any], part: list[float]) -> list[tuple[str, float]]:
    """Where to cut a table part short: one line above its last line, and after each of its
    body rows but the last (the box bottom each cut leaves)."""
    x0, top, x1, bottom = part
    inside = sorted((ln for ln in lines if top < (ln.top + ln.bottom) / 2 < bottom and ln.x1 > x0 and ln.x0 < x1), key=lambda ln: ln.top)
    cuts = [(f"after row {k + 1}", (a[3] + b[1]) / 2) for k, (a, b) in enumerate(zip(rows, rows[1:])) if k >= 1 and b[1] > a[3]]
    if len(inside) >= 2 and inside[-1].top > inside[-2].bottom:
        cuts.append(("one line short", (inside[-2].bottom + inside[-1].top) / 2))
    return cuts


def test_zoo_table_cut_short_is_seen(zoo_extracted: dict[str, Path]) -> None:
    """Generated misreadings, both ways: every zoo table part read right leaves no line under it
    that lines up with its columns; the same part cut one line short, or after any of its
    rows, does (and such a reading scores low: quality.CUT_SHORT)."""
    from curate.extract.layout import page_lines
    from curate.extract.pdf import open_pdf
    from curate.extract.tables import page_furniture
    from curate.extract.textblocks import runs_on_below

    false_alarms, unseen, checked = [], [], 0
    for pdf in PDFS:
        found = json.loads((zoo_extracted[pdf.stem] / "tables.json").read_text(encoding="utf-8"))
        # (a known misreading, or an uncaptioned piece of one, is left out: its box is wrong already)
        found = [t for t in found if (m := CAPTION_NUMBER.match(t["caption"] or "")) and f"{pdf.stem}/table_{m.group(1)}" not in KNOWN]
        with open_pdf(pdf) as doc:
            pages = [page_lines(p) for p in doc.pages]
            furniture = page_furniture(pages, [p.height for p in doc.pages])
            for table in found:
                for part in table["parts"]:
                    n = part["page"]
                    lines = [ln for i, ln in enumerate(pages[n - 1]) if i not in furniture[n - 1]]
                    box = part["bbox"]
                    head = table["header_box"]
                    body_top = head[4] if head and head[0] == n else box[1]
                    rows = [b[1:] for b in table["row_boxes"] if b[0] == n]
                    if runs_on_below(tuple(box), body_top, lines):
                        false_alarms.append(f"{pdf.stem} {table['caption'][:10]} p{n}")
                    for what, cut in _cuts(rows, lines, box):
                        checked += 1
                        if not runs_on_below((box[0], box[1], box[2], cut), body_top, lines):
                            unseen.append(f"{pdf.stem} {table['caption'][:10]} p{n} {what}")
    assert false_alarms == []
    assert checked > 500 and [u for u in unseen if u not in UNSEEN] == []
    assert sorted(set(UNSEEN) - set(unseen)) == [], "a cut the check now sees: take it out of UNSEEN"
