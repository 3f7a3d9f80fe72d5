"""Ruled boxes stacked down a page, each under a title of its own (no "Table N") and over a
one-line statistic set under its bottom rule ("χ2 = 16.9, df = 2, p < 0.001"), a blank line
between that line and the next box's title: as many tables, each read whole, the statistic and
the title no rows of either. Drawn here with reportlab from invented figures, as full grids and
as booktabs boxes; ICDAR 2013 eu-025 (five such grids on two pages) is the real case."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import need_shared
from tests.tables_compare import pdf_tables

BOXES = [
    ("Self-rated health by sex", ["Sex", "Good", "Fair", "Poor"], [["Men", "41", "97", "12"], ["Women", "38", "255", "29"]], "χ2 = 14.2, df = 2, p < 0.001"),
    (
        "Frequency of reported complaints",
        ["Complaint", "Weekly", "Monthly", "Rarely"],
        [["Headache", "212", "131", "140"], ["Back pain", "151", "118", "214"], ["Sleep problems", "127", "52", "304"]],
        "χ2 = 603.1, df = 4, p < 0.001",
    ),
    ("Use of medication for complaints", ["Complaint", "Never", "Sometimes", "Often"], [["Headache", "231", "160", "92"], ["Back pain", "402", "55", "26"]], "χ2 = 311.7, df = 2, p < 0.001"),
]
LEFT, RIGHT, PITCH, SIZE = 60.0, 360.0, 15.0, 9.0
XS = [LEFT, 160.0, 230.0, 300.0, RIGHT]


def _box(c: Canvas, top: float, header: list[str], rows: list[list[str]], grid: bool) -> float:
    """One ruled box (a full grid, or booktabs: top, header and bottom rules); returns its bottom."""
    y, ys = top, [top]
    for row in [header, *rows]:
        c.drawString(LEFT + 3, y - 11, row[0])
        for x, cell in zip(XS[2:], row[1:]):
            c.drawRightString(x - 3, y - 11, cell)
        y -= PITCH
        ys.append(y)
    for k, at in enumerate(ys):
        if grid or k in (0, 1, len(ys) - 1):
            c.line(LEFT, at, RIGHT, at)
    if grid:
        for x in XS:
            c.line(x, top, x, y)
    return y


@pytest.mark.parametrize("grid", [True, False], ids=["grid", "booktabs"])
def test_stacked_boxes_under_titles_over_statistics(tmp_path: Path, grid: bool) -> None:
    pdf = tmp_path / "stacked.pdf"
    c = Canvas(str(pdf), pagesize=A4, invariant=1)
    c.setLineWidth(0.5)
    y = A4[1] - 80
    for title, header, rows, statistic in BOXES:
        c.setFont("Helvetica-Bold", 10)
        c.drawCentredString((LEFT + RIGHT) / 2, y, title)
        c.setFont("Helvetica", SIZE)
        bottom = _box(c, y - 8, header, rows, grid)
        c.setFont("Times-Roman", 10)
        c.drawString(LEFT, bottom - 13, statistic)
        y = bottom - 13 - 2.6 * 10  # a blank line under the statistic, then the next title
    c.showPage()
    c.save()
    tables = pdf_tables(pdf)
    assert [(t.header, t.rows) for t in tables] == [(header, rows) for _, header, rows, _ in BOXES]
    assert all(t.score == 1.0 for t in tables)


def test_icdar_eu025_stacked_grids_with_statistics() -> None:
    """ICDAR 2013 eu-025: three grids on page 2 and two on page 3, each under its title and over
    a chi-square line, were read as one box per page."""
    path = need_shared("corpus", "tables", "icdar2013", "competition-dataset-eu", "eu-025.pdf")
    tables = pdf_tables(path)
    assert [(t.parts[0].page, t.n_rows) for t in tables] == [(2, 2), (2, 9), (2, 4), (3, 12), (3, 12)]
    assert [t.rows[-1][0] for t in tables] == ["Female", "Feeling dizzy", "Nervousness", "Endometriosis", "Endometriosis"]
