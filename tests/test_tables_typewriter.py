"""Typewriter tables: set in a fixed-width font, their rules typed as lines of dashes, labels
led to the figures by dots, two tables one under the other after a blank line, each under
its own header over its own line of dashes: two tables, the dashes no text. Drawn here with
reportlab from invented figures; ICDAR 2013 us-034 is the real case."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import need_shared
from tests.tables_compare import pdf_tables

LABELS = ["0.99", "0.95", "0.90", "0.50", "0.10", "0.01"]
FIRST = [["700", "770", "840", "910"], ["140", "154", "168", "182"], ["70", "77", "84", "91"], ["27", "30", "32", "35"], ["70", "77", "84", "91"], ["700", "770", "840", "910"]]
SECOND = [["1,190", "1,260", "1,330", "1,400"], ["238", "252", "266", "280"], ["119", "126", "133", "140"], ["45", "48", "51", "54"], ["119", "126", "133", "140"], ["1,190", "1,260", "1,330", "1,400"]]


def _typed(c: Canvas, y: float, text: str) -> float:
    """One typed line (spaces kept: the fixed-width font sets the columns); returns the next line's y."""
    c.drawString(72, y, text)
    return y - 12.7


def _block(c: Canvas, y: float, heads: list[str], rows: list[list[str]]) -> float:
    y = _typed(c, y, " " * 27 + "Design effect")
    y = _typed(c, y, "   Share       " + "".join(f"{h:>6}" for h in heads))
    y = _typed(c, y, "-" * 42)
    for label, row in zip(LABELS, rows):
        y = _typed(c, y, f"{label} {'.' * 10}" + "".join(f"{v:>6}" for v in row))
    return y


def test_typewriter_tables_stacked_with_typed_rules(tmp_path: Path) -> None:
    pdf = tmp_path / "typed.pdf"
    c = Canvas(str(pdf), pagesize=letter, invariant=1)
    c.setFont("Courier", 12)
    y = _typed(c, 700, "Table 3. Invented sample sizes, by design effect")
    y = _block(c, y - 12.7, ["1.0", "1.1", "1.2", "1.3"], FIRST)
    _block(c, y - 12.7, ["1.7", "1.8", "1.9", "2.0"], SECOND)
    c.showPage()
    c.save()
    tables = pdf_tables(pdf)
    assert len(tables) == 2
    for table, rows in zip(tables, [FIRST, SECOND]):
        assert [r[0] for r in table.rows] == LABELS
        assert [r[-4:] for r in table.rows] == rows
        assert not any("---" in cell for row in [table.header, *table.rows] for cell in row)
    assert tables[0].caption == "Table 3. Invented sample sizes, by design effect"
    assert tables[0].header[-4:] != tables[1].header[-4:]


def test_icdar_us034_typewriter_tables() -> None:
    """ICDAR 2013 us-034: the two tables of page 2 were read as one (adjacency F1 under 0.5 for
    each), the dashes under each header a word of a header cell."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-us", "us-034.pdf")
    tables = [t for t in pdf_tables(path) if t.parts[0].page == 2]
    assert [len(t.rows) for t in tables] == [17, 17]
    assert [t.rows[0][-1] for t in tables] == ["1,280", "2,800"]
    assert not any("---" in cell for t in tables for cell in t.header)
